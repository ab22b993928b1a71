// Structured JSON logs and CloudWatch metrics (EMF) through Powertools; what is published is in handlers/lib/metrics.ts.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { METRIC_SETS, METRICS_NAMESPACE, type MetricName, type MetricSet } from "./metrics";

/** The logging the handler logic needs; Powertools' Logger provides it. */
export interface Log {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export function createLogger(functionName: string): Logger {
  return new Logger({ serviceName: `backup-dr-${functionName}` });
}

export function createMetrics(functionName: string): Metrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: `backup-dr-${functionName}` });
  // Alarms match dimension sets exactly: publish under the catalogued dimensions alone, not Powertools' default `service` as well.
  metrics.clearDefaultDimensions();
  return metrics;
}

/** Emits one metric set with exactly its dimensions and the catalogued units, then flushes (which also clears the dimensions). */
export function publishMetricSet(metrics: Metrics, metricSet: MetricSet): void {
  const units: Readonly<Record<string, "Count" | "Seconds">> = METRIC_SETS[metricSet.set].metrics;
  for (const [name, value] of Object.entries(metricSet.dimensions)) if (value !== undefined) metrics.addDimension(name, value);
  for (const [name, value] of Object.entries(metricSet.values) as [MetricName, number | undefined][]) if (value !== undefined) metrics.addMetric(name, units[name], value);
  metrics.publishStoredMetrics();
}
