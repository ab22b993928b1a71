// The forecast against the real thing: a year of the backup handler and the cleanup decision on the fake AWS, with a
// virtual clock, one instance of a small GFS plan in Berlin; after every cleanup run the snapshots left equal the
// forecast's points held at that instant.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { decideCleanup } from "../../handlers/cleanup/decide";
import { listEbsSnapshots } from "../../handlers/kinds/ec2-snapshots";
import { heldAt } from "../../tools/forecast/measure";
import { cleanupRuns } from "../../tools/forecast/simulate";
import { FakeAws } from "../helpers/aws-fake";
import { backupDeps, backupSettings, STACK_TAG } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { SELECTION_KEY, TOPIC_NAME, VAULT_BUCKET } from "../helpers/backup-fleet";
import { CLEANUP, forecastOf, keep, plan } from "./forecast-helpers";

const SMALL = { name: "small", schedule: "cron(0 2 * * ? *)", timezone: "Europe/Berlin", resources: ["ec2" as const], keep: keep({ daily: 3, weekly: 2, monthly: 2 }) };

describe("forecast: a simulated year of the real backup handler and cleanup decision", () => {
  it("the snapshots left after each cleanup run equal the forecast's count", async () => {
    const start = new Date("2027-01-01T00:00:00Z");
    const days = 366;
    const f = forecastOf([plan({ ...SMALL, drKeep: SMALL.keep })], { start, horizonDays: days });
    const points = f.regions[0].points;

    const fake = new FakeAws();
    const region = fake.region();
    region.addBucket(VAULT_BUCKET);
    region.addTopic(TOPIC_NAME);
    const instance = region.addInstance("running", { [SELECTION_KEY]: "small" });
    const clients = fakeClients(fake);
    const settings = backupSettings({ BACKUP_DR_PLANS: JSON.stringify([SMALL]) });
    const policy = { stackTag: STACK_TAG, minAgeDays: CLEANUP.minAgeDays, maxDeleteFraction: 0.5, maxDeletions: 200 };

    // The slots the schedule fires at are the forecast's; the handler computes tier and expiry itself.
    const backupsAt = points.map((p) => p.slot);
    const end = start.getTime() + days * 86_400_000;
    const events = [...backupsAt.map((t) => ({ t, kind: "backup" as const })), ...cleanupRuns(CLEANUP, start, new Date(end)).map((t) => ({ t, kind: "cleanup" as const }))].sort((a, b) => a.t - b.t || (a.kind === "cleanup" ? -1 : 1));
    let checked = 0;
    for (const event of events) {
      const now = new Date(event.t);
      if (event.kind === "backup") {
        await runBackup(backupDeps(clients, () => now), settings, { plan: "small", scheduledTime: now.toISOString() });
        // AWS completes the snapshot; its creation time is the virtual clock's.
        for (const s of region.snapshots.values()) {
          if (s.state === "pending") Object.assign(s, { state: "completed", startTime: now });
        }
        continue;
      }
      const listed = await listEbsSnapshots(clients.ec2, STACK_TAG);
      const plan = decideCleanup([{ region: region.name, snapshots: listed, images: [] }], now, policy);
      for (const d of plan.decisions) if (d.verdict === "delete") region.snapshots.delete(d.id);
      const left = [...region.snapshots.values()].filter((s) => s.tags["backup-dr:source"] === instance.id);
      expect(left.length, now.toISOString()).to.equal(heldAt(points, event.t).length);
      checked += 1;
    }
    expect(checked).to.be.greaterThan(360);
    // After a year: 3 daily, 2 weekly, 2 monthly, the yearly first slot kept 2 months by fallback is gone.
    expect(region.snapshots.size).to.be.within(5, 8);
  });
});
