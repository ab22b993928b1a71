// The report function's coverage step over the fake AWS (both regions, the real kinds, a fixed clock): a healthy fleet
// flags nothing; a new source is pending, then never backed up; a disabled schedule, a source failing every run, a
// lagging DR copy are each flagged, and only they (a point under another key, a point still in progress, a source the
// backup skips on purpose are not); the DR region down is "unknown" and out
// of policy while the primary region is still evaluated; a DST change is not "late"; a rerun changes nothing.
import { expect } from "chai";
import type { ResourceKind } from "../../handlers/catalog";
import type { CoverageResult } from "../../handlers/report/contract";
import { runReportStep } from "../../handlers/report/run";
import { assessCoverage } from "../../handlers/report/coverage-step";
import { coverage } from "../../handlers/report/coverage";
import { evaluateControls } from "../../handlers/report/controls";
import { sourceCoverageSchema, unselectedSchema, planSummarySchema } from "../../handlers/report/schema";
import type { RecoveryPoint } from "../../handlers/restore/contract";
import { FakeAws } from "../helpers/aws-fake";
import { AwsFault } from "../helpers/aws-wire";
import { runBackup } from "../../handlers/backup/run";
import { fakeClients } from "../helpers/aws-clients";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { VAULT_BUCKET } from "../helpers/backup-fleet";
import { DR, DR_KEY_ARN, PRIMARY, PRIMARY_KEY_ARN, REPORT_OPTIONS, REPORT_PLANS, SELECTION_KEY, STACK_TAG, addSource, backUp, coverageMetrics, reportDeps, reportSettings, slotsEvery } from "../helpers/report-setup";

const NOW = new Date("2026-12-01T12:10:00Z");
const LONG_AGO = new Date("2026-10-01T00:00:00Z");
const HOUR = 3_600_000;
const GOLD_RPO = 6 * 3600 + 900;
const GOLD_DR_RPO = GOLD_RPO + 3600;
const COPY_MINUTES = 10;

interface Fleet {
  gold: Array<{ kind: ResourceKind; id: string }>;
  silver: string[];
}

/**
 * gold: two instances, a DB instance and a cluster, backed up every 6 hours for two days up to `until` and copied 10
 * minutes later (`skip`, given a gold source's index, leaves its runs or copies out); silver: an instance backed up daily at 02:30
 * Berlin. Beside them, resources no plan selects.
 */
function buildFleet(fake: FakeAws, until: Date, skip: (gold: number, slot: Date) => { backup: boolean; copy: boolean } = () => ({ backup: true, copy: true })): Fleet {
  const gold: Fleet["gold"] = [
    { kind: "ec2", id: addSource(fake, "ec2", "gold", LONG_AGO, "web-1") },
    { kind: "ec2", id: addSource(fake, "ec2", "gold", LONG_AGO, "web-2") },
    { kind: "rds", id: addSource(fake, "rds", "gold", LONG_AGO, "orders-db") },
    { kind: "aurora", id: addSource(fake, "aurora", "gold", LONG_AGO, "ledger") },
  ];
  const silver = [addSource(fake, "ec2", "silver", LONG_AGO, "batch-1")];
  const lastSlot = Math.floor(until.getTime() / (6 * HOUR)) * 6 * HOUR;
  for (const slot of slotsEvery(6, new Date(lastSlot - 48 * HOUR), until)) {
    const taken = slot.getTime() + 2 * 60_000;
    if (taken > until.getTime()) continue;
    for (const [n, { kind, id }] of gold.entries()) {
      const { backup, copy } = skip(n, slot);
      if (!backup) continue;
      const copied = copy && taken + COPY_MINUTES * 60_000 <= until.getTime();
      backUp(fake, kind, id, "gold", slot, copied ? { copyAfterMinutes: COPY_MINUTES } : {});
    }
  }
  // 02:30 Berlin in winter is 01:30 UTC.
  for (const day of [28, 29, 30]) backUp(fake, "ec2", silver[0], "silver", new Date(Date.UTC(2026, 10, day, 1, 30)));
  backUp(fake, "ec2", silver[0], "silver", new Date(Date.UTC(2026, 11, 1, 1, 30)));
  addSource(fake, "ec2", null, LONG_AGO, "scratch");
  addSource(fake, "rds", "bronze", LONG_AGO, "legacy-db");
  addSource(fake, "aurora", "silver", LONG_AGO, "analytics");
  return { gold, silver };
}

