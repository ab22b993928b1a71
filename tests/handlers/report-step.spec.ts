// The daily report step over the fake AWS with a fixed clock: the compliance report written as JSON (parsed with the
// one schema) and as a page to the primary vault under the day's keys, its numbers, the vaults' lock, the protected
// buckets' replication, last month's cost (available, not yet, disabled, failed), the controls, a region down, the
// metrics, when the summary goes out, and a rerun the same day.
import { expect } from "chai";
import { TAG_RESTORE_ID, TAG_STACK } from "../../handlers/catalog";
import type { ReportOptions, ReportResult } from "../../handlers/report/contract";
import { runReport } from "../../handlers/report/report-step";
import { complianceReportSchema, type ComplianceReport } from "../../handlers/report/schema";
import { FakeAws } from "../helpers/aws-fake";
import { objectContentType, setBucketConfig } from "../helpers/aws-fake-storage";
import { AwsFault } from "../helpers/aws-wire";
import { TOPIC_NAME, VAULT_BUCKET } from "../helpers/backup-fleet";
import { addSource, backUp, DR, DR_KEY_ARN, DR_VAULT_BUCKET, PRIMARY, REPORT_OPTIONS, PRIMARY_KEY_ARN, reportDeps, reportSettings, SELECTION_KEY } from "../helpers/report-setup";

const NOW = new Date("2026-12-02T09:00:00.000Z");
const JSON_KEY = "reports/compliance/2026/12/02.json";
const HTML_KEY = "reports/compliance/2026/12/02.html";
const PROTECTED = "app-data";
const REPLICA = "backup-dr-test-replica-app-data";
const LOCKED = { objectLock: { enabled: true, mode: "COMPLIANCE" as const, days: 30 } };
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

