// The dashboard under mocks (dev and prod): its body as CloudWatch gets it. Every BackupDr metric it graphs is a
// catalogued metric with exactly its catalogued dimensions (handlers/lib/metrics.ts); every plan, region, quota kind,
// protected bucket, drilled plan and function of the stack is on it, each in the region its metrics are published
// in; at most 100 widgets; its URL is the stack output.
import { expect } from "chai";
import { QUOTA_KINDS } from "../../handlers/catalog";
import { cataloguedMetrics, METRICS_NAMESPACE, type MetricName } from "../../handlers/lib/metrics";
import type { BackupDrConfig } from "../../infra/config";
import { MAX_DASHBOARD_WIDGETS } from "../../infra/dashboard";
import { REPLICATION_RULE_ID } from "../../infra/replication";
import { deployStack, type Deployed } from "../helpers/deploy";
import { promiseOf, type Registered } from "../helpers/program";
import { ofType, one, providerName, TYPE } from "../helpers/resources";
import { stackValues } from "../helpers/stacks";

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: { title?: string; region?: string; markdown?: string; metrics?: unknown[][] };
}

/** One graphed metric: namespace, name, dimensions (the array's name/value pairs), rendering options, and its widget. */
interface Graphed {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  stat: string;
  region: string;
  title: string;
}

function bodyOf(resources: Registered[]): { widgets: Widget[] } {
  return JSON.parse(String(one(resources, "aws:cloudwatch/dashboard:Dashboard", "dashboard").inputs.dashboardBody)) as { widgets: Widget[] };
}

function graphed(widgets: Widget[]): Graphed[] {
  return widgets.flatMap((w) =>
    (w.properties.metrics ?? []).map((entry) => {
      const [namespace, name, ...rest] = entry;
      const options = rest[rest.length - 1] as { stat: string };
      const pairs = rest.slice(0, -1) as string[];
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i]] = pairs[i + 1];
      return { namespace: String(namespace), name: String(name), dimensions, stat: options.stat, region: String(w.properties.region), title: String(w.properties.title) };
    }),
  );
}

const CATALOG = new Map(cataloguedMetrics().map((m) => [m.name as string, m]));
const lines = (all: Graphed[], name: string) => all.filter((g) => g.name === name);
const dimensionValues = (all: Graphed[], name: string, dimension: string) => lines(all, name).map((g) => g.dimensions[dimension]).sort();

