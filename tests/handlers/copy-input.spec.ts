// Bad input to the copy function: every malformed event and missing or invalid setting is a named error before any
// AWS call; the four event kinds are read tolerantly (snapshot ARNs in either documented layout, or bare ids).
import { expect } from "chai";
import { parseCopyEvent } from "../../handlers/copy/event";
import { runCopy } from "../../handlers/copy/run";
import { readCopySettings } from "../../handlers/copy/settings";
import { FakeAws } from "../helpers/aws-fake";
import { clusterSnapshotEvent, copyDeps, copyEnv, copySettings, COPY_PLANS, dbSnapshotEvent, multiVolumeEvent, primaryRegion, rejection, snapshotEvent } from "../helpers/copy-setup";
import { thrown } from "../helpers/thrown";

const SNAP = "snap-0123456789abcdef0";
const DB_ID = "bdr-gold-orders-20261120t0500-b964b95a";

describe("copy input", () => {
  const withDetail = (event: ReturnType<typeof snapshotEvent> | ReturnType<typeof dbSnapshotEvent>, detail: Record<string, unknown>) => ({ ...event, detail: { ...event.detail, ...detail } });
  const events: [string, unknown, string][] = [
    ["no event", undefined, "Expected an EventBridge snapshot event"],
    ["a string", "sweep", "Expected an EventBridge snapshot event"],
    ["an array", [{ sweep: true }], "Expected an EventBridge snapshot event"],
    ["a sweep that is not true", { sweep: "true" }, 'exactly {"sweep": true}'],
    ["a sweep with other fields", { sweep: true, plan: "gold" }, 'exactly {"sweep": true}'],
    ["an empty object", {}, "Expected an EventBridge event"],
    ["an unsupported detail-type", { ...snapshotEvent(SNAP), "detail-type": "EC2 Instance State-change Notification" }, "Unsupported detail-type"],
    ["an EBS event from another source", { ...snapshotEvent(SNAP), source: "aws.rds" }, "come from aws.ec2"],
    ["an RDS event from another source", { ...dbSnapshotEvent(DB_ID), source: "custom.app" }, "come from aws.rds"],
    ["a detail that is not an object", { ...snapshotEvent(SNAP), detail: "createSnapshot" }, "Expected an EventBridge event"],
    ["an EBS event without detail.event", withDetail(snapshotEvent(SNAP), { event: undefined }), "detail.event and detail.result must be text"],
    ["an EBS event naming a volume", withDetail(snapshotEvent(SNAP), { snapshot_id: "arn:aws:ec2:us-east-1::volume/vol-0123456789abcdef0" }), "expected an EBS snapshot ARN or id"],
    ["an EBS event naming a malformed id", withDetail(snapshotEvent(SNAP), { snapshot_id: "snap-XYZ" }), "expected an EBS snapshot ARN or id"],
    ["a multi-volume event whose snapshots are not a list", { ...multiVolumeEvent([SNAP]), detail: { ...multiVolumeEvent([SNAP]).detail, snapshots: "snap-1" } }, "detail.snapshots must be a list"],
    ["a multi-volume event naming no snapshot", { ...multiVolumeEvent([SNAP]), resources: undefined, detail: { ...multiVolumeEvent([SNAP]).detail, snapshots: undefined } }, "no snapshot in the event"],
    ["an RDS event without EventID", withDetail(dbSnapshotEvent(DB_ID), { EventID: undefined }), "detail.EventID must be text"],
    ["an RDS event naming no snapshot", withDetail(dbSnapshotEvent(DB_ID), { SourceIdentifier: undefined, SourceArn: undefined }), "names no snapshot"],
    ["an RDS event with a cluster snapshot ARN", withDetail(dbSnapshotEvent(DB_ID), { SourceArn: clusterSnapshotEvent(DB_ID).detail.SourceArn }), "must be an RDS snapshot ARN"],
    ["an RDS event whose identifier and ARN disagree", withDetail(dbSnapshotEvent(DB_ID), { SourceIdentifier: "bdr-other" }), "name different snapshots"],
    ["an RDS event with a numeric identifier", withDetail(dbSnapshotEvent(DB_ID), { SourceIdentifier: 42, SourceArn: undefined }), "must be an RDS snapshot identifier"],
    ["an event time that is not text", { ...snapshotEvent(SNAP), time: 1763614181 }, 'Event field "time" must be an ISO-8601 instant'],
  ];
  for (const [what, event, says] of events) {
    it(`rejects ${what} with MalformedEventError, before any AWS call`, async () => {
      const fake = new FakeAws();
      primaryRegion(fake);
      const error = await rejection(runCopy(copyDeps(fake), copySettings(), event));
      expect(error.name).to.equal("MalformedEventError");
      expect(error.message).to.include(says);
      expect(fake.calls).to.deep.equal([]);
    });
  }

  it("reads snapshot ARNs in either documented layout, bare ids, and resources when detail has none", () => {
    const single = snapshotEvent(SNAP);
    expect(parseCopyEvent(single)).to.deep.include({ trigger: "event", kind: "ebs", snapshots: [SNAP] });
    expect(parseCopyEvent(withDetail(single, { snapshot_id: SNAP }))).to.deep.include({ snapshots: [SNAP] });
    expect(parseCopyEvent(withDetail(single, { snapshot_id: `arn:aws:ec2:us-east-1:123456789012:snapshot/${SNAP}` }))).to.deep.include({ snapshots: [SNAP] });
    expect(parseCopyEvent(withDetail(single, { snapshot_id: undefined }))).to.deep.include({ snapshots: [SNAP] });
    const multi = multiVolumeEvent([SNAP, "snap-0fedcba9876543210", SNAP]);
    expect(parseCopyEvent(multi)).to.deep.include({ kind: "ebs", snapshots: [SNAP, "snap-0fedcba9876543210"] });
    expect(parseCopyEvent(dbSnapshotEvent(DB_ID))).to.deep.include({ kind: "rds", snapshots: [DB_ID], arn: `arn:aws:rds:us-east-1:123456789012:snapshot:${DB_ID}` });
    expect(parseCopyEvent(withDetail(dbSnapshotEvent(DB_ID), { SourceIdentifier: undefined }))).to.deep.include({ snapshots: [DB_ID] });
    expect(parseCopyEvent(clusterSnapshotEvent(DB_ID))).to.deep.include({ kind: "aurora", snapshots: [DB_ID] });
    expect(parseCopyEvent({ sweep: true })).to.deep.equal({ trigger: "sweep" });
  });

  it("leaves out snapshots of a set that did not complete", () => {
    const event = multiVolumeEvent([SNAP, "snap-0fedcba9876543210"]);
    event.detail.snapshots[1].status = "failed";
    expect(parseCopyEvent(event)).to.deep.include({ snapshots: [SNAP] });
  });

  const settings: [string, Record<string, string | undefined>, string, string][] = [
    ["a missing BACKUP_DR_STACK", { BACKUP_DR_STACK: undefined }, "MissingSettingError", "BACKUP_DR_STACK"],
    ["a missing BACKUP_DR_DR_REGION", { BACKUP_DR_DR_REGION: undefined }, "MissingSettingError", "BACKUP_DR_DR_REGION"],
    ["a missing BACKUP_DR_DR_KEY_ARN", { BACKUP_DR_DR_KEY_ARN: "" }, "MissingSettingError", "BACKUP_DR_DR_KEY_ARN"],
    ["a missing BACKUP_DR_VAULT_BUCKET", { BACKUP_DR_VAULT_BUCKET: undefined }, "MissingSettingError", "BACKUP_DR_VAULT_BUCKET"],
    ["a missing BACKUP_DR_TOPIC_ARN", { BACKUP_DR_TOPIC_ARN: undefined }, "MissingSettingError", "BACKUP_DR_TOPIC_ARN"],
    ["a region that is not one", { BACKUP_DR_PRIMARY_REGION: "Virginia" }, "InvalidSettingError", "BACKUP_DR_PRIMARY_REGION"],
    ["the DR region equal to the primary", { BACKUP_DR_DR_REGION: "us-east-1" }, "InvalidSettingError", "other than the primary"],
    ["a DR key that is not a key ARN", { BACKUP_DR_DR_KEY_ARN: "alias/backup-dr" }, "InvalidSettingError", "expected a KMS key ARN"],
    ["a DR key of another region", { BACKUP_DR_DR_KEY_ARN: "arn:aws:kms:us-east-1:123456789012:key/0f5e3c1a-7b2d-4e6f-9a8b-1c2d3e4f5a6b" }, "InvalidSettingError", "use a key of us-west-2"],
    ["a limit of 0", { BACKUP_DR_MAX_EBS_COPIES: "0" }, "InvalidSettingError", "BACKUP_DR_MAX_EBS_COPIES"],
    ["a limit that is not a number", { BACKUP_DR_MAX_CLUSTER_COPIES: "five" }, "InvalidSettingError", "BACKUP_DR_MAX_CLUSTER_COPIES"],
    ["a bad concurrency", { BACKUP_DR_CONCURRENCY: "500" }, "InvalidSettingError", "BACKUP_DR_CONCURRENCY"],
    ["a bad BACKUP_DR_NOTIFY_ON", { BACKUP_DR_NOTIFY_ON: "never" }, "InvalidSettingError", "BACKUP_DR_NOTIFY_ON"],
    ["plans that are not JSON", { BACKUP_DR_PLANS: "gold" }, "InvalidSettingError", "BACKUP_DR_PLANS"],
    ["a negative drKeep", { BACKUP_DR_PLANS: JSON.stringify([{ ...COPY_PLANS[0], drKeep: { daily: -1 } }]) }, "InvalidSettingError", "[0].drKeep.daily"],
    ["a drKeep that keeps nothing", { BACKUP_DR_PLANS: JSON.stringify([{ ...COPY_PLANS[0], drKeep: { daily: 0 } }]) }, "InvalidSettingError", "[0].drKeep"],
    ["an unknown drKeep tier", { BACKUP_DR_PLANS: JSON.stringify([{ ...COPY_PLANS[0], drKeep: { days: 3 } }]) }, "InvalidSettingError", "[0].drKeep.days"],
    ["a copyToDr that is not a boolean", { BACKUP_DR_PLANS: JSON.stringify([{ ...COPY_PLANS[0], copyToDr: "yes" }]) }, "InvalidSettingError", "[0].copyToDr"],
    ["a plan the backup function would reject", { BACKUP_DR_PLANS: JSON.stringify([{ ...COPY_PLANS[0], schedule: "daily" }]) }, "InvalidSettingError", "[0].schedule"],
  ];
  for (const [what, overrides, name, says] of settings) {
    it(`rejects ${what} with ${name}`, () => {
      const error = thrown(() => readCopySettings(copyEnv(overrides)));
      expect(error.name).to.equal(name);
      expect(error.message).to.include(says);
    });
  }

  it("defaults: limits 20/20/5, concurrency 8, notify on failure, drKeep = keep, copyToDr true", () => {
    const s = readCopySettings(copyEnv({ BACKUP_DR_CONCURRENCY: undefined, BACKUP_DR_NOTIFY_ON: undefined, BACKUP_DR_PLANS: JSON.stringify([{ name: "p", schedule: "rate(1 day)", resources: ["ec2"], keep: { daily: 3 } }]) }));
    expect(s.limits).to.deep.equal({ ebs: 20, rds: 20, aurora: 5 });
    expect(s.concurrency).to.equal(8);
    expect(s.notifyOn).to.equal("failure");
    expect(s.plans[0]).to.deep.include({ copyToDr: true, drKeep: { hourly: 0, daily: 3, weekly: 0, monthly: 0, yearly: 0 } });
  });
});
