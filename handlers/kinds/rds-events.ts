// The completion events of manual RDS snapshots that start a DR copy (EventBridge, source aws.rds):
//
//   RDS DB Snapshot Event          detail.EventID RDS-EVENT-0042 (manual snapshot created),
//                                  detail.SourceIdentifier (+ detail.SourceArn)
//   RDS DB Cluster Snapshot Event  detail.EventID RDS-EVENT-0075 (manual cluster snapshot created),
//                                  detail.SourceIdentifier (+ detail.SourceArn)
//
// Another event id is answered with `ignore` (handlers/copy/event.ts validates the envelope).
import type { CopyRequest, EventInfo, Fields } from "../copy/event";
import { malformedEventError } from "../lib/errors";
import { describeInput } from "../lib/event-input";
import type { CompletionEvent } from "./kind";
import type { DbKind } from "./rds-api";

export const RDS_EVENT_MANUAL_SNAPSHOT_CREATED = "RDS-EVENT-0042";
export const RDS_EVENT_MANUAL_CLUSTER_SNAPSHOT_CREATED = "RDS-EVENT-0075";

const RDS_IDENTIFIER = /^[A-Za-z][A-Za-z0-9-]{0,254}$/;
const RDS_ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d{12}:(snapshot|cluster-snapshot):([A-Za-z][A-Za-z0-9-]{0,254})$/;

/** The completion event of the kind's manual snapshots. */
export function dbEvents(kind: DbKind): readonly CompletionEvent[] {
  return kind === "rds"
    ? [{ detailType: "RDS DB Snapshot Event", source: "aws.rds", parse: (info, detail) => rdsRequest(info, detail, "rds", RDS_EVENT_MANUAL_SNAPSHOT_CREATED, "snapshot") }]
    : [{ detailType: "RDS DB Cluster Snapshot Event", source: "aws.rds", parse: (info, detail) => rdsRequest(info, detail, "aurora", RDS_EVENT_MANUAL_CLUSTER_SNAPSHOT_CREATED, "cluster-snapshot") }];
}

function rdsRequest(info: EventInfo, detail: Fields, kind: DbKind, eventId: string, arnType: string): CopyRequest {
  const id = detail.EventID;
  if (typeof id !== "string") throw malformedEventError(`${info.detailType}: detail.EventID must be text, got ${describeInput(id)}`);
  const base = { trigger: "event" as const, event: info, kind };
  if (id !== eventId) return { ...base, snapshots: [], ignore: `detail.EventID is ${id}, not ${eventId}` };
  const { name, arn } = eventSnapshot(info, detail, arnType);
  return { ...base, snapshots: [name], arn };
}

/** The snapshot an RDS snapshot event names (detail.SourceIdentifier, detail.SourceArn or both, agreeing), lower case. */
export function eventSnapshot(info: EventInfo, detail: Fields, arnType: string): { name: string; arn?: string } {
  const identifier = detail.SourceIdentifier;
  const arnText = detail.SourceArn;
  let arn: string | undefined;
  let fromArn: string | undefined;
  if (arnText !== undefined) {
    const match = typeof arnText === "string" ? RDS_ARN.exec(arnText) : null;
    if (!match || match[2] !== arnType) throw malformedEventError(`${info.detailType}: detail.SourceArn must be an RDS ${arnType} ARN, got ${describeInput(arnText)}`);
    arn = match[0];
    fromArn = match[3];
  }
  if (identifier !== undefined && (typeof identifier !== "string" || !RDS_IDENTIFIER.test(identifier))) {
    throw malformedEventError(`${info.detailType}: detail.SourceIdentifier must be an RDS snapshot identifier, got ${describeInput(identifier)}`);
  }
  const name = typeof identifier === "string" ? identifier : fromArn;
  if (name === undefined) throw malformedEventError(`${info.detailType}: the event names no snapshot (detail.SourceIdentifier or detail.SourceArn)`);
  if (fromArn !== undefined && fromArn.toLowerCase() !== name.toLowerCase()) {
    throw malformedEventError(`${info.detailType}: detail.SourceIdentifier ${name} and detail.SourceArn ${describeInput(arnText)} name different snapshots`);
  }
  return { name: name.toLowerCase(), ...(arn === undefined ? {} : { arn }) };
}
