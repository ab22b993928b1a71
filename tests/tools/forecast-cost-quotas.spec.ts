// Cost arithmetic against a hand-computed example; quotas exceeded and not, through the command's exit code.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../tools/forecast/cli";
import { chainGiB } from "../../tools/forecast/cost";
import { loadPrices } from "../../tools/forecast/price-table";
import { checkQuotas, quotaFailures } from "../../tools/forecast/quotas";
import { DAY_MS } from "../../tools/forecast/simulate";
import { forecastOf, keep, plan } from "./forecast-helpers";

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = main(argv, (t) => (out += `${t}\n`), (t) => (err += `${t}\n`));
  return { code, out, err };
}

describe("forecast: storage and cost", () => {
  const storage = { ebsGiB: 100, dailyChange: 0.01, dbGiB: 50 };
  const sources = { ec2: 1, rds: 1, aurora: 0, volumesPerInstance: 1 };

  it("a chain is one full copy plus each increment, an increment at most the whole size", () => {
    expect(chainGiB([0, DAY_MS, 2 * DAY_MS], 100, 0.01)).to.equal(102);
    expect(chainGiB([0, 200 * DAY_MS], 100, 0.01)).to.equal(200); // 200 days of 1% is more than the volume
    expect(chainGiB([], 100, 0.01)).to.equal(0);
  });

  it("daily keep 3 (DR 2), 1 instance of 100 GiB, 1 DB of 50 GiB, 1% a day: the bill by hand", () => {
    const f = forecastOf([plan({ schedule: "cron(0 2 * * ? *)", keep: keep({ daily: 3 }), drKeep: keep({ daily: 2 }), copyToDr: true, resources: ["ec2", "rds"] })], { sources, storage });
    const [primary, dr] = f.regions;
    // Primary: 3 points a day apart. EBS 100 + 1 + 1 = 102 GiB x $0.05 = $5.10. RDS 50 + 0.5 + 0.5 = 51 GiB, of
    // which 50 are free (the DB's own storage): 1 GiB x $0.095.
    expect(primary.cost).to.deep.include({ ebsStandardGiB: 102, rdsGiB: 51, rdsBillableGiB: 1, transferGiBPerMonth: 0 });
    expect(primary.cost?.monthlyCost).to.deep.equal({ ebs: 5.1, rds: 0.1, aurora: 0, transfer: 0, total: 5.2 });
    // DR: 2 points. EBS 101 GiB x $0.05 = $5.05; RDS 50.5 GiB, none free there: x $0.095 = $4.80 (4.7975).
    // Transfer: a copy a day moves a day's change (1 + 0.5 GiB); the year's window has 365 copies, 364 increments,
    // over 365 / (365.25 / 12) months: 364 x 1.5 / 11.9918 = 45.53 GiB a month x $0.02 = $0.91.
    expect(dr.cost).to.deep.include({ ebsStandardGiB: 101, rdsGiB: 50.5, rdsBillableGiB: 50.5, transferGiBPerMonth: 45.53 });
    expect(dr.cost?.monthlyCost).to.deep.equal({ ebs: 5.05, rds: 4.8, aurora: 0, transfer: 0.91, total: 10.76 });
  });

  it("--prices overrides a region's prices and keeps the shipped source and date for the rest", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "forecast-prices-")), "prices.json");
    fs.writeFileSync(file, JSON.stringify({ regions: { "us-east-1": { ebsSnapshotStandardGibMonth: 0.1, ebsSnapshotArchiveGibMonth: 0.02, rdsBackupGibMonth: 0.2, auroraBackupGibMonth: 0.05, interRegionTransferGib: 0.09 } } }));
    const prices = loadPrices(file);
    expect(prices.date).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(prices.regions["us-east-1"].ebsSnapshotStandardGibMonth).to.equal(0.1);
    expect(prices.regions.default.ebsSnapshotStandardGibMonth).to.equal(0.05);
    const f = forecastOf([plan({ schedule: "cron(0 2 * * ? *)", keep: keep({ daily: 3 }), resources: ["ec2"] })], { sources, storage, prices });
    expect(f.regions[0].cost?.monthlyCost.ebs).to.equal(10.2);
    fs.writeFileSync(file, JSON.stringify({ regions: { "us-east-1": { ebsSnapshotStandardGibMonth: -1 } } }));
    expect(() => loadPrices(file)).to.throw(/regions\.us-east-1\.ebsSnapshotStandardGibMonth: expected a price >= 0, got -1/);
  });
});

