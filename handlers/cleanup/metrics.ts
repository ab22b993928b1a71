// Publishes one CloudWatch metric set (EMF, through Powertools) with exactly the given dimensions.
import { MetricUnit, type Metrics } from "@aws-lambda-powertools/metrics";

/** Every value as a Count under one dimension set (Region, or Region and Kind); flushing clears the dimensions. */
export function publishMetricSet(metrics: Metrics, dimensions: Readonly<Record<string, string>>, values: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(dimensions)) metrics.addDimension(name, value);
  for (const [name, value] of Object.entries(values)) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}
