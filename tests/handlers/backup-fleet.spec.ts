// Acceptance: a fleet over many result pages gets exactly one backup per selected source, catalog tags right.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { FakeAws } from "../helpers/aws-fake";
import { backupDeps, backupSettings, STACK_TAG } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { buildFleet, goldSources, type Fleet } from "../helpers/backup-fleet";
import { backups, manifests, sorted } from "../helpers/aws-inspect";

const GOLD_EVENT = { plan: "gold", scheduledTime: "2026-11-03T05:00:00Z" };
const GOLD_RUN = "gold@2026-11-03T05:00:00Z";

describe("backup of a fleet spread over many result pages", () => {
  let fake: FakeAws;
  let fleet: Fleet;
  beforeEach(() => {
    fake = new FakeAws();
    // AWS may return fewer items than asked for; a cap of 3 puts this fleet on many pages.
    fake.pageCap.ec2 = 3;
    fake.pageCap.rds = 3;
    fleet = buildFleet(fake);
  });

  it("reads every page, asking for the largest pages the APIs allow", async () => {
    await runBackup(backupDeps(fakeClients(fake)), backupSettings(), GOLD_EVENT);
    for (const [action, param, value] of [["DescribeInstances", "MaxResults", "1000"], ["DescribeSnapshots", "MaxResults", "1000"], ["DescribeDBInstances", "MaxRecords", "100"], ["DescribeDBClusters", "MaxRecords", "100"]]) {
      const calls = fake.handled(action);
      expect(calls.length, action).to.be.greaterThan(action === "DescribeSnapshots" ? 0 : 2);
      expect(calls.every((c) => c.params.get(param) === value), `${action} ${param}`).to.be.true;
    }
    const describe = fake.handled("DescribeInstances")[0].params;
    expect([describe.get("Filter.1.Name"), describe.get("Filter.1.Value.1")]).to.deep.equal(["tag:backup-plan", "gold"]);
    expect([describe.get("Filter.2.Name"), describe.get("Filter.2.Value.1"), describe.get("Filter.2.Value.2")]).to.deep.equal(["instance-state-name", "running", "stopped"]);
    expect(fake.handled("DescribeSnapshots")[0].params.get("Owner.1")).to.equal("self");
  });

  it("makes exactly one backup per selected source and touches nothing else", async () => {
    const manifest = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), GOLD_EVENT);
    const made = backups(fake.region());
    for (const [instanceId, volumes] of fleet.gold.ec2) {
      expect(sorted(made.filter((b) => b.source === instanceId).map((b) => b.volumeId)), instanceId).to.deep.equal(sorted(volumes));
    }
    expect(sorted(made.filter((b) => b.kind === "rds").map((b) => b.source))).to.deep.equal(sorted(fleet.gold.rds));
    expect(sorted(made.filter((b) => b.kind === "aurora").map((b) => b.source))).to.deep.equal(sorted(fleet.gold.aurora));
    expect(made.length).to.equal([...fleet.gold.ec2.values()].flat().length + fleet.gold.rds.length + fleet.gold.aurora.length);
    expect(made.filter((b) => fleet.untouchable.includes(b.source))).to.deep.equal([]);
    expect(fake.handled("CreateSnapshots").map((c) => c.params.get("InstanceSpecification.InstanceId"))).to.have.members([...fleet.gold.ec2.keys()]);

    expect(manifest.counts).to.deep.equal({ created: goldSources(fleet).length, skipped: fleet.goldSkipped.size, failed: 0 });
    for (const [source, word] of fleet.goldSkipped) {
      const outcome = manifest.sources.find((o) => o.source === source);
      expect(outcome?.status, source).to.equal("skipped");
      expect(outcome?.reason, source).to.include(word);
    }
    expect(manifests(fake.region()).get("runs/backup/2026/11/03/gold-2026-11-03T05-00-00Z.json")).to.deep.equal(manifest);
  });

  it("tags every backup with the catalog and keeps the volume's own tags on EC2 snapshots", async () => {
    await runBackup(backupDeps(fakeClients(fake)), backupSettings(), GOLD_EVENT);
    for (const backup of backups(fake.region())) {
      expect(backup.tags, backup.id).to.include({
        "backup-dr:stack": STACK_TAG,
        "backup-dr:plan": "gold",
        "backup-dr:source": backup.source,
        "backup-dr:run": GOLD_RUN,
        "backup-dr:tier": "daily",
        "backup-dr:expires": "2026-11-17T05:00:00Z",
      });
    }
    const volumeTagged = backups(fake.region()).filter((b) => b.tags.team === "web");
    expect(volumeTagged.map((b) => b.tags.Name).every((n) => n.startsWith("root-"))).to.be.true;
    expect(volumeTagged).to.have.length(6);
  });

  describe("tier and expiry at calendar boundaries, in the plan's time zone", () => {
    const cases: [string, string, string, string][] = [
      ["gold", "2027-01-01T05:00:00Z", "yearly", "2034-01-01T05:00:00Z"], // 00:00 EST, new year
      ["gold", "2026-11-01T04:00:00Z", "monthly", "2027-11-01T04:00:00Z"], // 00:00 EDT, the day clocks fall back
      ["gold", "2026-11-02T05:00:00Z", "weekly", "2026-12-28T05:00:00Z"], // Monday 00:00 EST
      ["gold", "2026-03-03T05:00:00Z", "daily", "2026-03-17T04:00:00Z"], // 14 days later is EDT
      ["gold", "2026-11-03T17:00:00Z", "hourly", "2026-11-05T17:00:00Z"], // 12:00 EST, 8 x 6 hours
      ["silver", "2027-01-01T00:30:00Z", "monthly", "2027-06-30T23:30:00Z"], // 01:30 CET new year, yearly kept 0
      ["silver", "2026-03-23T00:30:00Z", "weekly", "2026-04-19T23:30:00Z"], // Monday; 4 weeks later is CEST
      ["silver", "2026-03-24T00:30:00Z", "daily", "2026-03-30T23:30:00Z"], // 7 days later is CEST
    ];
    for (const [plan, slot, tier, expires] of cases) {
      it(`${plan} at ${slot}: ${tier}, expires ${expires}`, async () => {
        const manifest = await runBackup(backupDeps(fakeClients(fake), () => new Date(slot)), backupSettings(), { plan, scheduledTime: slot });
        const made = backups(fake.region(), `${plan}@${slot}`);
        expect(new Set(made.map((b) => b.source)).size).to.equal(manifest.counts.created).and.to.be.greaterThan(0);
        expect(new Set(made.map((b) => `${b.tags["backup-dr:tier"]} ${b.tags["backup-dr:expires"]}`))).to.deep.equal(new Set([`${tier} ${expires}`]));
        expect(made.every((b) => b.tags["backup-dr:plan"] === plan)).to.be.true;
      });
    }
  });
});
