// Validates the invocation event before any AWS call: an EventBridge completion event of one of four kinds, or a sweep.
//
//   EBS Multi-Volume Snapshots Completion Status  source aws.ec2, detail.event createSnapshots, detail.result succeeded,
//                                                 detail.snapshots[].snapshot_id (ARNs; ids accepted), else resources[]
//   EBS Snapshot Notification                     source aws.ec2, detail.event createSnapshot, detail.result succeeded,
//                                                 detail.snapshot_id (ARN or id), else resources[]
//   RDS DB Snapshot Event                         source aws.rds, detail.EventID RDS-EVENT-0042 (manual snapshot created),
//                                                 detail.SourceIdentifier (+ detail.SourceArn)
//   RDS DB Cluster Snapshot Event                 source aws.rds, detail.EventID RDS-EVENT-0075 (manual cluster snapshot
//                                                 created), detail.SourceIdentifier (+ detail.SourceArn)
//   { "sweep": true }                             from the sweep schedule
//
// A well-formed event that is not a completed snapshot of the four kinds (another EBS event name, a failed result,
// another RDS event id) is answered with `ignore`, not an error: the rules should not send it, but it is harmless.
import { malformedEventError } from "../lib/errors";
import { describeInput, EVENT_ID_RULE, INSTANT_RULE, isEventId, parseInstant } from "../lib/event-input";
import type { SnapshotKind } from "../catalog";

export const DETAIL_TYPES = {
  multiVolume: "EBS Multi-Volume Snapshots Completion Status",
  ebs: "EBS Snapshot Notification",
  dbSnapshot: "RDS DB Snapshot Event",
  clusterSnapshot: "RDS DB Cluster Snapshot Event",
};
export const RDS_EVENT_MANUAL_SNAPSHOT_CREATED = "RDS-EVENT-0042";
export const RDS_EVENT_MANUAL_CLUSTER_SNAPSHOT_CREATED = "RDS-EVENT-0075";

export interface EventInfo {
  id?: string;
  detailType: string;
  time?: string;
  region?: string;
}

export type CopyRequest =
  | { trigger: "sweep" }
  | {
      trigger: "event";
      event: EventInfo;
      kind: SnapshotKind;
      /** EBS: snapshot ids; RDS/Aurora: the one snapshot identifier. */
      snapshots: string[];
      /** RDS/Aurora: the snapshot's ARN when the event carries it. */
      arn?: string;
      /** Set when the event is well-formed but not one to act on, with the reason. */
      ignore?: string;
    };

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => typeof value === "object" && value !== null && !Array.isArray(value);

const SNAPSHOT_ID = /^snap-[0-9a-f]{8,17}$/;
/** The id at the end of an EBS snapshot ARN, whichever of the documented ARN layouts it has. */
const SNAPSHOT_ARN = /^arn:aws[a-z-]*:ec2:[a-z0-9-]*:[a-z0-9-]*:snapshot\/(snap-[0-9a-f]{8,17})$/;
const RDS_IDENTIFIER = /^[A-Za-z][A-Za-z0-9-]{0,254}$/;
const RDS_ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d{12}:(snapshot|cluster-snapshot):([A-Za-z][A-Za-z0-9-]{0,254})$/;
const SWEEP_HINT = `{"sweep": true}`;

export function parseCopyEvent(event: unknown): CopyRequest {
  if (!isFields(event)) throw malformedEventError(`Expected an EventBridge snapshot event or ${SWEEP_HINT}, got ${describeInput(event)}`);
  if ("sweep" in event) {
    const extra = Object.keys(event).filter((k) => k !== "sweep");
    if (event.sweep !== true || extra.length > 0) throw malformedEventError(`A sweep event is exactly ${SWEEP_HINT}, got ${describeInput(event)}`);
    return { trigger: "sweep" };
  }
  const detailType = event["detail-type"];
  const source = event.source;
  const detail = event.detail;
  if (typeof detailType !== "string" || typeof source !== "string" || !isFields(detail)) {
    throw malformedEventError(`Expected an EventBridge event (source, detail-type, detail) or ${SWEEP_HINT}, got ${describeInput(event)}`);
  }
  const info: EventInfo = {
    id: optionalText(event, "id", isEventId, EVENT_ID_RULE),
    detailType,
    time: optionalText(event, "time", (t) => parseInstant(t) !== undefined, INSTANT_RULE),
    region: optionalText(event, "region"),
  };
  switch (detailType) {
    case DETAIL_TYPES.multiVolume:
    case DETAIL_TYPES.ebs:
      expectSource(source, "aws.ec2", detailType);
      return ebsRequest(info, detail, event.resources, detailType === DETAIL_TYPES.multiVolume ? "createSnapshots" : "createSnapshot");
    case DETAIL_TYPES.dbSnapshot:
      expectSource(source, "aws.rds", detailType);
      return rdsRequest(info, detail, "rds", RDS_EVENT_MANUAL_SNAPSHOT_CREATED, "snapshot");
    case DETAIL_TYPES.clusterSnapshot:
      expectSource(source, "aws.rds", detailType);
      return rdsRequest(info, detail, "aurora", RDS_EVENT_MANUAL_CLUSTER_SNAPSHOT_CREATED, "cluster-snapshot");
    default:
      throw malformedEventError(`Unsupported detail-type ${describeInput(detailType)}; expected one of ${Object.values(DETAIL_TYPES).join(", ")}, or ${SWEEP_HINT}`);
  }
}