async function coverageAt(fake: FakeAws, now: Date): Promise<CoverageResult> {
  const result = await runReportStep(reportDeps(fake, () => now), reportSettings(), { step: "coverage" });
  if (result.step !== "coverage") throw new Error("expected the coverage result");
  return result;
}

function plan(result: CoverageResult, name: string) {
  const found = result.plans.find((p) => p.plan === name);
  if (found === undefined) throw new Error(`no plan ${name} in the result`);
  return found;
}

/** A source's coverage, checked against the report's schema. */
async function sourceOf(fake: FakeAws, now: Date, id: string) {
  const assessment = await assessCoverage(reportDeps(fake, () => now), reportSettings());
  const found = assessment.sources.find((s) => s.source === id);
  if (found === undefined) throw new Error(`no source ${id}`);
  return sourceCoverageSchema.parse(found);
}

describe("report coverage", () => {
  it("a healthy fleet flags nothing; every region and source is read (paged), unselected resources have their reasons", async () => {
    const fake = new FakeAws();
    fake.pageCap.ec2 = 2;
    fake.pageCap.rds = 1;
    const fleet = buildFleet(fake, NOW);
    const deps = reportDeps(fake, () => NOW);
    const result = await runReportStep(deps, reportSettings(), { step: "coverage" });
    expect(result).to.deep.include({ step: "coverage", checkedAt: NOW.toISOString(), outOfPolicy: 0, errors: [] });
    expect(result.step === "coverage" ? result.plans : []).to.deep.equal([
      { plan: "gold", sources: 4, outOfPolicy: 0, examples: [] },
      { plan: "silver", sources: 1, outOfPolicy: 0, examples: [] },
    ]);
    expect(coverageMetrics(deps.metrics)).to.deep.equal({ gold: { SourcesChecked: 4, SourcesOutOfPolicy: 0 }, silver: { SourcesChecked: 1, SourcesOutOfPolicy: 0 } });

    const assessment = await assessCoverage(reportDeps(fake, () => NOW), reportSettings());
    for (const s of assessment.sources) sourceCoverageSchema.parse(s);
    for (const p of assessment.plans) planSummarySchema.parse(p);
    for (const u of assessment.unselected) unselectedSchema.parse(u);
    const web1 = assessment.sources.find((s) => s.source === fleet.gold[0].id);
    expect(web1).to.deep.include({ plan: "gold", kind: "ec2", name: "web-1", createdAt: LONG_AGO.toISOString(), outOfPolicy: false, reasons: [] });
    expect(web1?.primary).to.deep.include({ region: PRIMARY, status: "ok", ageSeconds: 8 * 60, rpoSeconds: GOLD_RPO, keep: { hourly: 8, daily: 7, weekly: 0, monthly: 0, yearly: 0 } });
    expect(web1?.primary.lastPoint).to.deep.include({ taken: "2026-12-01T12:02:00.000Z", encrypted: true, customerKey: true, kmsKeyIds: [PRIMARY_KEY_ARN] });
    // Two days of 6-hourly runs up to 12:02: nine points, each of its tier (the tiers add up to them).
    const tiers: Record<string, number> = web1?.primary.pointsByTier ?? {};
    expect(Object.values(tiers).reduce((a, b) => a + b, 0)).to.equal(9);
    // The 12:00 copy is not made yet (copies come 10 minutes after): DR's newest is the 06:02 data.
    expect(web1?.dr).to.deep.include({ region: DR, status: "ok", ageSeconds: 6 * 3600 + 8 * 60, rpoSeconds: GOLD_DR_RPO, keep: { hourly: 0, daily: 7, weekly: 0, monthly: 0, yearly: 0 } });
    const silver = assessment.sources.find((s) => s.source === fleet.silver[0]);
    expect(silver?.dr, "silver does not copy").to.equal(undefined);
    expect(silver?.primary.status).to.equal("ok");
    expect(assessment.unselected.map((u) => [u.kind, u.name, u.selection, u.reason])).to.have.deep.members([
      ["ec2", "scratch", undefined, `no ${SELECTION_KEY} tag`],
      ["rds", "legacy-db", "bronze", '"bronze" is not a plan of this stack'],
      ["aurora", "analytics", "silver", 'plan "silver" does not back up aurora'],
    ]);
    const regions = new Set(fake.calls.map((c) => c.region));
    expect([...regions].sort()).to.deep.equal([PRIMARY, DR].sort());
  });

  it("a source newly tagged and never backed up is pending first, then flagged once it is older than the RPO", async () => {
    const fake = new FakeAws();
    const created = new Date(NOW.getTime() - HOUR);
    // One second past the RPO from its creation (the 12:00 and 18:00 runs missed it; no other source is late yet).
    const later = new Date(created.getTime() + (GOLD_RPO + 1) * 1000);
    buildFleet(fake, new Date("2026-12-01T12:15:00Z"));
    const fresh = addSource(fake, "rds", "gold", created, "fresh-db");
    const first = await sourceOf(fake, NOW, fresh);
    expect([first.primary.status, first.dr?.status, first.outOfPolicy]).to.deep.equal(["pending-first-backup", "pending-first-backup", false]);
    expect(plan(await coverageAt(fake, NOW), "gold")).to.deep.include({ sources: 5, outOfPolicy: 0 });

    const flagged = await sourceOf(fake, later, fresh);
    expect([flagged.primary.status, flagged.dr?.status, flagged.outOfPolicy]).to.deep.equal(["never-backed-up", "pending-first-backup", true]);
    expect(flagged.reasons).to.deep.equal([`Primary region ${PRIMARY}: never backed up (no completed point, RPO 6h 15m).`]);
    const result = await coverageAt(fake, later);
    expect(plan(result, "gold")).to.deep.equal({ plan: "gold", sources: 5, outOfPolicy: 1, examples: [`fresh-db: ${flagged.reasons[0]}`] });
    expect(result.outOfPolicy).to.equal(1);
  });

  it("a disabled schedule (no new points) flags every source of the plan once past its RPO, and no other plan's", async () => {
    const fake = new FakeAws();
    const fleet = buildFleet(fake, new Date("2026-12-01T12:15:00Z"));
    const justInside = new Date(Date.parse("2026-12-01T12:02:00Z") + GOLD_RPO * 1000);
    expect(plan(await coverageAt(fake, justInside), "gold").outOfPolicy, "at the RPO itself").to.equal(0);
    const past = new Date(justInside.getTime() + 60_000);
    const deps = reportDeps(fake, () => past);
    const result = await runReportStep(deps, reportSettings(), { step: "coverage" });
    expect(coverageMetrics(deps.metrics)).to.deep.equal({ gold: { SourcesChecked: 4, SourcesOutOfPolicy: 4 }, silver: { SourcesChecked: 1, SourcesOutOfPolicy: 0 } });
    expect(result.outOfPolicy).to.equal(4);
    const one = await sourceOf(fake, past, fleet.gold[2].id);
    expect(one.primary.status).to.equal("late");
    expect(one.dr?.status, "DR's RPO adds the copy lag").to.equal("ok");
    expect(one.reasons).to.deep.equal([`Primary region ${PRIMARY}: late by 1m (newest point 6h 16m old, RPO 6h 15m).`]);
  });

  it("a source failing every run (its points stop, a pending one left behind) is flagged alone, in both regions; its point in progress holds off the primary's flag for the RPO", async () => {
    const fake = new FakeAws();
    const midnight = Date.parse("2026-12-01T00:00:00Z");
    const fleet = buildFleet(fake, NOW, (n, slot) => ({ backup: n !== 1 || slot.getTime() <= midnight, copy: n !== 1 || slot.getTime() <= midnight }));
    const failing = fleet.gold[1].id;
    expect(plan(await coverageAt(fake, NOW), "gold").examples).to.deep.equal([
      `${failing}: Primary region ${PRIMARY}: late by 5h 53m (newest point 12h 8m old, RPO 6h 15m). DR region ${DR}: late by 4h 53m (newest point 12h 8m old, RPO 7h 15m).`,
    ]);
    backUp(fake, "ec2", failing, "gold", new Date("2026-12-01T12:00:00Z"), { pending: true });
    const result = await coverageAt(fake, NOW);
    expect(plan(result, "gold")).to.deep.include({ sources: 4, outOfPolicy: 1 });
    expect(plan(result, "gold").examples).to.deep.equal([`${failing}: DR region ${DR}: late by 4h 53m (newest point 12h 8m old, RPO 7h 15m).`]);
    const s = await sourceOf(fake, NOW, failing);
    expect([s.primary.status, s.dr?.status]).to.deep.equal(["in-progress", "late"]);
    expect(s.primary.lastPoint?.taken, "the pending 12:00 point is not the last point").to.equal("2026-12-01T00:02:00.000Z");
    expect(s.primary.ageSeconds).to.equal(12 * 3600 + 8 * 60);
    const stuck = await sourceOf(fake, new Date(Date.parse("2026-12-01T12:02:00Z") + GOLD_RPO * 1000 + 60_000), failing);
    expect(stuck.primary.status, "still in progress past the RPO").to.equal("late");
    for (const snapshot of fake.region(PRIMARY).snapshots.values()) if (snapshot.state === "pending") snapshot.state = "error";
    const broken = await sourceOf(fake, NOW, failing);
    expect(broken.primary.status, "a snapshot in error is not on its way").to.equal("late");
  });

  it("a DR copy lagging is flagged in DR only", async () => {
    const fake = new FakeAws();
    const midnight = Date.parse("2026-12-01T00:00:00Z");
    const fleet = buildFleet(fake, NOW, (n, slot) => ({ backup: true, copy: n !== 2 || slot.getTime() <= midnight }));
    const lagging = fleet.gold[2].id;
    const s = await sourceOf(fake, NOW, lagging);
    expect(s.primary.status).to.equal("ok");
    expect(s.dr?.status).to.equal("late");
    expect(s.reasons).to.deep.equal([`DR region ${DR}: late by 4h 53m (newest point 12h 8m old, RPO 7h 15m).`]);
    const result = await coverageAt(fake, NOW);
    expect(plan(result, "gold")).to.deep.include({ sources: 4, outOfPolicy: 1 });
  });

  it("the DR region down: its statuses unknown and out of policy, the error recorded; the primary region still evaluated", async () => {
    const fake = new FakeAws();
    const fleet = buildFleet(fake, NOW);
    fake.permanent = (call) => (call.region === DR ? new AwsFault("UnauthorizedOperation", 403, "You are not authorized to perform this operation.") : undefined);
    const deps = reportDeps(fake, () => NOW);
    const result = await runReportStep(deps, reportSettings(), { step: "coverage" });
    if (result.step !== "coverage") throw new Error("expected the coverage result");
    expect(result.errors.map((e) => [e.where, e.name])).to.have.deep.members([
      [`${DR} ec2`, "UnauthorizedOperation"],
      [`${DR} rds`, "UnauthorizedOperation"],
      [`${DR} aurora`, "UnauthorizedOperation"],
    ]);
    expect(coverageMetrics(deps.metrics)).to.deep.equal({ gold: { SourcesChecked: 4, SourcesOutOfPolicy: 4 }, silver: { SourcesChecked: 1, SourcesOutOfPolicy: 0 } });
    const s = await sourceOf(fake, NOW, fleet.gold[0].id);
    expect(s.primary.status).to.equal("ok");
    expect(s.dr?.status).to.equal("unknown");
    expect(s.dr?.lastPoint).to.equal(undefined);
    expect(s.reasons).to.deep.equal([`DR region ${DR}: its recovery points could not be read (see errors).`]);
    expect(fake.calls.some((c) => c.region === PRIMARY && c.action === "DescribeSnapshots"), "the primary region is read").to.equal(true);
  });

  it("a point under another key, or none, is never out of policy: encryption is the control's (primary: any key; DR: the stack's key)", async () => {
    const fake = new FakeAws();
    const fleet = buildFleet(fake, new Date("2026-12-01T06:05:00Z"));
    const other = `arn:aws:kms:${PRIMARY}:123456789012:key/11111111-2222-4333-8444-555555555555`;
    backUp(fake, "ec2", fleet.gold[0].id, "gold", new Date("2026-12-01T12:00:00Z"), { key: other, copyAfterMinutes: 5 });
    backUp(fake, "rds", fleet.gold[2].id, "gold", new Date("2026-12-01T12:00:00Z"), { key: null, copyAfterMinutes: 5 });
    backUp(fake, "ec2", fleet.gold[1].id, "gold", new Date("2026-12-01T12:00:00Z"), { copyAfterMinutes: 5 });
    backUp(fake, "aurora", fleet.gold[3].id, "gold", new Date("2026-12-01T12:00:00Z"), { copyAfterMinutes: 5 });
    const keyed = await sourceOf(fake, NOW, fleet.gold[0].id);
    expect(keyed.primary.status).to.equal("ok");
    expect(keyed.primary.lastPoint).to.deep.include({ encrypted: true, customerKey: false, kmsKeyIds: [other] });
    expect([keyed.outOfPolicy, keyed.reasons]).to.deep.equal([false, []]);
    const plain = await sourceOf(fake, NOW, fleet.gold[2].id);
    expect(plain.primary.lastPoint).to.deep.include({ encrypted: false, customerKey: false, kmsKeyIds: [] });
    expect([plain.outOfPolicy, plain.reasons]).to.deep.equal([false, []]);
    const deps = reportDeps(fake, () => NOW);
    await runReportStep(deps, reportSettings(), { step: "coverage" });
    expect(coverageMetrics(deps.metrics).gold).to.deep.equal({ SourcesChecked: 4, SourcesOutOfPolicy: 0 });
    const assessment = await assessCoverage(reportDeps(fake, () => NOW), reportSettings());
    const control = evaluateControls({ plans: reportSettings().plans, sources: assessment.sources, unselected: [], vaults: [], options: REPORT_OPTIONS }).find((c) => c.id === "BACKUP_RECOVERY_POINT_ENCRYPTED");
    expect(control).to.deep.include({ checked: 5, failing: 1, passed: false, examples: [fleet.gold[2].id] });
  });

  it("a daily Berlin plan across the spring change is not late on the Monday (the Sunday has no 02:30: a 47 h gap); a missed Saturday is", async () => {
    for (const missedSaturday of [false, true]) {
      const fake = new FakeAws();
      const source = addSource(fake, "ec2", "silver", LONG_AGO, "batch");
      backUp(fake, "ec2", source, "silver", new Date("2027-03-26T01:30:00Z"));
      if (!missedSaturday) backUp(fake, "ec2", source, "silver", new Date("2027-03-27T01:30:00Z"));
      // Monday 02:20 CEST, ten minutes before Monday's run: 46 h 48 min since Saturday's point.
      const monday = new Date("2027-03-29T00:20:00Z");
      const s = await sourceOf(fake, monday, source);
      expect(s.primary.rpoSeconds, "Saturday 02:30 CET to Monday 02:30 CEST").to.equal(47 * 3600 + 900);
      expect(s.primary.status, missedSaturday ? "Friday's point is 70 h old" : "Saturday's point is within the 47 h gap").to.equal(missedSaturday ? "late" : "ok");
      const result = await coverageAt(fake, monday);
      expect(plan(result, "silver").outOfPolicy).to.equal(missedSaturday ? 1 : 0);
      expect(plan(result, "gold"), "a plan without sources is still reported").to.deep.equal({ plan: "gold", sources: 0, outOfPolicy: 0, examples: [] });
    }
  });

  it("a rerun is read-only and answers the same", async () => {
    const fake = new FakeAws();
    buildFleet(fake, NOW, (_n, slot) => ({ backup: true, copy: slot.getTime() < Date.parse("2026-12-01T00:00:00Z") }));
    const first = await coverageAt(fake, NOW);
    const second = await coverageAt(fake, NOW);
    expect(second).to.deep.equal(first);
    expect(first.outOfPolicy).to.equal(4);
    const actions = [...new Set(fake.calls.map((c) => c.action))].sort();
    expect(actions.filter((a) => !/^(Describe|List|Get)/.test(a)), `actions called: ${actions.join(", ")}`).to.deep.equal([]);
  });

  it("transient faults beneath the SDK (throttling, 5xx, timeouts) are retried: the answer is the fault-free one", async () => {
    const fake = new FakeAws();
    fake.pageCap.ec2 = 2;
    fake.pageCap.rds = 1;
    buildFleet(fake, NOW, (n, slot) => ({ backup: n !== 0 || slot.getTime() < Date.parse("2026-12-01T06:00:00Z"), copy: true }));
    const clean = await coverageAt(fake, NOW);
    const injector = fake.injectFaults({ rate: 0.2, kinds: ["throttle", "500", "503", "timeout"], seed: 19 });
    const faulty = await coverageAt(fake, NOW);
    fake.injectFaults(undefined);
    expect(fake.calls.filter((c) => c.fault !== undefined).length, "faults were injected").to.be.above(5);
    expect(injector).to.not.equal(undefined);
    expect({ ...faulty, checkedAt: clean.checkedAt }).to.deep.equal(clean);
    expect(clean.outOfPolicy).to.equal(1);
  });

  it("a kind's inventory unreadable: its sources come from this stack's points, unknown in the primary region, and count", async () => {
    const fake = new FakeAws();
    const fleet = buildFleet(fake, NOW);
    fake.permanent = (call) => (call.region === PRIMARY && call.action === "DescribeDBInstances" ? new AwsFault("AccessDenied", 403, "User is not authorized to perform: rds:DescribeDBInstances") : undefined);
    const assessment = await assessCoverage(reportDeps(fake, () => NOW), reportSettings());
    expect(assessment.errors.map((e) => [e.where, e.name])).to.deep.equal([[`${PRIMARY} rds`, "AccessDenied"]]);
    const db = assessment.sources.find((s) => s.source === fleet.gold[2].id);
    expect(db && sourceCoverageSchema.parse(db)).to.deep.include({ plan: "gold", kind: "rds", outOfPolicy: true, reasons: [`Primary region ${PRIMARY}: its resources could not be read (see errors).`] });
    expect([db?.primary.status, db?.dr?.status]).to.deep.equal(["unknown", "ok"]);
    expect(assessment.sources.filter((s) => s.outOfPolicy).map((s) => s.source)).to.deep.equal([fleet.gold[2].id]);
    expect(assessment.unselected.map((u) => u.kind), "the unreadable kind's resources are not called unselected").to.not.include("rds");
  });

  it("coverage alone: the newest point by when it was taken, not by listing order; incomplete points and copies in the primary region do not count; no creation time means pending (a database still being created)", () => {
    const settings = reportSettings();
    const p = (id: string, taken: string, fields: Partial<RecoveryPoint> = {}): RecoveryPoint => ({ kind: "ec2", region: PRIMARY, source: "i-0a", id, snapshotIds: [id], plan: "gold", tier: "hourly", taken, origin: "backup", completed: true, encryption: { encrypted: true, kmsKeyIds: [PRIMARY_KEY_ARN] }, ...fields });
    const result = coverage({
      plans: settings.plans,
      collected: {
        inventory: [{ kind: "ec2", id: "i-0a", selection: "gold", createdAt: LONG_AGO.toISOString() }, { kind: "ec2", id: "i-0b", selection: "gold" }],
        points: {
          primary: [
            p("snap-old", "2026-12-01T00:02:00Z"),
            p("snap-new", "2026-12-01T06:02:00.000+00:00", { tier: "daily" }),
            p("snap-incomplete", "2026-12-01T12:02:00Z", { completed: false }),
            p("snap-copy", "2026-12-01T12:03:00Z", { origin: "copy" }),
          ],
          dr: [p("snap-dr", "2026-12-01T06:02:00Z", { region: DR, origin: "copy", encryption: { encrypted: true, kmsKeyIds: [DR_KEY_ARN] } })],
        },
        inventoryFailed: [],
        pointsFailed: { primary: [], dr: [] },
        errors: [],
      },
      now: NOW,
      options: REPORT_OPTIONS,
      selectionTagKey: settings.selectionTagKey,
      regions: { primary: PRIMARY, dr: DR },
      keys: { primary: PRIMARY_KEY_ARN, dr: DR_KEY_ARN },
    });
    const [a, b] = result.sources.map((s) => sourceCoverageSchema.parse(s));
    expect(a.primary).to.deep.include({ status: "ok", ageSeconds: 6 * 3600 + 8 * 60, pointsByTier: { hourly: 1, daily: 1, weekly: 0, monthly: 0, yearly: 0 } });
    expect(a.primary.lastPoint).to.deep.include({ id: "snap-new", taken: "2026-12-01T06:02:00.000Z" });
    expect(a.dr).to.deep.include({ status: "ok" });
    expect(a.dr?.lastPoint).to.deep.include({ id: "snap-dr", customerKey: true });
    expect([b.primary.status, b.dr?.status, b.outOfPolicy]).to.deep.equal(["pending-first-backup", "pending-first-backup", false]);
    expect(result.plans.map((x) => [x.name, x.sources, x.outOfPolicy])).to.deep.equal([["gold", 2, 0], ["silver", 0, 0]]);
  });
});

