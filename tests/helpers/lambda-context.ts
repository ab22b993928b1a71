// A Lambda context as the runtime passes it to any of the functions (backup, copy, cleanup), for invoking an entry.
import type { Context } from "aws-lambda";
import { ACCOUNT_ID, REGION } from "./aws-fake";

/** A Lambda context as the runtime passes it. */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "backup-dr-test-backup",
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:backup-dr-test-backup`,
    memoryLimitInMB: "512",
    awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    logGroupName: "/aws/lambda/backup-dr-test-backup",
    logStreamName: "2026/11/22/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
