// The watch step (daily, its own schedule): whether a drill reported since the drill schedule's last slot that a drill
// should have finished by now (the slot before now less the machine's timeout). Reads the drill manifests' keys only
// (ListObjectsV2, paginated, from the slot's date folder on: the keys are date-ordered), publishes DrillOverdue 0 or 1.
import { paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import type { MetricSet } from "../lib/metrics";
import { metricSet } from "../lib/metrics";
import { manifestKey } from "../lib/run-id";
import { parseSchedule, previousSlot } from "../lib/schedule";
import { DRILL_MANIFEST_FOLDER, type DrillWatch } from "./contract";
import type { DrillSettings } from "./settings";

export interface WatchDeps {
  s3: S3Client;
  now: () => Date;
  publishMetrics: (metricSet: MetricSet) => void;
}

const PREFIX = `runs/${DRILL_MANIFEST_FOLDER}/`;

/** The folder of a date's manifests: runs/drill/<yyyy>/<mm>/<dd>/ (listing starts after it, so it lists that day on). */
function dayFolder(instant: Date): string {
  const key = manifestKey(DRILL_MANIFEST_FOLDER, instant, "x");
  return key.slice(0, key.lastIndexOf("/") + 1);
}

/** The newest manifest written at or after `since` (by S3's LastModified: the report writes it at the drill's end). */
async function newestSince(s3: S3Client, bucket: string, since: Date): Promise<string | undefined> {
  let newest: { key: string; at: number } | undefined;
  for await (const page of paginateListObjectsV2({ client: s3, pageSize: 1000 }, { Bucket: bucket, Prefix: PREFIX, StartAfter: dayFolder(since) })) {
    for (const object of page.Contents ?? []) {
      const at = object.LastModified?.getTime();
      if (object.Key === undefined || !object.Key.endsWith(".json") || at === undefined || at < since.getTime()) continue;
      if (newest === undefined || at > newest.at || (at === newest.at && object.Key > newest.key)) newest = { key: object.Key, at };
    }
  }
  return newest?.key;
}

export async function watchDrills(deps: WatchDeps, settings: DrillSettings): Promise<DrillWatch> {
  const { schedule, timezone, machineTimeoutSeconds } = settings.options;
  const now = deps.now();
  const expected = previousSlot(parseSchedule(schedule), new Date(now.getTime() - machineTimeoutSeconds * 1000), timezone);
  const newest = expected === undefined ? undefined : await newestSince(deps.s3, settings.vaultBucket, expected);
  const overdue = expected !== undefined && newest === undefined;
  deps.publishMetrics(metricSet("drillWatch", { Region: settings.region }, { DrillOverdue: overdue ? 1 : 0 }));
  return { overdue, ...(expected === undefined ? {} : { expectedSince: expected.toISOString() }), ...(newest === undefined ? {} : { newest }) };
}
