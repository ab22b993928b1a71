// Acceptance: a manual run (off the schedule, or without scheduledTime) is kept and copied to DR as the scheduled
// slot it falls in, and never takes the id of a scheduled slot, so the next scheduled backup still happens.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { runCopy } from "../../handlers/copy/run";
import { FakeAws } from "../helpers/aws-fake";
import type { CopyableSnapshot } from "../helpers/aws-fake-copy";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { copyDeps, copySettings, DR, PRIMARY_KEY_ARN, primaryRegion, SWEEP } from "../helpers/copy-setup";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { backups } from "../helpers/aws-inspect";

// Every 6 hours (UTC); 06:00 starts no day, so it is an hourly slot: kept 8 x 6 hours = 48 hours, in DR too.
const PLANS = JSON.stringify([
  { name: "gold", schedule: "cron(0 0/6 * * ? *)", timezone: "UTC", resources: ["ec2", "rds"], keep: { hourly: 8, daily: 7 }, drKeep: { hourly: 8, daily: 7 }, copyToDr: true },
]);
const SLOT_EXPIRES = "2026-11-24T06:00:00Z"; // the 06:00 slot's expiry: 06:00 + 8 x 6 h

describe("backup manual runs", () => {
  let fake: FakeAws;
  const backup = (event: Record<string, string>, now = new Date("2026-11-22T11:30:00Z")) => runBackup(backupDeps(fakeClients(fake), () => now), backupSettings({ BACKUP_DR_PLANS: PLANS }), event);
  beforeEach(() => {
    fake = new FakeAws();
    primaryRegion(fake);
    fake.region().addInstance("running", { [SELECTION_KEY]: "gold" }, [{}, {}]);
    fake.region().addDbInstance("orders", "available", { [SELECTION_KEY]: "gold" });
  });

  for (const [label, event] of [
    ["+1 minute", { plan: "gold", scheduledTime: "2026-11-22T06:01:00Z" }],
    ["+5 hours", { plan: "gold", scheduledTime: "2026-11-22T11:00:00Z" }],
    ["without scheduledTime at +5 h 30", { plan: "gold" }],
  ] as const) {
    it(`a run ${label} after the 06:00 slot gets that slot's tier and expiry and is copied to DR`, async () => {
      const manifest = await backup(event);
      expect(manifest).to.deep.include({ tier: "hourly", expires: SLOT_EXPIRES });
      const made = backups(fake.region(), manifest.runId);
      expect(made.map((b) => b.kind).sort()).to.deep.equal(["ec2", "ec2", "rds"]);
      for (const b of made) expect(b.tags, b.id).to.deep.include({ "backup-dr:tier": "hourly", "backup-dr:expires": SLOT_EXPIRES });

      for (const s of fake.region().snapshots.values()) Object.assign(s as CopyableSnapshot, { state: "completed", encrypted: true, kmsKeyId: PRIMARY_KEY_ARN });
      for (const s of fake.region().dbSnapshots.values()) Object.assign(s, { status: "available", encrypted: true, kmsKeyId: PRIMARY_KEY_ARN });
      const copy = await runCopy(copyDeps(fake, () => new Date("2026-11-22T12:00:00Z")), copySettings({ BACKUP_DR_PLANS: PLANS }), SWEEP);
      expect(copy.manifest.counts).to.deep.include({ started: 3, skipped: 0 });
      const dr = fake.region(DR);
      const copies = [...dr.snapshots.values(), ...dr.dbSnapshots.values()];
      expect(copies).to.have.length(3);
      for (const c of copies) expect(c.tags, c.id).to.deep.include({ "backup-dr:run": manifest.runId, "backup-dr:tier": "hourly", "backup-dr:expires": SLOT_EXPIRES });
    });
  }

  it("the scheduled slot still backs up after a manual run at that very minute", async () => {
    const manual = await backup({ plan: "gold" }, new Date("2026-11-22T12:00:20Z"));
    expect(manual.runId).to.equal("gold@2026-11-22T12:00:00Z/manual");
    expect(manual.counts.created).to.equal(2);
    const scheduled = await backup({ plan: "gold", scheduledTime: "2026-11-22T12:00:00Z" }, new Date("2026-11-22T12:00:40Z"));
    expect(scheduled.runId).to.equal("gold@2026-11-22T12:00:00Z");
    expect(scheduled.counts).to.deep.equal({ created: 2, skipped: 0, failed: 0 });
    expect(backups(fake.region(), scheduled.runId).map((b) => b.kind).sort()).to.deep.equal(["ec2", "ec2", "rds"]);
    expect(backups(fake.region(), manual.runId)).to.have.length(3);
  });
});
