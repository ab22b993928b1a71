// The end of every run, the same for every function: write the manifest, publish the metrics, notify (on failure, or
// always when configured), log the finish, then throw RunFailedError naming every failure. A failed manifest write or
// notification is a failure of the run too, but never stops the steps after it. A run that changed nothing writes no
// manifest (no key): the vault keeps every object for its lock period, so an idle run would only add to it.
import type { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";
import { describeError, runFailedError } from "./errors";
import { writeManifest } from "./manifest";
import type { MetricSet } from "./metrics";
import { notify } from "./notify";
import type { Log } from "./observability";
import type { NotifyOn } from "./shared-settings";

export interface RunEndDeps {
  /** The primary region's S3 (manifest) and SNS (notification) clients. */
  s3: S3Client;
  sns: SNSClient;
  log: Log;
  /** Receives each metric set (Powertools Metrics in Lambda). */
  publishMetrics: (metricSet: MetricSet) => void;
}

export interface RunEnd {
  /** Names the finish log line: "<function> run finished". */
  function: "backup" | "copy" | "cleanup";
  runId: string;
  manifest: unknown;
  bucket: string;
  /** The manifest's key; undefined: the run changed nothing, so no manifest (metrics, notification and log stay). */
  key: string | undefined;
  metrics: readonly MetricSet[];
  /** The run's own failures, one line each (from its manifest). */
  failures: readonly string[];
  notifyOn: NotifyOn;
  topicArn: string;
  /** Subject and lines of the notification (no URI: no manifest); `problems` are the end of run's own (a manifest that could not be written). */
  message: (manifestUri: string | undefined, problems: readonly string[]) => { subject: string; lines: string[] };
  /** Logged with the finish, before the manifest URI and the failures. */
  summary: Record<string, unknown>;
}

/** Ends the run; resolves with the manifest's s3:// URI (undefined: none written), or throws RunFailedError after every step was tried. */
export async function finishRun(deps: RunEndDeps, end: RunEnd): Promise<string | undefined> {
  const manifestUri = end.key === undefined ? undefined : `s3://${end.bucket}/${end.key}`;
  const problems: string[] = [];
  if (end.key !== undefined) {
    try {
      await writeManifest(deps.s3, end.bucket, end.key, end.manifest);
    } catch (error) {
      const { name, message } = describeError(error);
      problems.push(`writing the manifest ${manifestUri ?? ""}: ${name}: ${message}`);
    }
  }
  for (const metricSet of end.metrics) deps.publishMetrics(metricSet);

  const failures = [...end.failures, ...problems];
  if (failures.length > 0 || end.notifyOn === "always") {
    const { subject, lines } = end.message(manifestUri, problems);
    try {
      await notify(deps.sns, end.topicArn, subject, lines);
    } catch (error) {
      const { name, message } = describeError(error);
      failures.push(`notifying ${end.topicArn}: ${name}: ${message}`);
    }
  }
  deps.log.info(`${end.function} run finished`, { ...end.summary, manifest: manifestUri ?? "none (the run changed nothing)", failures });
  if (failures.length > 0) throw runFailedError(end.runId, failures);
  return manifestUri;
}