describe("report step: the daily compliance report", () => {
  let fake: FakeAws;
  let deps: ReturnType<typeof reportDeps>;
  let topicArn: string;
  let healthy: string;

  /** Settings with report options changed. */
  const settings = (options: Partial<ReportOptions> = {}) =>
    reportSettings({ BACKUP_DR_REPORT: JSON.stringify({ ...REPORT_OPTIONS, protectedBuckets: [{ bucket: PROTECTED, replica: REPLICA }], ...options }) });
  const run = (options: Partial<ReportOptions> = {}): Promise<ReportResult> => runReport(deps, settings(options));
  const written = (key = JSON_KEY): string | undefined => fake.region(PRIMARY).buckets.get(VAULT_BUCKET)?.get(key);
  const report = (): ComplianceReport => complianceReportSchema.parse(JSON.parse(written() ?? "null"));
  const messages = () => fake.region(PRIMARY).topics.get(topicArn) ?? [];
  const control = (id: string) => report().controls.find((c) => c.id === id);

  beforeEach(() => {
    fake = new FakeAws();
    const primary = fake.region(PRIMARY);
    primary.addBucket(VAULT_BUCKET);
    primary.addBucket(PROTECTED);
    topicArn = primary.addTopic(TOPIC_NAME);
    fake.region(DR).addBucket(DR_VAULT_BUCKET);
    setBucketConfig(primary, VAULT_BUCKET, LOCKED);
    setBucketConfig(fake.region(DR), DR_VAULT_BUCKET, { objectLock: { enabled: true, mode: "GOVERNANCE", years: 1 } });
    setBucketConfig(primary, PROTECTED, { replication: [{ destinationBucket: `arn:aws:s3:::${REPLICA}`, status: "Enabled", timeControl: true }] });
    deps = reportDeps(fake, () => NOW);
    // A healthy fleet: gold (6-hourly, copied) backed up at 06:00 and copied; silver (daily 02:30 Berlin) at 01:30Z.
    healthy = addSource(fake, "ec2", "gold", hoursAgo(24 * 30), "web-1");
    backUp(fake, "ec2", healthy, "gold", hoursAgo(9), { copyAfterMinutes: 30 });
    backUp(fake, "ec2", healthy, "gold", hoursAgo(3), { copyAfterMinutes: 30 });
    const daily = addSource(fake, "ec2", "silver", hoursAgo(24 * 30), "batch-1");
    backUp(fake, "ec2", daily, "silver", new Date("2026-12-02T01:30:00Z"));
    fake.ce.groups = [
      { plan: "gold", region: PRIMARY, amount: 1.5 },
      { plan: "gold", region: DR, amount: 0.75 },
      { plan: "silver", region: PRIMARY, amount: 0.3 },
      { plan: "gold", region: PRIMARY, amount: 0.25 },
      { region: PRIMARY, amount: 0.1 },
    ];
  });

  it("writes a healthy fleet's report at the day's keys: schema-valid JSON, the page, every control passing, no summary", async () => {
    const result = await run();
    expect(result).to.deep.equal({ step: "report", date: "2026-12-02", jsonKey: JSON_KEY, htmlKey: HTML_KEY, outOfPolicy: 0, unselected: 0, controlsFailed: 0, notified: false });
    const r = report();
    expect(r.generatedAt).to.equal(NOW.toISOString());
    expect(r.summary).to.deep.equal({ plans: 2, sources: 2, outOfPolicy: 0, unselected: 0, controlsFailed: 0 });
    expect(r.controls.map((c) => [c.id, c.passed, c.checked, c.failing])).to.deep.equal([
      ["BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", true, 2, 0],
      ["BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", true, 2, 0],
      ["BACKUP_RECOVERY_POINT_ENCRYPTED", true, 2, 0],
      ["BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", true, 1, 0],
      ["BACKUP_LAST_RECOVERY_POINT_CREATED", true, 2, 0],
      ["BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", true, 2, 0],
    ]);
    expect(r.vaults).to.deep.equal([
      { role: "primary", region: PRIMARY, bucket: VAULT_BUCKET, locked: true, mode: "COMPLIANCE", retentionDays: 30 },
      { role: "dr", region: DR, bucket: DR_VAULT_BUCKET, locked: true, mode: "GOVERNANCE", retentionDays: 365 },
    ]);
    expect(r.replication).to.deep.equal([{ bucket: PROTECTED, replica: REPLICA, status: "enabled", timeControl: true }]);
    expect(r.errors).to.deep.equal([]);
    const source = r.sources.find((s) => s.source === healthy);
    expect(source?.primary.status).to.equal("ok");
    expect(source?.dr?.status).to.equal("ok");
    expect(source?.dr?.lastPoint?.kmsKeyIds).to.deep.equal([DR_KEY_ARN]);
    expect(objectContentType(fake.region(PRIMARY), VAULT_BUCKET, JSON_KEY)).to.equal("application/json");
    expect(objectContentType(fake.region(PRIMARY), VAULT_BUCKET, HTML_KEY)).to.equal("text/html; charset=utf-8");
    const page = written(HTML_KEY) ?? "";
    expect(page).to.match(/^<!DOCTYPE html>/i);
    expect(page).to.include(healthy);
    expect(messages()).to.deep.equal([]);
  });

  it("sums last month's snapshot cost per plan and region over every page, untagged apart, with the filter it documents", async () => {
    fake.ce.pageCap = 2;
    await run();
    const { cost } = report();
    expect(cost).to.deep.equal({
      status: "available",
      period: { start: "2026-11-01", end: "2026-12-01" },
      currency: "USD",
      byPlan: [
        { plan: "gold", region: PRIMARY, amount: 1.75 },
        { plan: "gold", region: DR, amount: 0.75 },
        { plan: "silver", region: PRIMARY, amount: 0.3 },
      ],
      untagged: 0.1,
    });
    expect(fake.ce.requests).to.have.length(3);
    const [first, second] = fake.ce.requests;
    expect(first.NextPageToken).to.equal(undefined);
    expect(second.NextPageToken).to.be.a("string");
    expect(first.Granularity).to.equal("MONTHLY");
    expect(first.Metrics).to.deep.equal(["UnblendedCost"]);
    expect(first.GroupBy).to.deep.equal([{ Type: "TAG", Key: "backup-dr:plan" }, { Type: "DIMENSION", Key: "REGION" }]);
    const filter = JSON.stringify(first.Filter);
    expect(filter).to.include(JSON.stringify({ Tags: { Key: TAG_STACK, Values: [report().stack] } }));
    expect(filter).to.include("USAGE_TYPE_GROUP");
    expect(filter).to.include(`USW2-`);
    expect(fake.handled().filter((c) => c.service === "ce").every((c) => c.region === "us-east-1")).to.equal(true);
  });

  it("cost: not yet available when no cost carries a plan, disabled without cost tags (no call), error when Cost Explorer refuses", async () => {
    fake.ce.groups = [{ region: PRIMARY, amount: 0.4 }];
    await run();
    expect(report().cost.status).to.equal("not-yet-available");
    expect(report().cost.untagged).to.equal(0.4);
    expect(report().cost.note).to.match(/tag/);

    const calls = fake.ce.requests.length;
    await run({ costTags: false });
    expect(report().cost).to.deep.include({ status: "disabled", byPlan: [] });
    expect(fake.ce.requests).to.have.length(calls);

    fake.permanent = (call) => (call.service === "ce" ? new AwsFault("AccessDeniedException", 400, "User is not authorized to perform ce:GetCostAndUsage") : undefined);
    const result = await run();
    expect(result.jsonKey).to.equal(JSON_KEY);
    expect(report().cost.status).to.equal("error");
    expect(report().cost.error?.name).to.equal("AccessDeniedException");
    expect(report().errors.map((e) => [e.where, e.name])).to.deep.equal([["cost explorer", "AccessDeniedException"]]);
  });

  it("flags an unlocked vault in the vault-lock control, and a late source, an unselected database and a weak plan each in theirs; the summary goes out", async () => {
    setBucketConfig(fake.region(DR), DR_VAULT_BUCKET, {});
    const late = addSource(fake, "rds", "gold", hoursAgo(24 * 30), "orders-db");
    backUp(fake, "rds", late, "gold", hoursAgo(15), { copyAfterMinutes: 30 });
    const forgotten = addSource(fake, "rds", null, hoursAgo(24 * 30), "forgotten-db");
    const result = await runReport(deps, reportSettings({
      BACKUP_DR_REPORT: JSON.stringify({ ...REPORT_OPTIONS, protectedBuckets: [{ bucket: PROTECTED, replica: REPLICA }], requiredFrequencySeconds: 6 * 3600, requiredRetentionDays: 8 }),
    }));
    expect(result).to.deep.include({ outOfPolicy: 1, unselected: 1, notified: true });
    expect(report().vaults[1]).to.deep.equal({ role: "dr", region: DR, bucket: DR_VAULT_BUCKET, locked: false });
    expect(control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK")).to.deep.include({ passed: false, checked: 2, failing: 1, examples: [DR_VAULT_BUCKET] });
    expect(control("BACKUP_LAST_RECOVERY_POINT_CREATED")).to.deep.include({ passed: false, failing: 1, examples: [late] });
    expect(control("BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION")).to.deep.include({ passed: false, failing: 1, examples: [late] });
    expect(control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN")).to.deep.include({ passed: false, checked: 4, failing: 1, examples: [forgotten] });
    // gold keeps 7 daily (7 days < 8); silver backs up daily (more than 6 h apart) and keeps 7 days.
    expect(control("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK")).to.deep.include({ passed: false, checked: 2, failing: 2, examples: ["gold", "silver"] });
    expect(result.controlsFailed).to.equal(5);
    const [message] = messages();
    expect(messages()).to.have.length(1);
    expect(message.subject?.length).to.be.at.most(100);
    expect(message.subject).to.include("1 out of policy");
    expect(message.message).to.include(`s3://${VAULT_BUCKET}/${HTML_KEY}`);
    expect(message.message).to.include(late);
    expect(message.message).to.include(DR_VAULT_BUCKET);
  });

  it("a vault with Object Lock enabled but no default retention is not locked (no error); Years count as a retention", async () => {
    setBucketConfig(fake.region(PRIMARY), VAULT_BUCKET, { objectLock: { enabled: true } });
    await run();
    expect(report().vaults).to.deep.equal([
      { role: "primary", region: PRIMARY, bucket: VAULT_BUCKET, locked: false },
      { role: "dr", region: DR, bucket: DR_VAULT_BUCKET, locked: true, mode: "GOVERNANCE", retentionDays: 365 },
    ]);
    expect(report().errors).to.deep.equal([]);
    expect(control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK")).to.deep.include({ passed: false, checked: 2, failing: 1, examples: [VAULT_BUCKET] });
  });

  it("replication: a disabled rule, a bucket without configuration, and a rule to another bucket only", async () => {
    const others = ["logs-a", "logs-b", "logs-c"];
    for (const b of others) fake.region(PRIMARY).addBucket(b);
    setBucketConfig(fake.region(PRIMARY), "logs-a", { replication: [{ destinationBucket: "arn:aws:s3:::replica-a", status: "Disabled", timeControl: true }] });
    setBucketConfig(fake.region(PRIMARY), "logs-c", { replication: [{ destinationBucket: "arn:aws:s3:::someone-elses", status: "Enabled" }] });
    setBucketConfig(fake.region(PRIMARY), PROTECTED, { replication: [{ destinationBucket: `arn:aws:s3:::${REPLICA}`, status: "Enabled", timeControl: false }] });
    await runReport(deps, reportSettings({
      BACKUP_DR_REPORT: JSON.stringify({ ...REPORT_OPTIONS, protectedBuckets: [{ bucket: PROTECTED, replica: REPLICA }, ...others.map((b) => ({ bucket: b, replica: `replica-${b.slice(-1)}` }))] }),
    }));
    expect(report().replication.map((r) => [r.bucket, r.status, r.timeControl])).to.deep.equal([
      [PROTECTED, "enabled", false],
      ["logs-a", "disabled", false],
      ["logs-b", "missing", false],
      ["logs-c", "missing", false],
    ]);
    expect(report().errors).to.deep.equal([]);
  });

  it("replication: a prefix or tag filter is partial (shown as not enabled), an empty prefix is the whole bucket", async () => {
    const others = ["logs-a", "logs-b", "logs-c"];
    for (const b of others) fake.region(PRIMARY).addBucket(b);
    const to = (replica: string) => `arn:aws:s3:::${replica}`;
    setBucketConfig(fake.region(PRIMARY), PROTECTED, { replication: [{ destinationBucket: to(REPLICA), status: "Enabled", timeControl: true, prefix: "logs/" }] });
    setBucketConfig(fake.region(PRIMARY), "logs-a", { replication: [{ destinationBucket: to("replica-a"), status: "Enabled", tag: { key: "replicate", value: "yes" } }] });
    setBucketConfig(fake.region(PRIMARY), "logs-b", { replication: [{ destinationBucket: to("replica-b"), status: "Enabled", prefix: "" }, { destinationBucket: to("replica-b"), status: "Enabled", prefix: "tmp/" }] });
    setBucketConfig(fake.region(PRIMARY), "logs-c", { replication: [{ destinationBucket: to("replica-c"), status: "Enabled", prefix: "", tag: { key: "replicate", value: "yes" } }] });
    const result = await runReport(deps, reportSettings({
      BACKUP_DR_REPORT: JSON.stringify({ ...REPORT_OPTIONS, notifyOn: "always", protectedBuckets: [{ bucket: PROTECTED, replica: REPLICA }, ...others.map((b) => ({ bucket: b, replica: `replica-${b.slice(-1)}` }))] }),
    }));
    expect(report().replication.map((r) => [r.bucket, r.status, r.timeControl])).to.deep.equal([
      [PROTECTED, "partial", true],
      ["logs-a", "partial", false],
      ["logs-b", "enabled", false],
      ["logs-c", "partial", false],
    ]);
    expect(written(HTML_KEY)).to.include(`<strong data-field="status" data-value="partial">PARTIAL</strong>`);
    expect(result.notified).to.equal(true);
    expect(messages()[0].message).to.include(`${PROTECTED} -> ${REPLICA}: partial`);
  });

  it("replication: the replica's ARN is in the stack's partition (aws-cn from the key's ARN), not always arn:aws", async () => {
    const cn = (arn: string) => arn.replace(/^arn:aws:/, "arn:aws-cn:");
    const cnSettings = (replicaArn: string) => {
      setBucketConfig(fake.region(PRIMARY), PROTECTED, { replication: [{ destinationBucket: replicaArn, status: "Enabled", timeControl: true }] });
      return reportSettings({ BACKUP_DR_KEY_ARN: cn(PRIMARY_KEY_ARN), BACKUP_DR_DR_KEY_ARN: cn(DR_KEY_ARN), BACKUP_DR_REPORT: JSON.stringify({ ...REPORT_OPTIONS, protectedBuckets: [{ bucket: PROTECTED, replica: REPLICA }] }) });
    };
    const settingsCn = cnSettings(`arn:aws-cn:s3:::${REPLICA}`);
    expect(settingsCn.partition).to.equal("aws-cn");
    await runReport(deps, settingsCn);
    expect(report().replication.map((r) => r.status)).to.deep.equal(["enabled"]);
    await runReport(deps, cnSettings(`arn:aws:s3:::${REPLICA}`));
    expect(report().replication.map((r) => r.status)).to.deep.equal(["missing"]);
  });

  it("writes the report with errors when the DR region is down: DR statuses unknown and out of policy, the DR vault's error recorded", async () => {
    fake.permanent = (call) => (call.region === DR ? new AwsFault("ServiceUnavailable", 503, "the region is down") : undefined);
    const result = await run();
    expect(result.jsonKey).to.equal(JSON_KEY);
    const r = report();
    const source = r.sources.find((s) => s.source === healthy);
    expect(source?.primary.status).to.equal("ok");
    expect(source?.dr?.status).to.equal("unknown");
    expect(source?.outOfPolicy).to.equal(true);
    expect(r.vaults[1]).to.deep.include({ locked: false });
    expect(r.vaults[1].error?.name).to.equal("ServiceUnavailable");
    expect(r.errors.map((e) => e.where)).to.include(`${DR} vault ${DR_VAULT_BUCKET}`);
    expect(r.errors.some((e) => e.where.startsWith(`${DR} `) && !e.where.includes("vault"))).to.equal(true);
    expect(result.notified).to.equal(true);
    expect(messages()[0].message).to.include("Could not be read");
  });

  it("publishes the coverage set per plan (0 included) and ResourcesNotSelected for the primary region", async () => {
    addSource(fake, "aurora", "nope", hoursAgo(100), "analytics");
    await run();
    expect(deps.metrics.map((m) => [m.set, m.dimensions, m.values])).to.deep.equal([
      ["coverage", { Plan: "gold" }, { SourcesChecked: 1, SourcesOutOfPolicy: 0 }],
      ["coverage", { Plan: "silver" }, { SourcesChecked: 1, SourcesOutOfPolicy: 0 }],
      ["unselected", { Region: PRIMARY }, { ResourcesNotSelected: 1 }],
    ]);
  });

  it("a failing control alone sends no summary; resources a restore or drill created stay unselected, named by their restore", async () => {
    const forgotten = addSource(fake, "rds", null, hoursAgo(24 * 30), "forgotten-db");
    const restoredVm = fake.region(PRIMARY).addInstance("running", { [TAG_RESTORE_ID]: "restore-7", [TAG_STACK]: "test", Name: "web-1-restored" }).id;
    fake.region(PRIMARY).addDbInstance("orders-db-restored", "available", { [TAG_RESTORE_ID]: "drill-3-r1", [TAG_STACK]: "test" });
    const result = await run({ notifyOn: "outOfPolicy" });
    expect(result).to.deep.include({ outOfPolicy: 0, unselected: 3, controlsFailed: 1, notified: false });
    expect(messages()).to.have.length(0);
    expect(report().unselected.map((u) => [u.id, u.reason])).to.have.deep.members([
      [forgotten, `no ${SELECTION_KEY} tag`],
      [restoredVm, "restored by backup-dr (restore restore-7); opt it into a plan if you keep it"],
      ["orders-db-restored", "restored by backup-dr (restore drill-3-r1); opt it into a plan if you keep it"],
    ]);
    expect(control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN")).to.deep.include({ passed: false, failing: 3 });
  });

  it("sends the summary of a healthy fleet only with notifyOn always", async () => {
    await run({ notifyOn: "outOfPolicy" });
    expect(messages()).to.have.length(0);
    const result = await run({ notifyOn: "always" });
    expect(result.notified).to.equal(true);
    expect(messages()).to.have.length(1);
    expect(messages()[0].subject).to.match(/compliance 2026-12-02: OK$/);
  });

  it("a rerun the same day writes the same keys again (the day's report replaced, nothing else written)", async () => {
    const first = await run();
    const later = new Date(NOW.getTime() + 3 * 3_600_000);
    deps = reportDeps(fake, () => later);
    const second = await run();
    expect(second.jsonKey).to.equal(first.jsonKey);
    expect(second.htmlKey).to.equal(first.htmlKey);
    expect(report().generatedAt).to.equal(later.toISOString());
    expect([...(fake.region(PRIMARY).buckets.get(VAULT_BUCKET)?.keys() ?? [])].sort()).to.deep.equal([HTML_KEY, JSON_KEY]);
    const mutating = fake.handled().filter((c) => !/^(Describe|List|Get)/.test(c.action) && c.action !== "GetCostAndUsage");
    expect(mutating.map((c) => c.action)).to.deep.equal(["PutObject", "PutObject", "PutObject", "PutObject"]);
  });

  it("comes out the same through transient faults beneath the SDK's retries", async () => {
    await run();
    const clean = report();
    const faults = fake.injectFaults({ rate: 0.5, kinds: ["500", "throttle", "timeout"], seed: 19 });
    await run();
    fake.injectFaults(undefined);
    const faulted = report();
    expect(Object.values(faults?.injected ?? {}).reduce((a, b) => a + b, 0)).to.be.greaterThan(4);
    expect(fake.calls.some((c) => c.service === "ce" && c.fault !== undefined) || fake.calls.some((c) => c.action === "GetObjectLockConfiguration" && c.fault !== undefined)).to.equal(true);
    expect({ ...faulted, generatedAt: "" }).to.deep.equal({ ...clean, generatedAt: "" });
  });

  it("writes the day's report and sends the summary when answers of the writes and the publish are lost (S3 and SNS acted)", async () => {
    addSource(fake, "rds", null, hoursAgo(48), "forgotten-db");
    const loser = fake.loseAnswers({ rate: 0.5, kinds: ["timeout", "500"], seed: 7, actions: ["PutObject", "Publish"] });
    const result = await run({ notifyOn: "always" });
    fake.loseAnswers(undefined);
    expect(Object.values(loser?.lost ?? {}).reduce((a, b) => a + b, 0)).to.be.greaterThan(0);
    expect(result.notified).to.equal(true);
    expect(report().summary.unselected).to.equal(1);
    expect(written(HTML_KEY)).to.match(/^<!DOCTYPE html>/i);
    expect(messages().length).to.be.at.least(1);
  });

  it("stops reading Cost Explorer after 100 pages (a token that never ends): cost error, report written", async () => {
    fake.ce.pageCap = 1;
    fake.ce.groups = Array.from({ length: 150 }, (_, i) => ({ plan: "gold", region: PRIMARY, amount: i }));
    await run();
    expect(fake.ce.requests).to.have.length(100);
    expect(report().cost.status).to.equal("error");
    expect(report().cost.error?.name).to.equal("CostPagesExceededError");
  });
});
