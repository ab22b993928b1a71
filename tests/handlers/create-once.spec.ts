// createOnce: which failures lead to a look-up (AWS may have acted) and which keep the SDK's own retry (AWS refused).
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { mayHaveActed } from "../../handlers/lib/create-once";
import { FakeAws } from "../helpers/aws-fake";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { buildFleet, type Fleet } from "../helpers/backup-fleet";
import { backups } from "../helpers/aws-inspect";
import { AwsFault } from "../helpers/aws-wire";

const EVENT = { plan: "gold", scheduledTime: "2026-11-22T11:00:00Z" };
const RUN_ID = "gold@2026-11-22T11:00:00Z";

const sdkError = (name: string, status?: number, extra: object = {}) => Object.assign(new Error(name), { name, ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }), ...extra });

describe("create once", () => {
  it("classifies what may have been acted on: 5xx, timeouts, resets, unreadable answers; not throttling, 4xx or no connection", () => {
    expect(mayHaveActed(sdkError("InternalError", 500))).to.be.true;
    expect(mayHaveActed(sdkError("Unavailable", 503))).to.be.true;
    expect(mayHaveActed(sdkError("TimeoutError"))).to.be.true;
    expect(mayHaveActed(sdkError("Error", undefined, { code: "ECONNRESET" }))).to.be.true;
    expect(mayHaveActed(sdkError("SyntaxError", 200))).to.be.true;
    expect(mayHaveActed(sdkError("RequestLimitExceeded", 503))).to.be.false;
    expect(mayHaveActed(sdkError("SlowDown", 503, { $retryable: { throttling: true } }))).to.be.false;
    expect(mayHaveActed(sdkError("InvalidParameterValue", 400))).to.be.false;
    expect(mayHaveActed(sdkError("UnauthorizedOperation", 403))).to.be.false;
    expect(mayHaveActed(sdkError("Error", undefined, { code: "ECONNREFUSED" }))).to.be.false;
  });

  describe("on EC2 CreateSnapshots", () => {
    let fake: FakeAws;
    let fleet: Fleet;
    beforeEach(() => {
      fake = new FakeAws();
      fleet = buildFleet(fake);
      // Any look-up (the listing filtered by one source) fails: a test passes only if none was needed.
      fake.permanent = (call) => (call.action === "DescribeSnapshots" && [...call.params.values()].includes("tag:backup-dr:source") ? new AwsFault("UnauthorizedOperation", 403, "look-up refused") : undefined);
    });

    it("throttling keeps the SDK's retry: every set is made, with no look-up", async () => {
      // Seed 5: enough throttles land on CreateSnapshots with the sources in kind-then-id order (the cursor's order).
      fake.injectFaults({ rate: 0.5, kinds: ["throttle"], seed: 5 });
      const manifest = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT);
      expect(manifest.counts.failed).to.equal(0);
      expect(fake.calls.filter((c) => c.action === "CreateSnapshots" && c.fault === "throttle").length).to.be.greaterThan(2);
      for (const [instance, volumes] of fleet.gold.ec2) expect(backups(fake.region(), RUN_ID).filter((b) => b.source === instance), instance).to.have.length(volumes.length);
    });

    it("a refusal (4xx) is final, not looked up and not re-sent", async () => {
      const [instance] = fleet.gold.ec2.keys();
      const refused = fake.permanent;
      fake.permanent = (call) =>
        call.action === "CreateSnapshots" && call.params.get("InstanceSpecification.InstanceId") === instance ? new AwsFault("InvalidParameterValue", 400, "refused") : refused?.(call);
      const error = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as Error).message).to.include(`ec2 ${instance}: InvalidParameterValue: refused`);
      expect(fake.calls.filter((c) => c.action === "CreateSnapshots" && c.params.get("InstanceSpecification.InstanceId") === instance)).to.have.length(1);
      expect(backups(fake.region(), RUN_ID).filter((b) => b.source === instance)).to.deep.equal([]);
    });
  });
});
