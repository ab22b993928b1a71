// The DR region's event that says an EBS snapshot copy finished (EventBridge, source aws.ec2), which starts a refill:
//
//   EBS Snapshot Notification  detail.event copySnapshot, detail.result succeeded or failed,
//                              detail.snapshot_id (the copy's ARN; an id accepted), else resources[]
//
// "Amazon EventBridge events for Amazon EBS", copySnapshot: "If you are copying the snapshot across Regions, then the
// event is emitted in the destination Region"; snapshot_id is the ARN of the new (or failed) snapshot, source the ARN
// of the snapshot copied. A copy of anyone's emits it: the refill then finds nothing of ours freed, which is harmless.
import type { CopyRequest, EventInfo, Fields } from "../copy/event";
import { malformedEventError } from "../lib/errors";
import { describeInput } from "../lib/event-input";
import { snapshotId } from "./ec2-events";
import type { CopyFinishedEvent } from "./kind";

const COPY_EVENT = "copySnapshot";
const RESULTS = ["succeeded", "failed"];

export const EBS_COPY_FINISHED_EVENTS: readonly CopyFinishedEvent[] = [
  {
    detailType: "EBS Snapshot Notification",
    source: "aws.ec2",
    detailPattern: { event: [COPY_EVENT], result: RESULTS },
    matches: (detail) => detail.event === COPY_EVENT,
    parse: ebsCopyFinished,
  },
];

function ebsCopyFinished(info: EventInfo, detail: Fields, resources: unknown): CopyRequest {
  const result = detail.result;
  if (typeof result !== "string") throw malformedEventError(`${info.detailType}: detail.result must be text, got ${describeInput(result)}`);
  let reference: unknown;
  if (detail.snapshot_id !== undefined) reference = detail.snapshot_id;
  else if (Array.isArray(resources) && resources.length === 1) reference = resources[0];
  else throw malformedEventError(`${info.detailType}: no snapshot in the ${COPY_EVENT} event (detail.snapshot_id or one resource)`);
  const base = { trigger: "refill" as const, event: info, kind: "ebs" as const, snapshots: [snapshotId(reference, info.detailType)], result };
  return RESULTS.includes(result) ? base : { ...base, ignore: `detail.result is "${result}", not ${RESULTS.join(" or ")}` };
}
