// The metrics catalog: every CloudWatch metric the functions publish (namespace, name, unit, dimensions), defined
// once. The handlers emit through metricSet(), so an uncatalogued name or a wrong dimension does not compile; the
// alarms in infra/ take namespace, name and dimensions from watchedMetric(), so they watch only what is emitted.
// Plain data and functions only: this module is serialized into the Lambda archives and imported by infra.
// Documented per function in docs/backup.md, docs/copy.md and docs/cleanup.md (tests/infra/metrics-catalog.spec.ts).

export const METRICS_NAMESPACE = "BackupDr";

/** The units our metrics use (a subset of CloudWatch's, spelled as CloudWatch and Powertools spell them). */
export type MetricUnitName = "Count" | "Seconds";

/**
 * Metric sets: metrics published together under one set of dimensions (CloudWatch matches dimension sets exactly,
 * so an alarm must name every dimension of its set and no other).
 */
export const METRIC_SETS = {
  /** One per backup run, for its plan. */
  backupRun: {
    function: "backup",
    dimensions: ["Plan"],
    metrics: { BackupsCreated: "Count", BackupsSkipped: "Count", BackupsFailed: "Count" },
  },
  /** One per plan a copy run concerned; OldestUncopiedAgeSeconds (DR lag) on sweeps only. */
  copyPlan: {
    function: "copy",
    dimensions: ["Plan"],
    metrics: { CopiesStarted: "Count", CopiesSkipped: "Count", CopiesDeferred: "Count", CopiesFailed: "Count", CopiesUnencrypted: "Count", OldestUncopiedAgeSeconds: "Seconds" },
  },
  /** One per region a cleanup run cleaned. */
  cleanupRegion: {
    function: "cleanup",
    dimensions: ["Region"],
    metrics: { SnapshotsDeleted: "Count", SnapshotsKept: "Count", SnapshotsDeferred: "Count", CleanupFailed: "Count" },
  },
  /** One per region and quota kind (QUOTA_KINDS; Kind: the kind's name), against AWS's quota of 100 manual snapshots. */
  cleanupQuota: {
    function: "cleanup",
    dimensions: ["Region", "Kind"],
    metrics: { ManualSnapshotsUsed: "Count" },
  },
  /** One per plan a DR drill sampled (or could not): the slowest restore, the oldest point, the failed or missed ones. */
  drillPlan: {
    function: "drill",
    dimensions: ["Plan"],
    metrics: { DrillRestoreSeconds: "Seconds", DrillRecoveryPointAgeSeconds: "Seconds", DrillFailures: "Count" },
  },
  /** One per watch run (daily): 1 when no drill ran since the drill schedule's last slot (plus the machine's timeout). */
  drillWatch: {
    function: "drill",
    dimensions: ["Region"],
    metrics: { DrillOverdue: "Count" },
  },
  /** One per plan per coverage check (and report): opted-in sources checked, and those out of policy in either region. */
  coverage: {
    function: "report",
    dimensions: ["Plan"],
    metrics: { SourcesChecked: "Count", SourcesOutOfPolicy: "Count" },
  },
  /** One per daily report, for the primary region: resources of every kind no plan of the stack selects. */
  unselected: {
    function: "report",
    dimensions: ["Region"],
    metrics: { ResourcesNotSelected: "Count" },
  },
} as const satisfies Record<string, { function: "backup" | "copy" | "cleanup" | "drill" | "report"; dimensions: readonly string[]; metrics: Readonly<Record<string, MetricUnitName>> }>;

type Sets = typeof METRIC_SETS;
export type MetricSetName = keyof Sets;
export type FunctionName = Sets[MetricSetName]["function"];
/** The metric names of one set, or of every set. */
export type MetricName<S extends MetricSetName = MetricSetName> = S extends MetricSetName ? keyof Sets[S]["metrics"] & string : never;
/** The dimension names of one set, or of every set. */
export type DimensionName<S extends MetricSetName = MetricSetName> = S extends MetricSetName ? Sets[S]["dimensions"][number] : never;
/** The set a metric belongs to (each name is in exactly one set). */
export type SetOf<N extends MetricName> = { [S in MetricSetName]: N extends MetricName<S> ? S : never }[MetricSetName];

/** One metric set ready to publish; build it with metricSet(). */
export interface MetricSet {
  readonly set: MetricSetName;
  readonly dimensions: Readonly<Partial<Record<DimensionName, string>>>;
  /** In publishing order. */
  readonly values: Readonly<Partial<Record<MetricName, number>>>;
}

/** A metric set of `set`: exactly its dimensions, and values only of its metrics. */
export function metricSet<S extends MetricSetName>(set: S, dimensions: Readonly<Record<DimensionName<S>, string>>, values: Readonly<Partial<Record<MetricName<S>, number>>>): MetricSet {
  return { set, dimensions, values };
}

/** A catalogued metric with everything an alarm or a dashboard needs. */
export interface CataloguedMetric {
  name: MetricName;
  set: MetricSetName;
  function: FunctionName;
  unit: MetricUnitName;
  dimensions: readonly DimensionName[];
}

/** Every catalogued metric, in catalog order. */
export function cataloguedMetrics(): CataloguedMetric[] {
  return (Object.keys(METRIC_SETS) as MetricSetName[]).flatMap((set) => {
    const spec = METRIC_SETS[set];
    return (Object.entries(spec.metrics) as [MetricName, MetricUnitName][]).map(([name, unit]) => ({ name, set, function: spec.function, unit, dimensions: spec.dimensions }));
  });
}

/** The catalog entry of `name`; throws for a name the catalog does not have (a typo that got past the types). */
export function cataloguedMetric(name: string): CataloguedMetric {
  const found = cataloguedMetrics().find((m) => m.name === name);
  if (found === undefined) throw new Error(`${name} is not a metric of the ${METRICS_NAMESPACE} catalog (handlers/lib/metrics.ts)`);
  return found;
}

/**
 * What a CloudWatch alarm needs to watch one of our metrics: the namespace, the name and exactly its dimensions.
 * Generic over the dimension values so infra can pass Pulumi Inputs.
 */
export function watchedMetric<N extends MetricName, V>(name: N, dimensions: Readonly<Record<DimensionName<SetOf<N>>, V>>): { namespace: string; metricName: N; dimensions: Record<string, V> } {
  const expected = [...cataloguedMetric(name).dimensions].sort();
  const given = Object.keys(dimensions).sort();
  if (given.join(",") !== expected.join(",")) throw new Error(`${name} is published with dimensions [${expected.join(", ")}], not [${given.join(", ")}]`);
  return { namespace: METRICS_NAMESPACE, metricName: name, dimensions: { ...dimensions } };
}
