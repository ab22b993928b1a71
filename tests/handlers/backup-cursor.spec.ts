// Acceptance (issue 20, item 4): a backup run longer than one invocation, driven step by step with the time Lambda
// leaves each invocation: one snapshot set per source and one manifest, a killed invocation retried with the same
// cursor, the run's deadline, and snapshot locks placed within the invocation's time.
import { expect } from "chai";
import { stepBackup, type BackupDeps } from "../../handlers/backup/run";
import type { BackupManifest } from "../../handlers/backup/report";
import type { BackupSettings } from "../../handlers/backup/types";
import { FakeAws } from "../helpers/aws-fake";
import { fakeClients } from "../helpers/aws-clients";
import { backups, manifests, notifications } from "../helpers/aws-inspect";
import { backupDeps, backupSettings, type Recorded } from "../helpers/backup-setup";
import { setLockClock } from "../helpers/aws-fake-lock";
import { AwsFault } from "../helpers/aws-wire";
import { buildFleet, goldSources, type Fleet } from "../helpers/backup-fleet";
import { finished, invocationClock, killableClients, unfinished, until, virtualClock } from "../helpers/run-steps";

const SLOT = "2026-11-22T11:00:00Z";
const EVENT = { plan: "gold", scheduledTime: SLOT };
const KEY = "runs/backup/2026/11/22/gold-2026-11-22T11-00-00Z.json";
const RUN = "gold@2026-11-22T11:00:00Z";

