// The DR region's events that say a DB snapshot copy finished or was cancelled (EventBridge, source aws.rds, detail-type
// "RDS DB Snapshot Event"), which start a refill. The ids are AWS's "Amazon RDS event categories and event messages",
// table "DB snapshot events" (category notification, both "This is a cross-Region snapshot copy"):
//
//   RDS-EVENT-0060  Finished copy of snapshot <name> from region <name> in <number> minutes.
//   RDS-EVENT-0061  Canceled snapshot copy request of <name> from region <name>.
//
// Both come from the region the copy is made in, naming the copy (detail.SourceIdentifier, detail.SourceArn); a DR copy
// keeps the backup's identifier, so the rules match only identifiers with the backups' prefix.
//
// The table has no event for a DB snapshot copy that fails (RDS-EVENT-0059 is the copy starting): a failed DB snapshot
// copy starts no refill, and the place it held is refilled by the next sweep (which also replaces the failed copy).
//
// DB cluster snapshots: the same page's table "DB cluster snapshot events" lists no copy event (only creation, export
// and automated-snapshot events), so the aurora kind declares none and its deferred copies start at the next sweep.
import { RDS_SNAPSHOT_PREFIX } from "../catalog";
import type { CopyRequest, EventInfo, Fields } from "../copy/event";
import { malformedEventError } from "../lib/errors";
import { describeInput } from "../lib/event-input";
import type { CopyFinishedEvent } from "./kind";
import type { DbKind } from "./rds-api";
import { eventSnapshot } from "./rds-events";

/** Finished copy of snapshot (cross-Region). */
export const RDS_EVENT_CROSS_REGION_COPY_FINISHED = "RDS-EVENT-0060";
/** Canceled snapshot copy request (cross-Region): its place is free too. */
export const RDS_EVENT_CROSS_REGION_COPY_CANCELED = "RDS-EVENT-0061";
const COPY_EVENT_IDS = [RDS_EVENT_CROSS_REGION_COPY_FINISHED, RDS_EVENT_CROSS_REGION_COPY_CANCELED];

/** The kind's copy-finished events: DB snapshots have two; DB cluster snapshots none (AWS documents none). */
export function dbCopyFinishedEvents(kind: DbKind): readonly CopyFinishedEvent[] {
  if (kind !== "rds") return [];
  return [
    {
      detailType: "RDS DB Snapshot Event",
      source: "aws.rds",
      detailPattern: { EventID: COPY_EVENT_IDS, SourceIdentifier: [{ prefix: RDS_SNAPSHOT_PREFIX }] },
      matches: (detail) => typeof detail.EventID === "string" && COPY_EVENT_IDS.includes(detail.EventID),
      parse: (info, detail) => dbCopyFinished(info, detail, kind),
    },
  ];
}

function dbCopyFinished(info: EventInfo, detail: Fields, kind: DbKind): CopyRequest {
  const id = detail.EventID;
  if (typeof id !== "string") throw malformedEventError(`${info.detailType}: detail.EventID must be text, got ${describeInput(id)}`);
  const { name } = eventSnapshot(info, detail, "snapshot");
  return { trigger: "refill", event: info, kind, snapshots: [name], result: id };
}
