// Sends a create that AWS does not make idempotent (CreateSnapshots, CopySnapshot, ...; they take no client token)
// so that a lost answer never makes a second one: when the call may have failed after AWS acted (a reset connection,
// a timeout, a 5xx), what it would have made is looked up before the call is sent again; found means done.
//
// The SDK's retry would re-send such a call blind. A middleware on the one command, beneath the SDK's retry, turns those
// failures into answerLostError, which the SDK does not retry; throttling and AWS's other refusals (4xx: AWS answered
// before acting) pass through unchanged and keep the SDK's normal retry. This loop then looks up and re-sends, pacing
// and bounding its re-sends with the client's own retry strategy (same attempts, backoff and retry quota).
import type { MiddlewareStack, RetryStrategy, RetryStrategyV2, RetryToken } from "@smithy/types";
import { answerLostError, describeError, errorName, lookUpFailedError } from "./errors";

/** AWS's throttling answers (some services throttle with a 503): AWS refused before acting, so the SDK's retry may re-send. */
const THROTTLING = ["RequestLimitExceeded", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException", "TooManyRequestsException", "SlowDown", "PriorRequestNotComplete"];
/** Network errors of a request that never reached AWS: no connection was made. */
const NEVER_SENT = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"];
const MIDDLEWARE_NAME = "backupDrAnswerLost";

interface SdkErrorShape {
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  code?: string;
}

/** Whether AWS may have acted on a call that failed this way: anything but throttling, a 4xx refusal, or no connection. */
export function mayHaveActed(error: unknown): boolean {
  const shape: SdkErrorShape = typeof error === "object" && error !== null ? error : {};
  const status = shape.$metadata?.httpStatusCode;
  if (THROTTLING.includes(errorName(error)) || shape.$retryable?.throttling === true || status === 429) return false;
  if (status !== undefined && status >= 400 && status < 500) return false;
  if (shape.code !== undefined && NEVER_SENT.includes(shape.code)) return false;
  return true;
}

/** A command whose middleware stack can take the lost-answer guard. */
export interface GuardableCommand<I extends object, O extends object> {
  middlewareStack: Pick<MiddlewareStack<I, O>, "add">;
}

/** Beneath the SDK's retry (deserialize step): a failure after which AWS may have acted becomes final for the SDK. */
function guard<I extends object, O extends object>(command: GuardableCommand<I, O>, action: string): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (mayHaveActed(error)) throw answerLostError(action, describeError(error));
        throw error;
      }
    },
    { step: "deserialize", priority: "high", name: MIDDLEWARE_NAME },
  );
}

export interface CreateCall<T, I extends object, O extends object> {
  /** The AWS action, e.g. "CreateSnapshots". */
  action: string;
  /** What the call makes, for messages: "the snapshot set of i-0abc". */
  what: string;
  /** The create command, built once; `send` sends exactly this object. */
  command: GuardableCommand<I, O>;
  send: () => Promise<T>;
  /** What the call would have made, read from AWS; undefined when it does not exist. */
  lookUp: () => Promise<T | undefined>;
  /** The client's retry strategy (`client.config.retryStrategy`). */
  retryStrategy: () => Promise<RetryStrategy | RetryStrategyV2>;
}

export interface Created<T> {
  value: T;
  /** The answer was lost and the look-up found what the call made. */
  foundAfterLostAnswer: boolean;
}

function isV2(strategy: RetryStrategy | RetryStrategyV2): strategy is RetryStrategyV2 {
  return "acquireInitialRetryToken" in strategy && "refreshRetryTokenForRetry" in strategy && "recordSuccess" in strategy;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Makes the call at most once: re-sent only after a look-up found nothing. Throws what the call threw (AWS's refusals,
 * or answerLostError once the strategy allows no more attempts), or lookUpFailedError when a look-up failed.
 */
export async function createOnce<T, I extends object, O extends object>(call: CreateCall<T, I, O>): Promise<Created<T>> {
  guard(call.command, call.action);
  const strategy = await call.retryStrategy();
  // A legacy (v1) strategy cannot pace this loop: one look-up, no re-send.
  const retries: RetryStrategyV2 | undefined = isV2(strategy) ? strategy : undefined;
  let token: RetryToken | undefined = await retries?.acquireInitialRetryToken(call.action);
  for (;;) {
    let lost: unknown;
    try {
      const value = await call.send();
      if (token !== undefined) retries?.recordSuccess(token);
      return { value, foundAfterLostAnswer: false };
    } catch (error) {
      if (errorName(error) !== "AnswerLostError") throw error;
      lost = error;
    }
    // Waiting as the SDK would before a retry also gives AWS's eventually consistent describe calls time to show it.
    const next = token === undefined ? undefined : await retries?.refreshRetryTokenForRetry(token, { errorType: "TRANSIENT" }).catch(() => undefined);
    await sleep(next?.getRetryDelay() ?? 0);
    let found: T | undefined;
    try {
      found = await call.lookUp();
    } catch (error) {
      throw lookUpFailedError(call.what, describeError(lost).message, describeError(error));
    }
    if (found !== undefined) return { value: found, foundAfterLostAnswer: true };
    if (next === undefined) throw lost;
    token = next;
  }
}
