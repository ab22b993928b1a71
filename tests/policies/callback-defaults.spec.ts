// What aws.lambda.CallbackFunction does when given no role: it creates one with nine broad AWS-managed
// policies. Registered for real under the mocks and captured as the offline policy check does, the
// explicit-role policy must catch exactly that. (Its default runtime, nodejs22.x today, looks like an
// explicit one to any analyzer, so lambda-runtime passes it; infra sets the runtime explicitly anyway.)
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { lambdaExplicitRole, lambdaRuntime } from "../../policies/functions";
import { evaluate } from "../../tools/policy-check/evaluate";
import type { StackResource } from "../../tools/policy-check/model";
import { runProgram } from "../helpers/program";

describe("policies: a CallbackFunction left to its defaults", () => {
  let resources: StackResource[];

  before(async () => {
    const run = await runProgram("defaults", { "aws:region": "eu-west-1" }, () => {
      const primary = new aws.Provider("primary", { region: "eu-west-1" });
      new aws.lambda.CallbackFunction("careless", { callback: () => Promise.resolve("done") }, { provider: primary });
    });
    resources = run.captured;
  });

  it("is reported for its default role", async () => {
    const violations = await evaluate([lambdaExplicitRole], resources);
    expect(violations.map((v) => [v.urn?.split("::").pop(), v.message])).to.deep.equal([
      [
        "careless",
        "The function's role has the broad AWS-managed policies AWSLambda_FullAccess, AmazonCognitoPowerUser, AmazonDynamoDBFullAccess, AmazonKinesisFullAccess, " +
          "AmazonS3FullAccess, AmazonSQSFullAccess, CloudWatchEventsFullAccess, CloudWatchFullAccessV2: " +
          "pass an explicit role of its own that allows only what the function needs.",
      ],
    ]);
  });

  it("passes lambda-runtime with its default nodejs22.x", async () => {
    expect(await evaluate([lambdaRuntime], resources)).to.deep.equal([]);
  });
});