function ebsRequest(info: EventInfo, detail: Fields, resources: unknown, eventName: string): CopyRequest {
  const name = detail.event;
  const result = detail.result;
  if (typeof name !== "string" || typeof result !== "string") throw malformedEventError(`${info.detailType}: detail.event and detail.result must be text, got ${describeInput(detail)}`);
  const base = { trigger: "event" as const, event: info, kind: "ebs" as const };
  if (name !== eventName) return { ...base, snapshots: [], ignore: `detail.event is "${name}", not ${eventName}` };
  if (result !== "succeeded") return { ...base, snapshots: [], ignore: `detail.result is "${result}", not succeeded` };
  let references: unknown[];
  if (eventName === "createSnapshots" && detail.snapshots !== undefined) {
    if (!Array.isArray(detail.snapshots)) throw malformedEventError(`${info.detailType}: detail.snapshots must be a list, got ${describeInput(detail.snapshots)}`);
    // A set that succeeded has every snapshot completed; anything else in it is left to the sweep.
    references = (detail.snapshots as unknown[]).filter((s) => !isFields(s) || s.status === undefined || s.status === "completed").map((s) => (isFields(s) ? s.snapshot_id : s));
  } else if (eventName === "createSnapshot" && detail.snapshot_id !== undefined) {
    references = [detail.snapshot_id];
  } else if (Array.isArray(resources)) {
    references = resources;
  } else {
    throw malformedEventError(`${info.detailType}: no snapshot in the event (detail.${eventName === "createSnapshots" ? "snapshots" : "snapshot_id"} or resources)`);
  }
  const ids = references.map((r) => snapshotId(r, info.detailType));
  if (ids.length === 0) throw malformedEventError(`${info.detailType}: the event names no snapshot`);
  return { ...base, snapshots: [...new Set(ids)] };
}

function snapshotId(reference: unknown, detailType: string): string {
  if (typeof reference === "string") {
    if (SNAPSHOT_ID.test(reference)) return reference;
    const arn = SNAPSHOT_ARN.exec(reference);
    if (arn) return arn[1];
  }
  throw malformedEventError(`${detailType}: expected an EBS snapshot ARN or id (snap-...), got ${describeInput(reference)}`);
}

function rdsRequest(info: EventInfo, detail: Fields, kind: "rds" | "aurora", eventId: string, arnType: string): CopyRequest {
  const id = detail.EventID;
  if (typeof id !== "string") throw malformedEventError(`${info.detailType}: detail.EventID must be text, got ${describeInput(id)}`);
  const identifier = detail.SourceIdentifier;
  const arnText = detail.SourceArn;
  const base = { trigger: "event" as const, event: info, kind };
  if (id !== eventId) return { ...base, snapshots: [], ignore: `detail.EventID is ${id}, not ${eventId}` };
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
  return { ...base, snapshots: [name.toLowerCase()], arn };
}

function expectSource(source: string, expected: string, detailType: string): void {
  if (source !== expected) throw malformedEventError(`"${detailType}" events come from ${expected}, got source ${describeInput(source)}`);
}

/** An optional text field; when `isValid` is given, text it refuses is malformed too. */
function optionalText(fields: Fields, key: string, isValid?: (text: string) => boolean, rule = "text"): string | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || (isValid !== undefined && !isValid(value))) throw malformedEventError(`Event field "${key}" must be ${rule}, got ${describeInput(value)}`);
  return value;
}
