// Validates the invocation event before any AWS call: an EventBridge completion event of one of the kinds' (each
// kind's `events`, handlers/kinds/: detail-type, source, and the fields read), an event of the DR region saying a DR
// copy finished or failed (each kind's `copyFinishedEvents`: a refill), or a sweep ({ "sweep": true }, from the sweep
// schedule). A completion event and a copy-finished event may share a detail-type: the kind's `matches` decides.
//
// A well-formed event that is not a completed snapshot (another event name, a failed result, another event id) is
// answered with `ignore`, not an error: the rules should not send it, but it is harmless.
import type { SnapshotKind } from "../catalog";
import { copyKinds } from "../kinds/registry";
import { malformedEventError } from "../lib/errors";
import { describeInput, EVENT_ID_RULE, INSTANT_RULE, isEventId, parseInstant } from "../lib/event-input";
import { isFields, type Fields } from "../lib/values";

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
      /** The snapshots the event names: ids, or the one snapshot identifier. */
      snapshots: string[];
      /** The snapshot's ARN when the event carries it (kinds whose copies name their source by ARN). */
      arn?: string;
      /** Set when the event is well-formed but not one to act on, with the reason. */
      ignore?: string;
    }
  | {
      /** A DR copy of the kind finished, failed or was cancelled: start the kind's deferred copies in the freed places. */
      trigger: "refill";
      event: EventInfo;
      kind: SnapshotKind;
      /** The DR snapshots (copies) the event names: ids, or the one snapshot identifier. */
      snapshots: string[];
      /** What the event says of the copy, in its own words (a result such as succeeded or failed, or an event id). */
      result: string;
      /** Set when the event is well-formed but not one to act on, with the reason. */
      ignore?: string;
    };

export type { Fields };


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
  const events = copyKinds().flatMap((kind) => kind.events);
  const finished = copyKinds().flatMap((kind) => kind.copyFinishedEvents);
  const known = [...events, ...finished].find((e) => e.detailType === detailType);
  if (known === undefined) {
    const types = [...new Set([...events, ...finished].map((e) => e.detailType))];
    throw malformedEventError(`Unsupported detail-type ${describeInput(detailType)}; expected one of ${types.join(", ")}, or ${SWEEP_HINT}`);
  }
  expectSource(source, known.source, detailType);
  const copyFinished = finished.find((e) => e.detailType === detailType && e.source === source && e.matches(detail));
  if (copyFinished !== undefined) return copyFinished.parse(info, detail, event.resources);
  const completion = events.find((e) => e.detailType === detailType);
  if (completion === undefined) throw malformedEventError(`${detailType}: not an event this function acts on (${describeInput(detail)})`);
  return completion.parse(info, detail, event.resources);
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
