// Unwraps an invocation from the copy queue (an SQS FIFO event source mapping, batch size 1) into the event it carries:
// an EventBridge completion event or {"sweep": true}. Any other event is passed through unchanged, so the step
// contract for an operator invoking the function by hand with the bare event keeps working.
import { malformedEventError } from "../lib/errors";
import { isFields } from "../lib/values";



/** True when `event` is an SQS event source mapping's batch: `{ Records: [{ eventSource: "aws:sqs", ... }] }`. */
function isQueueBatch(event: unknown): event is { Records: unknown[] } {
  return isFields(event) && Array.isArray(event.Records) && event.Records.some((r) => isFields(r) && r.eventSource === "aws:sqs");
}

/** The event inside the one queue message, parsed; throws MalformedEventError before any AWS call when it is not one. */
export function unwrapQueuedEvent(event: unknown): unknown {
  if (!isQueueBatch(event)) return event;
  // Batch size 1 keeps one run per message: a failed run returns only its own message to the queue.
  if (event.Records.length !== 1) throw malformedEventError(`Expected one queue message per invocation (batch size 1), got ${event.Records.length}`);
  const [record] = event.Records;
  if (!isFields(record) || typeof record.body !== "string") throw malformedEventError("The queue message has no text body");
  try {
    return JSON.parse(record.body) as unknown;
  } catch {
    const start = record.body.length > 80 ? `${record.body.slice(0, 77)}...` : record.body;
    throw malformedEventError(`The queue message body is not JSON: ${JSON.stringify(start)}`);
  }
}