describe("forecast: quotas", () => {
  const daily7 = () => forecastOf([plan({ name: "daily7", schedule: "cron(0 2 * * ? *)", keep: keep({ daily: 7 }), copyToDr: true })]);

  it("RDS snapshots: 12 DBs x 8 points at the peak = 96 fits 100; 13 DBs = 104 does not, driven by the plan", () => {
    const f = daily7();
    const fits = checkQuotas(f.regions, { ec2: 0, rds: 12, aurora: 0, volumesPerInstance: 1 }, 100);
    expect(fits.filter((q) => q.quota === "RDS manual DB snapshots").map((q) => [q.region, q.forecast, q.exceeded])).to.deep.equal([
      ["us-east-1", 96, false],
      ["us-west-2", 96, false],
    ]);
    expect(quotaFailures(fits)).to.deep.equal([]);
    const over = checkQuotas(f.regions, { ec2: 0, rds: 13, aurora: 0, volumesPerInstance: 1 }, 100);
    expect(quotaFailures(over)).to.deep.equal([
      'us-east-1: RDS manual DB snapshots: 104 forecast, quota 100; driven by plan "daily7" (reduce its retention or its sources, or raise the quota)',
      'us-west-2: RDS manual DB snapshots: 104 forecast, quota 100; driven by plan "daily7" (reduce its retention or its sources, or raise the quota)',
    ]);
  });

  it("the plan holding the most points drives a region's quota; copies over 20 in flight are a warning, not a failure", () => {
    const f = forecastOf([
      plan({ name: "small", schedule: "cron(0 2 * * ? *)", keep: keep({ daily: 2 }), copyToDr: true }),
      plan({ name: "big", schedule: "cron(0 3 * * ? *)", keep: keep({ daily: 30 }), copyToDr: false }),
    ]);
    const checks = checkQuotas(f.regions, { ec2: 30, rds: 0, aurora: 4, volumesPerInstance: 2 }, 100);
    expect(checks.find((q) => q.region === "us-east-1" && q.quota === "RDS manual DB cluster snapshots")).to.deep.include({ plan: "big", forecast: 4 * 31, exceeded: true, blocking: true });
    expect(checks.find((q) => q.region === "us-west-2" && q.quota === "EBS snapshot copies in flight")).to.deep.include({ plan: "small", forecast: 60, limit: 20, exceeded: true, blocking: false });
    expect(quotaFailures(checks)).to.have.length(1);
  });

  it("the command exits 1 naming the plan over the quota, 0 under it, 2 on bad usage (dev: daily, keep 3, peak 4)", () => {
    const over = run(["dev", "--sources", "ec2=5,rds=26", "--json"]);
    expect(over.code).to.equal(1);
    expect(over.err).to.contain('eu-west-1: RDS manual DB snapshots: 104 forecast, quota 100; driven by plan "daily"');
    const parsed = JSON.parse(over.out) as { regions: { plan: string; measures: { kept: unknown; peak: number } }[] };
    expect(parsed.regions[0]).to.deep.include({ plan: "daily" });
    expect(parsed.regions[0].measures).to.deep.include({ kept: { min: 3, max: 3 }, peak: 4 });
    const under = run(["dev", "--sources", "ec2=5,rds=25"]);
    expect(under.code, under.err).to.equal(0);
    expect(under.out).to.contain("RDS manual DB snapshots");
    expect(run(["dev", "--sources", "ec2=5,rds=26", "--rds-snapshot-quota", "200"]).code).to.equal(0);
    expect(run(["dev", "--sources", "ec2=-1"])).to.deep.include({ code: 2 });
    expect(run(["nosuchstack"]).code).to.equal(2);
  });

  it("--csv has a row per plan and region; --svg writes a chart", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "forecast-svg-"));
    const csv = run(["dev", "--csv", "--svg", path.join(dir, "chart.svg")]);
    expect(csv.code).to.equal(0);
    const lines = csv.out.trim().split("\n");
    expect(lines[0]).to.match(/^plan,region,role,kept_min,kept_max,/);
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 5).join(","))).to.deep.equal(["daily,eu-west-1,primary,3,3", "daily,eu-central-1,dr,2,2"]);
    const svg = fs.readFileSync(path.join(dir, "chart.svg"), "utf8");
    expect(svg).to.match(/^<svg /);
    expect((svg.match(/<line /g) ?? []).length).to.be.greaterThan(700); // a mark per point of both regions over a year
  });
});