describe("backup past one invocation (cursor)", () => {
  let fake: FakeAws;
  let fleet: Fleet;
  let clock: ReturnType<typeof virtualClock>;
  beforeEach(() => {
    fake = new FakeAws();
    fleet = buildFleet(fake);
    clock = virtualClock(new Date("2026-11-22T11:01:00Z"));
  });

  const deps = (remainingMs?: () => number, clients = fakeClients(fake)): BackupDeps & { recorded: Recorded } => ({
    ...backupDeps(clients, clock.now),
    sleep: clock.sleep,
    ...(remainingMs === undefined ? {} : { remainingMs }),
  });

  /** Every gold source has exactly its set (an instance: one snapshot per volume; a database: one), all of this run. */
  const expectOneSetPerSource = () => {
    const made = backups(fake.region(), RUN);
    for (const source of goldSources(fleet)) expect(made.filter((b) => b.source === source), source).to.have.length(fleet.gold.ec2.get(source)?.length ?? 1);
    expect(made).to.have.length(goldSources(fleet).reduce((n, source) => n + (fleet.gold.ec2.get(source)?.length ?? 1), 0));
  };
  const listed = (manifest: BackupManifest) => manifest.sources.map((o) => o.source).sort();
  const allListed = () => [...goldSources(fleet), ...fleet.goldSkipped.keys()].sort();

  it("a run over 3 invocations backs up each source once and writes one manifest listing them all, one notification, one metric set", async () => {
    const settings: BackupSettings = backupSettings({ BACKUP_DR_NOTIFY_ON: "always" });
    const time = invocationClock([6, 6]);
    const shared = deps(time.remainingMs);

    const first = unfinished(await stepBackup(shared, settings, EVENT));
    expect(first.part).to.equal(`s3://backup-dr-test-vault/${KEY.replace(".json", ".part-1-20261122T110100000Z.json")}`);
    expect(first.cursor).to.deep.include({ function: "backup", runId: RUN, plan: "gold", scheduled: true, slot: SLOT, invocation: 1, deadline: "2026-11-22T13:01:00Z" });
    // Unfinished invocations publish nothing and send nothing; their outcomes are in the part.
    expect(shared.recorded.metrics).to.deep.equal([]);
    expect(notifications(fake.region())).to.deep.equal([]);
    expect(manifests(fake.region()).has(KEY)).to.be.false;

    time.next();
    const second = unfinished(await stepBackup(shared, settings, { cursor: first.cursor }));
    expect(second.cursor).to.deep.include({ invocation: 2, startedAt: first.cursor.startedAt, deadline: first.cursor.deadline });
    expect(second.cursor.parts).to.deep.equal([...first.cursor.parts, KEY.replace(".json", ".part-2-20261122T110100000Z.json")]);
    expect(second.cursor.after > first.cursor.after).to.be.true;

    time.next();
    const { manifest } = finished(await stepBackup(shared, settings, { cursor: second.cursor }));
    expect(manifest).to.deep.include({ invocations: 3, parts: second.cursor.parts, startedAt: first.cursor.startedAt });
    expect(manifest.counts).to.deep.equal({ created: goldSources(fleet).length, skipped: fleet.goldSkipped.size, failed: 0 });
    expect(listed(manifest)).to.deep.equal(allListed());
    expectOneSetPerSource();

    // Each part holds what its invocation did, a prefix of what was left, and no part repeats another's sources.
    const stored = manifests(fake.region());
    expect([...stored.keys()].sort()).to.deep.equal([KEY, ...second.cursor.parts].sort());
    const [part1, part2] = second.cursor.parts.map((key) => (stored.get(key) as unknown as { sources: { source: string }[] }).sources.map((o) => o.source));
    expect(part1).to.have.length(6);
    expect(part2).to.have.length(6);
    expect(part1.filter((s) => part2.includes(s))).to.deep.equal([]);
    expect(stored.get(KEY)).to.deep.equal(manifest);
    expect(shared.recorded.metrics).to.have.length(1);
    expect(notifications(fake.region())).to.have.length(1);
    expect(notifications(fake.region())[0].message).to.include("Invocations: 3");
  });

  it("an invocation killed mid-way (no part, no answer) retried with the same cursor loses nothing and makes nothing twice", async () => {
    const settings = backupSettings();
    const time = invocationClock([3]);
    const first = unfinished(await stepBackup(deps(time.remainingMs), settings, EVENT));
    const createsBefore = fake.handled("CreateSnapshots").length;

    // The second invocation dies right after AWS made its second EBS snapshot set: that answer never comes back (nor
    // those of requests already on their way, which AWS may still act on).
    const victim = killableClients(fake, () => fake.handled("CreateSnapshots").length >= createsBefore + 2);
    void stepBackup(deps(undefined, victim.clients), settings, { cursor: first.cursor });
    await until(victim.killed);
    expect(fake.handled("CreateSnapshots").length).to.be.at.least(createsBefore + 2);
    expect(manifests(fake.region()).has(KEY.replace(".json", ".part-2-20261122T110100000Z.json"))).to.be.false;

    // Step Functions retries the turn with the same cursor.
    const { manifest } = finished(await stepBackup(deps(), settings, { cursor: first.cursor }));
    expectOneSetPerSource();
    expect(fake.handled("CreateSnapshots")).to.have.length(fleet.gold.ec2.size);
    expect(listed(manifest)).to.deep.equal(allListed());
    expect(manifest.sources.filter((o) => o.status === "failed" || o.status === "deferred")).to.deep.equal([]);
    // What the killed invocation made is found by its run id tag: reported as already existing, with its snapshots.
    const found = manifest.sources.filter((o) => o.reason === "already exists");
    expect(found.length).to.be.at.least(2);
    for (const o of found) expect(o.snapshotIds).to.have.length(fleet.gold.ec2.get(o.source)?.length ?? 1);
    expect(manifest).to.deep.include({ invocations: 2, parts: first.cursor.parts });
  });

  it("past the run's deadline an invocation starts nothing, reports the rest as deferred naming the deadline, and finishes the run as failed", async () => {
    const settings = backupSettings({ BACKUP_DR_RUN_DEADLINE_MINUTES: "15" });
    const first = unfinished(await stepBackup(deps(invocationClock([5]).remainingMs), settings, EVENT));
    expect(first.cursor.deadline).to.equal("2026-11-22T11:16:00Z");
    const made = backups(fake.region()).length;
    await clock.sleep(20 * 60_000);

    const error = await stepBackup(deps(), settings, { cursor: first.cursor }).then(() => undefined, (e: unknown) => e);
    expect(error).to.have.property("name", "RunFailedError");
    expect((error as Error).message).to.include("not backed up").and.include("the run's deadline 2026-11-22T11:16:00Z passed");
    expect(backups(fake.region())).to.have.length(made);

    const manifest = manifests(fake.region()).get(KEY);
    expect(manifest).to.deep.include({ invocations: 2, deadline: "2026-11-22T11:16:00Z" });
    const deferred = manifest?.sources.filter((o) => o.status === "deferred") ?? [];
    expect(deferred.length).to.be.greaterThan(0);
    for (const o of deferred) expect(o.reason).to.match(/^not started: the run's deadline 2026-11-22T11:16:00Z passed/);
    expect(manifest?.counts.failed).to.equal(deferred.length);
    expect(listed(manifest as BackupManifest)).to.deep.equal(allListed());
    const [message] = notifications(fake.region());
    expect(message.subject).to.match(/^backup-dr backup FAILED/);
  });

  it("with snapshot locks on, each source's locks are part of its work: no AWS call once an invocation's time is up, each snapshot locked once", async () => {
    // One source at a time, so the calls' costs add up as the invocation's time does: each handled call costs 5 s
    // of an invocation that starts with 160 s (the 60 s margin plus about 20 calls), a stand-in for thousands of calls.
    const COST_MS = 5_000;
    const BUDGET_MS = 160_000;
    setLockClock(fake.region(), clock.now);
    const settings = backupSettings({ BACKUP_DR_SNAPSHOT_LOCK: "COMPLIANCE", BACKUP_DR_CONCURRENCY: "1" });
    let base = 0;
    const remainingMs = () => BUDGET_MS - (fake.handled().length - base) * COST_MS;
    const spent: number[] = [];
    const step = async (event: unknown) => {
      base = fake.handled().length;
      const answer = await stepBackup(deps(remainingMs), settings, event);
      spent.push(fake.handled().length - base);
      return answer;
    };

    let answer = await step(EVENT);
    while (!answer.done) answer = await step({ cursor: answer.cursor });
    const { manifest } = answer;

    expect(spent.length).to.be.at.least(3);
    // Every call an invocation made was over before its time was: the last one ends with remainingMs >= 0.
    for (const [i, calls] of spent.entries()) expect(BUDGET_MS - calls * COST_MS, `invocation ${i + 1}`).to.be.at.least(0);
    expectOneSetPerSource();
    const ebs = backups(fake.region(), RUN).filter((b) => b.kind === "ec2").map((b) => b.id).sort();
    expect(fake.handled("LockSnapshot").map((c) => c.params.get("SnapshotId")).sort()).to.deep.equal(ebs);
    expect(manifest.counts).to.deep.equal({ created: goldSources(fleet).length, skipped: fleet.goldSkipped.size, failed: 0 });
    expect(manifest.sources.flatMap((o) => o.locks ?? []).map((l) => `${l.snapshotId} ${l.status}`).sort()).to.deep.equal(ebs.map((id) => `${id} locked`));
  });

  it("a later invocation's listing failure of a kind the run already finished is no failure of the run", async () => {
    const settings = backupSettings();
    const time = invocationClock([6]);
    const first = unfinished(await stepBackup(deps(time.remainingMs), settings, EVENT));
    // Every aurora source (the first kind) ended in invocation 1.
    expect(first.cursor.after).to.match(/^ec2\//);
    fake.permanent = (call) => (call.action === "DescribeDBClusters" ? new AwsFault("AccessDenied", 403, "not authorized to perform rds:DescribeDBClusters") : undefined);

    time.next();
    const { manifest } = finished(await stepBackup(deps(time.remainingMs), settings, { cursor: first.cursor }));
    expect(manifest.selectionFailures).to.deep.equal([]);
    expect(manifest.counts).to.deep.equal({ created: goldSources(fleet).length, skipped: fleet.goldSkipped.size, failed: 0 });
    expect(listed(manifest)).to.deep.equal(allListed());
    expectOneSetPerSource();
  });

  it("a later invocation's listing failure of a kind with work left after the cursor still fails the run", async () => {
    const settings = backupSettings();
    const time = invocationClock([6]);
    const first = unfinished(await stepBackup(deps(time.remainingMs), settings, EVENT));
    expect(first.cursor.after).to.match(/^ec2\//);
    // DB instances cannot be listed any more: the rds kind (after the cursor) fails, and so does the aurora listing
    // (it reads the writers' instance classes), a kind the run already finished.
    fake.permanent = (call) => (call.action === "DescribeDBInstances" ? new AwsFault("AccessDenied", 403, "not authorized to perform rds:DescribeDBInstances") : undefined);

    time.next();
    const error = await stepBackup(deps(time.remainingMs), settings, { cursor: first.cursor }).then(() => undefined, (e: unknown) => e);
    expect(error).to.have.property("name", "RunFailedError");
    const manifest = manifests(fake.region()).get(KEY);
    expect(manifest?.selectionFailures.map((f) => f.kind)).to.deep.equal(["rds"]);
    expect(String((error as Error).message)).to.include("listing rds resources").and.not.include("listing aurora resources");
  });

  it("a rerun of an old slot counts its deadline from its own start, not from the slot", async () => {
    clock = virtualClock(new Date("2026-11-25T09:00:00Z"));
    const first = unfinished(await stepBackup(deps(invocationClock([2]).remainingMs), backupSettings(), EVENT));
    expect(first.cursor.deadline).to.equal("2026-11-25T11:00:00Z");
  });
});
