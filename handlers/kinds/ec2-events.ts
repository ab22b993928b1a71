// The completion events of EBS snapshots that start a DR copy (EventBridge, source aws.ec2):
//
//   EBS Multi-Volume Snapshots Completion Status  detail.event createSnapshots, detail.result succeeded,
//                                                 detail.snapshots[].snapshot_id (ARNs; ids accepted), else resources[]
//   EBS Snapshot Notification                     detail.event createSnapshot, detail.result succeeded,
//                                                 detail.snapshot_id (ARN or id), else resources[]
//
// Another event name or a failed result is answered with `ignore` (handlers/copy/event.ts validates the envelope).
import type { CopyRequest, EventInfo, Fields } from "../copy/event";
import { malformedEventError } from "../lib/errors";
import { describeInput } from "../lib/event-input";
import type { CompletionEvent } from "./kind";
import { isFields } from "../lib/values";

const SNAPSHOT_ID = /^snap-[0-9a-f]{8,17}$/;
/** The id at the end of an EBS snapshot ARN, whichever of the documented ARN layouts it has. */
const SNAPSHOT_ARN = /^arn:aws[a-z-]*:ec2:[a-z0-9-]*:[a-z0-9-]*:snapshot\/(snap-[0-9a-f]{8,17})$/;


export const EBS_EVENTS: readonly CompletionEvent[] = [
  { detailType: "EBS Multi-Volume Snapshots Completion Status", source: "aws.ec2", parse: (info, detail, resources) => ebsRequest(info, detail, resources, "createSnapshots") },
  { detailType: "EBS Snapshot Notification", source: "aws.ec2", parse: (info, detail, resources) => ebsRequest(info, detail, resources, "createSnapshot") },
];

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

/** The snapshot id of an EBS snapshot ARN or id; throws malformedEventError for anything else. */
export function snapshotId(reference: unknown, detailType: string): string {
  if (typeof reference === "string") {
    if (SNAPSHOT_ID.test(reference)) return reference;
    const arn = SNAPSHOT_ARN.exec(reference);
    if (arn) return arn[1];
  }
  throw malformedEventError(`${detailType}: expected an EBS snapshot ARN or id (snap-...), got ${describeInput(reference)}`);
}

