// The restore function's Lambda entry: settings from the environment and a bad event are refused before any AWS
// call, logged as the failed step (the end-to-end runs of every kind: restore-end-to-end.spec.ts).
import { expect } from "chai";
import { handler } from "../../handlers/restore";
import { FakeAws } from "../helpers/aws-fake";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer, type FakeServer } from "../helpers/aws-transport";
import { lambdaContext } from "../helpers/lambda-context";
import { DR, restoreEnv } from "../helpers/restore-setup";

describe("restore handler (Lambda entry)", () => {
  let fake: FakeAws;
  let server: FakeServer;
  beforeEach(async () => {
    fake = new FakeAws();
    server = await startFakeServer(fake);
  });
  afterEach(() => server.close());

  const env = (overrides: Record<string, string | undefined> = {}) => ({ ...restoreEnv("dr"), ...fakeEndpointEnv(server, DR), ...overrides });
  const START = { step: "start", restoreId: "r-1", startedAt: "2026-11-21T09:00:00Z", request: { source: "orders-db", point: "latest" } };

  it("refuses a function deployed in another region than it was set up for, before any AWS call", async () => {
    const { error, captured } = await invokeIsolated(env({ AWS_REGION: "eu-west-1" }), () => handler(START, lambdaContext()));
    expect(error).to.be.instanceOf(Error).with.property("name", "InvalidSettingError");
    expect(fake.calls).to.deep.equal([]);
    expect(captured.logs.some((l) => l.message === "restore step failed")).to.equal(true);
  });

  it("refuses a malformed step event before any AWS call", async () => {
    for (const event of [{ ...START, step: "begin" }, { ...START, request: { source: "orders-db" } }, "start"]) {
      const { error } = await invokeIsolated(env(), () => handler(event, lambdaContext()));
      expect(error, JSON.stringify(event)).to.be.instanceOf(Error).with.property("name", "MalformedEventError");
    }
    expect(fake.calls).to.deep.equal([]);
  });
});
