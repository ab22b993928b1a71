// Tells a pace when AWS throttles the calls it paces, so the pace backs off (handlers/lib/pace.ts).
//
// The watch sits beneath the SDK's retry and above the parsing of errors (deserialize step, high priority), so it sees every attempt's answer, the retried ones too:
// each RequestLimitExceeded of a watched command halves the pace's rate. The SDK still retries the call (standard
// mode, its own backoff); the pace keeps the calls that follow from running into the same empty AWS bucket.
import type { MiddlewareStack } from "@smithy/types";
import { errorName } from "./errors";
import type { AdaptivePace } from "./pace";

/** The throttling answer of the paced snapshot calls. */
export const REQUEST_LIMIT_EXCEEDED = "RequestLimitExceeded";

/** A client whose middleware stack can take the watch (every SDK v3 client). */
export interface WatchableClient {
  middlewareStack: Pick<MiddlewareStack<object, object>, "add">;
}

const MIDDLEWARE_NAME = "backupDrThrottleWatch";

/** Adds the watch to the client for the commands named (e.g. "CreateSnapshotsCommand"), replacing an earlier one; returns the pace. */
export function watchThrottling<P extends AdaptivePace>(client: WatchableClient, pace: P, commands: readonly string[]): P {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (errorName(error) === REQUEST_LIMIT_EXCEEDED && commands.includes(context.commandName ?? "")) pace.throttled();
        throw error;
      }
    },
    { step: "deserialize", priority: "high", name: MIDDLEWARE_NAME, override: true },
  );
  return pace;
}
