// A Lambda context as the runtime passes it to any of the functions (backup, copy, cleanup), for invoking an entry.
import type { Context } from "aws-lambda";
import { ACCOUNT_ID, REGION } from "./aws-fake";

/** The context of the named test function; `remainingMs` stands in for the clock Lambda counts down. */
export function lambdaContext(fn: "backup" | "copy" | "cleanup" = "backup", remainingMs: () => number = () => 900_000): Context {
  const functionName = `backup-dr-test-${fn}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "2026/11/22/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
