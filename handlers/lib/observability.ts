// Structured JSON logs and CloudWatch metrics (EMF) through Powertools: namespace BackupDr, dimension Plan.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

export const METRICS_NAMESPACE = "BackupDr";
export const PLAN_DIMENSION = "Plan";

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
  // Alarms match dimension sets exactly: publish under Plan alone, not Powertools' default `service` as well.
  metrics.clearDefaultDimensions();
  return metrics;
}

/** Emits one count per metric name for a plan, then flushes (which also clears the Plan dimension). */
export function publishCounts(metrics: Metrics, plan: string, counts: Readonly<Record<string, number>>): void {
  metrics.addDimension(PLAN_DIMENSION, plan);
  for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}