describe("report coverage: what the backup does on purpose is not a missed backup (review 19)", () => {
  it("after a real backup run: a volume under its own key is ok; an instance-store instance and a stopped DB instance and cluster are skipped-by-backup with the backup's own reason, last point still shown; a storage-full one, skipped too, is late", async () => {
    const fake = new FakeAws();
    const primary = fake.region(PRIMARY);
    primary.addBucket(VAULT_BUCKET);
    const awsEbs = `arn:aws:kms:${PRIMARY}:123456789012:key/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee`;
    const ownKey = primary.addInstance("running", { [SELECTION_KEY]: "gold" });
    ownKey.launchTime = LONG_AGO;
    ownKey.volumes[0].encrypted = true;
    ownKey.volumes[0].kmsKeyId = awsEbs;
    const storeOnly = primary.addInstance("running", { [SELECTION_KEY]: "gold" }, []);
    storeOnly.launchTime = LONG_AGO;
    primary.addDbInstance("db-stopped", "stopped", { [SELECTION_KEY]: "gold" }).createdAt = LONG_AGO;
    primary.addDbCluster("cluster-stopped", "stopped", { [SELECTION_KEY]: "gold" }).createdAt = LONG_AGO;
    // Skipped by the backup too, but not at rest: its data can change and nothing protects it, so it is judged by age.
    primary.addDbInstance("db-full", "storage-full", { [SELECTION_KEY]: "gold" }).createdAt = LONG_AGO;
    backUp(fake, "rds", "db-stopped", "gold", new Date("2026-11-20T00:00:00Z"), { copyAfterMinutes: 5 });
    backUp(fake, "rds", "db-full", "gold", new Date("2026-11-20T00:00:00Z"), { copyAfterMinutes: 5 });
    const slot = new Date("2026-12-01T12:00:00Z");
    const env = { BACKUP_DR_PLANS: JSON.stringify(REPORT_PLANS), BACKUP_DR_STACK: STACK_TAG };
    const manifest = await runBackup(backupDeps(fakeClients(fake), () => slot), backupSettings(env), { plan: "gold", scheduledTime: slot.toISOString() });
    expect(manifest.counts).to.deep.include({ created: 1, skipped: 4, failed: 0 });
    for (const snapshot of primary.snapshots.values()) snapshot.state = "completed";
    const skipped = new Map(manifest.sources.filter((s) => s.status === "skipped").map((s) => [s.source, s.reason]));

    const now = new Date("2026-12-01T13:00:00Z");
    const assessment = await assessCoverage(reportDeps(fake, () => now), reportSettings());
    const of = (id: string) => {
      const found = assessment.sources.find((s) => s.source === id);
      if (found === undefined) throw new Error(`no coverage for ${id}`);
      return sourceCoverageSchema.parse(found);
    };
    const own = of(ownKey.id);
    expect([own.primary.status, own.outOfPolicy, own.reasons]).to.deep.equal(["ok", false, []]);
    expect(own.primary.lastPoint).to.deep.include({ encrypted: true, customerKey: false, kmsKeyIds: [awsEbs] });
    expect(own.dr?.status, "its first copy may still run").to.equal("pending-first-backup");
    for (const id of [storeOnly.id, "db-stopped", "cluster-stopped"]) {
      const s = of(id);
      expect(s.skip, id).to.be.a("string").and.equal(skipped.get(id));
      expect([s.primary.status, s.dr?.status, s.outOfPolicy, s.reasons], id).to.deep.equal(["skipped-by-backup", "skipped-by-backup", false, []]);
    }
    expect(of("db-stopped").primary.lastPoint?.taken, "its last point still shown").to.equal("2026-11-20T00:02:00.000Z");
    const full = of("db-full");
    expect(skipped.get("db-full"), "the backup skipped it").to.be.a("string");
    expect([full.skip, full.primary.status, full.outOfPolicy]).to.deep.equal([undefined, "late", true]);
    expect(assessment.plans.find((p) => p.name === "gold")).to.deep.include({ sources: 5, outOfPolicy: 1 });
    const controls = evaluateControls({ plans: reportSettings().plans, sources: assessment.sources, unselected: [], vaults: [], options: REPORT_OPTIONS });
    expect(controls.find((c) => c.id === "BACKUP_RECOVERY_POINT_ENCRYPTED")).to.deep.include({ failing: 0, passed: true });
    expect(controls.find((c) => c.id === "BACKUP_LAST_RECOVERY_POINT_CREATED")).to.deep.include({ failing: 1, passed: false, examples: ["db-full"] });

    const oldTagged = primary.addInstance("running", { [SELECTION_KEY]: "silver" });
    oldTagged.launchTime = LONG_AGO;
    const again = await assessCoverage(reportDeps(fake, () => now), reportSettings());
    const flagged = again.sources.find((s) => s.source === oldTagged.id);
    expect([flagged?.primary.status, flagged?.outOfPolicy], "an old resource newly tagged really has no point").to.deep.equal(["never-backed-up", true]);
  });

  it("a DB snapshot still creating is in progress; once failed it is not", async () => {
    const fake = new FakeAws();
    const midnight = Date.parse("2026-12-01T00:00:00Z");
    const fleet = buildFleet(fake, NOW, (n, slot) => ({ backup: n !== 2 || slot.getTime() <= midnight, copy: true }));
    const db = fleet.gold[2].id;
    backUp(fake, "rds", db, "gold", new Date("2026-12-01T12:00:00Z"), { pending: true });
    expect((await sourceOf(fake, NOW, db)).primary.status).to.equal("in-progress");
    for (const snapshot of fake.region(PRIMARY).dbSnapshots.values()) if (snapshot.status === "creating") snapshot.status = "failed";
    expect((await sourceOf(fake, NOW, db)).primary.status).to.equal("late");
  });

  it("coverage alone: a point in progress counts for the RPO and at most 24 hours, a failed one never; DR is pending while the oldest primary point is younger than the copy lag; a DR copy under another key fails the control", () => {
    const settings = reportSettings();
    const silverRpo = 47 * 3600 + 900;
    const p = (id: string, takenAgoSeconds: number, fields: Partial<RecoveryPoint> = {}): RecoveryPoint => ({ kind: "ec2", region: PRIMARY, source: "i-0a", id, snapshotIds: [id], plan: "gold", taken: new Date(NOW.getTime() - takenAgoSeconds * 1000).toISOString(), origin: "backup", completed: true, encryption: { encrypted: true, kmsKeyIds: [PRIMARY_KEY_ARN] }, ...fields });
    const run = (primary: RecoveryPoint[], dr: RecoveryPoint[] = []) =>
      coverage({
        plans: settings.plans,
        collected: { inventory: [{ kind: "ec2", id: "i-0a", selection: "gold", createdAt: LONG_AGO.toISOString() }, { kind: "ec2", id: "i-0s", selection: "silver", createdAt: LONG_AGO.toISOString() }], points: { primary, dr }, inventoryFailed: [], pointsFailed: { primary: [], dr: [] }, errors: [] },
        now: NOW,
        options: REPORT_OPTIONS,
        selectionTagKey: settings.selectionTagKey,
        regions: { primary: PRIMARY, dr: DR },
        keys: { primary: PRIMARY_KEY_ARN, dr: DR_KEY_ARN },
      }).sources.map((s) => sourceCoverageSchema.parse(s));
    const silver = (id: string, ago: number, fields: Partial<RecoveryPoint> = {}) => p(id, ago, { source: "i-0s", plan: "silver", ...fields });
    const drCopy = (id: string, ago: number, key: string) => p(id, ago, { region: DR, origin: "copy", encryption: { encrypted: true, kmsKeyIds: [key] } });

    // gold: the newest completed point is late; one in progress, taken 10 min ago.
    const [inFlight] = run([p("snap-a", 7 * 3600), p("snap-b", 600, { completed: false })], [drCopy("snap-ad", 7 * 3600 - 600, DR_KEY_ARN)]);
    expect([inFlight.primary.status, inFlight.primary.lastPoint?.id, inFlight.outOfPolicy, inFlight.reasons]).to.deep.equal(["in-progress", "snap-a", false, []]);
    const [failed] = run([p("snap-a", 7 * 3600), p("snap-b", 600, { completed: false, failed: true })], [drCopy("snap-ad", 7 * 3600 - 600, DR_KEY_ARN)]);
    expect([failed.primary.status, failed.outOfPolicy], "a failed point is not on its way").to.deep.equal(["late", true]);
    // silver (RPO 47 h 15 min): a point in progress for 25 hours is within the RPO but past the 24-hour bound.
    const silverOf = (points: RecoveryPoint[]) => run(points)[1];
    expect(silverOf([silver("snap-s1", 48 * 3600), silver("snap-s2", 23 * 3600, { completed: false })]).primary.status).to.equal("in-progress");
    expect(silverOf([silver("snap-s1", 48 * 3600), silver("snap-s2", 25 * 3600, { completed: false })]).primary.status).to.equal("late");
    expect(silverOf([silver("snap-s2", 600, { completed: false })]).primary.status, "an old source's first point in progress").to.equal("in-progress");
    expect(silverRpo).to.equal(silverOf([]).primary.rpoSeconds);

    // DR: no copy while the oldest primary point is 30 min old (lag 1 h): pending; 2 h old: never backed up.
    const [young] = run([p("snap-a", 1800)]);
    expect([young.primary.status, young.dr?.status, young.outOfPolicy]).to.deep.equal(["ok", "pending-first-backup", false]);
    const [old] = run([p("snap-a", 7200), p("snap-b", 1800)]);
    expect([old.dr?.status, old.outOfPolicy]).to.deep.equal(["never-backed-up", true]);

    // DR copy under another key: the control fails it, coverage does not.
    const [foreign] = run([p("snap-a", 1800)], [drCopy("snap-ad", 1200, `arn:aws:kms:${DR}:123456789012:key/99999999-2222-4333-8444-555555555555`)]);
    expect([foreign.dr?.status, foreign.outOfPolicy]).to.deep.equal(["ok", false]);
    const control = evaluateControls({ plans: settings.plans, sources: [foreign], unselected: [], vaults: [], options: REPORT_OPTIONS }).find((c) => c.id === "BACKUP_RECOVERY_POINT_ENCRYPTED");
    expect(control).to.deep.include({ failing: 1, examples: ["i-0a"] });
  });
});