function checks(stack: "dev" | "prod", run: () => Deployed, withBuckets: () => Deployed) {
  const config = (): BackupDrConfig => run().result.config;
  const all = () => graphed(bodyOf(run().resources).widgets);

  it("has at most 100 widgets, laid out on CloudWatch's 24-column grid without overlap", () => {
    const widgets = bodyOf(run().resources).widgets;
    expect(widgets.length).to.be.greaterThan(10).and.at.most(MAX_DASHBOARD_WIDGETS);
    const cells = new Set<string>();
    for (const w of widgets) {
      expect(w.x + w.width, JSON.stringify(w.properties.title)).to.be.at.most(24);
      for (let x = w.x; x < w.x + w.width; x += 1) {
        for (let y = w.y; y < w.y + w.height; y += 1) {
          expect(cells.has(`${x},${y}`), `overlap at ${x},${y}`).to.equal(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it("graphs only catalogued BackupDr metrics, each with exactly its catalogued dimensions, events summed and levels at their maximum", () => {
    const ours = all().filter((g) => g.namespace === METRICS_NAMESPACE);
    expect(ours.length).to.be.greaterThan(0);
    for (const g of ours) {
      const entry = CATALOG.get(g.name);
      expect(entry, `${g.name} in the catalog`).to.not.equal(undefined);
      expect(Object.keys(g.dimensions).sort(), `${g.name} dimensions`).to.deep.equal([...(entry?.dimensions ?? [])].sort());
      for (const value of Object.values(g.dimensions)) expect(value, `${g.name} dimension value`).to.be.a("string").and.not.equal("");
    }
    const stat = (name: MetricName) => [...new Set(lines(ours, name).map((g) => g.stat))];
    expect(stat("BackupsFailed")).to.deep.equal(["Sum"]);
    expect(stat("ManualSnapshotsUsed")).to.deep.equal(["Maximum"]);
    expect(stat("SourcesOutOfPolicy")).to.deep.equal(["Maximum"]);
    expect(stat("OldestUncopiedAgeSeconds")).to.deep.equal(["Maximum"]);
    // Nothing outside our namespace and AWS's own.
    expect([...new Set(all().map((g) => g.namespace))].sort()).to.deep.equal(
      [METRICS_NAMESPACE, "AWS/Lambda", "AWS/SQS", ...(config().protectedBuckets.length > 0 ? ["AWS/S3"] : [])].sort(),
    );
  });

  it("shows every plan's backups, coverage and (when it copies) copies and DR lag, in the primary region", () => {
    const plans = config().plans.map((p) => p.name).sort();
    const copying = config().plans.filter((p) => p.copyToDr).map((p) => p.name).sort();
    for (const name of ["BackupsCreated", "BackupsSkipped", "BackupsFailed", "SourcesOutOfPolicy"]) expect(dimensionValues(all(), name, "Plan"), name).to.deep.equal(plans);
    for (const name of ["CopiesStarted", "CopiesDeferred", "CopiesFailed", "OldestUncopiedAgeSeconds"]) expect(dimensionValues(all(), name, "Plan"), name).to.deep.equal(copying);
    for (const name of ["BackupsCreated", "CopiesFailed", "SourcesOutOfPolicy", "SnapshotsDeleted", "ManualSnapshotsUsed"]) {
      expect([...new Set(lines(all(), name).map((g) => g.region))], name).to.deep.equal([config().region]);
    }
  });

  it("shows cleanup per region and the manual snapshot quota per region and kind", () => {
    const regions = [config().region, config().drRegion].sort();
    for (const name of ["SnapshotsDeleted", "SnapshotsKept", "SnapshotsDeferred"]) expect(dimensionValues(all(), name, "Region"), name).to.deep.equal(regions);
    const quota = lines(all(), "ManualSnapshotsUsed").map((g) => `${g.dimensions.Region} ${g.dimensions.Kind}`).sort();
    expect(quota).to.deep.equal(regions.flatMap((r) => QUOTA_KINDS.map((k) => `${r} ${k}`)).sort());
  });

  it("shows each drilled plan's restore time and point age in the drill's region", () => {
    const drilled = Object.keys(config().drill.plans).sort();
    const drillRegion = config().drill.region === "dr" ? config().drRegion : config().region;
    for (const name of ["DrillRestoreSeconds", "DrillRecoveryPointAgeSeconds"]) {
      expect(dimensionValues(all(), name, "Plan"), name).to.deep.equal(drilled);
      expect([...new Set(lines(all(), name).map((g) => g.region))]).to.deep.equal([drillRegion]);
    }
  });

  it("shows every function's errors, duration and throttles and its on-failure queue, in the function's own region", () => {
    const functions = ofType(run().resources, TYPE.fn);
    const regionOf = (fn: Registered) => (providerName(fn) === "dr" ? config().drRegion : config().region);
    for (const name of ["Errors", "Duration", "Throttles"]) {
      const shown = lines(all(), name).filter((g) => g.namespace === "AWS/Lambda").map((g) => `${g.dimensions.FunctionName}@${g.region}`).sort();
      expect(shown, name).to.deep.equal(functions.map((f) => `${f.name}@${regionOf(f)}`).sort());
    }
    // The mocks name a queue after its resource: every function's on-failure queue, and the copy queue's dead letters.
    const queues = lines(all(), "ApproximateNumberOfMessagesVisible").map((g) => g.dimensions.QueueName).sort();
    const expected = [...functions.map((f) => `${f.name}-failures`), ...(config().plans.some((p) => p.copyToDr) ? ["copy-queue-failed"] : [])].sort();
    expect(queues).to.deep.equal(expected);
  });

  it("its URL is the stack output, in the primary region's console, for a dashboard named after the stack", async () => {
    const url = await promiseOf(run().result.outputs.dashboardUrl);
    expect(url).to.equal(`https://${config().region}.console.aws.amazon.com/cloudwatch/home?region=${config().region}#dashboards:name=backup-dr-${stack}`);
    expect(providerName(one(run().resources, "aws:cloudwatch/dashboard:Dashboard", "dashboard"))).to.equal("primary");
  });

  it("with protected buckets: each bucket's replication latency and failed operations, with the dimensions its replication alarms watch", () => {
    const buckets = withBuckets().result.config.protectedBuckets;
    expect(buckets).to.have.length(2);
    const s3 = graphed(bodyOf(withBuckets().resources).widgets).filter((g) => g.namespace === "AWS/S3");
    for (const name of ["ReplicationLatency", "OperationsFailedReplication"]) {
      const alarmed = ofType(withBuckets().resources, TYPE.alarm)
        .filter((a) => a.inputs.metricName === name)
        .map((a) => a.inputs.dimensions as Record<string, string>);
      const shown = lines(s3, name).map((g) => g.dimensions);
      expect(shown.map((d) => d.SourceBucket).sort(), name).to.deep.equal([...buckets].sort());
      expect(shown.every((d) => d.RuleId === REPLICATION_RULE_ID && d.DestinationBucket !== d.SourceBucket && d.DestinationBucket.length > 0)).to.equal(true);
      expect(shown, name).to.have.deep.members(alarmed);
      expect([...new Set(lines(s3, name).map((g) => g.region))]).to.deep.equal([withBuckets().result.config.region]);
    }
    // Without buckets there is no S3 widget at all (an empty graph would be refused by awsx).
    if (config().protectedBuckets.length === 0) expect(all().filter((g) => g.namespace === "AWS/S3")).to.deep.equal([]);
  });
}

describe("dashboard (dev and prod under mocks)", function () {
  this.timeout(300_000);
  let dev: Deployed;
  let prod: Deployed;
  let devWithBuckets: Deployed;

  before(async () => {
    dev = await deployStack("dev");
    prod = await deployStack("prod");
    devWithBuckets = await deployStack("dev", { ...stackValues("dev"), "backup-dr:protectedBuckets": ["app-data", "app-logs"] });
  });

  describe("dev", () => checks("dev", () => dev, () => devWithBuckets));
  describe("prod", () => checks("prod", () => prod, () => devWithBuckets));
});
