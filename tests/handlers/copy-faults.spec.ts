// Acceptance: throttling, 5xx and timeouts injected beneath the SDK's retry layer do not lose (or duplicate) a copy.
import { expect } from "chai";
import { TAG_COPY_OF } from "../../handlers/catalog";
import { runCopy } from "../../handlers/copy/run";
import { FakeAws } from "../helpers/aws-fake";
import { addDbBackup, addEbsBackup, clusterSnapshotEvent, copyDeps, copySettings, dbSnapshotEvent, drCopies, multiVolumeEvent, primaryRegion, rejection, SWEEP } from "../helpers/copy-setup";
import { notifications, sorted } from "../helpers/aws-inspect";

const NOW = new Date("2026-11-21T12:00:00Z");
const FAULTS = { rate: 0.35, kinds: ["throttle", "500", "503", "timeout"] as const, seed: 20261121 };
/** Every backup fits AWS's in-flight limits (20 EBS copies, 20 RDS, 5 cluster), so nothing is deferred. */
const TOTAL = 20 + 8 + 4;

describe("copy under faults", () => {
  let fake: FakeAws;
  let expected: string[];
  beforeEach(() => {
    fake = new FakeAws();
    fake.pageCap.ec2 = 5;
    fake.pageCap.rds = 5;
    primaryRegion(fake);
    expected = [
      ...Array.from({ length: 20 }, (_, n) => addEbsBackup(fake, { source: `i-0${n % 10}` }).id),
      ...Array.from({ length: 8 }, (_, n) => addDbBackup(fake, "rds", { source: `orders-${n}` }).arn),
      ...Array.from({ length: 4 }, (_, n) => addDbBackup(fake, "aurora", { source: `ledger-${n}` }).arn),
    ];
  });

  const copyOfs = () => sorted(drCopies(fake).map((c) => c.tags[TAG_COPY_OF]));

  it("a sweep with throttling, 5xx and timeouts on 35% of calls starts every copy exactly once", async () => {
    const injector = fake.injectFaults({ ...FAULTS, kinds: [...FAULTS.kinds] });
    const { manifest } = await runCopy(copyDeps(fake, () => NOW), copySettings(), SWEEP);
    expect(manifest.counts).to.include({ started: TOTAL, failed: 0, deferred: 0 });
    expect(copyOfs()).to.deep.equal(sorted(expected));
    expect(injector?.total).to.be.greaterThan(10);
    for (const kind of FAULTS.kinds) expect(injector?.injected[kind], kind).to.be.greaterThan(0);
    // Faulted copy requests were retried by the SDK above the fake.
    expect(fake.calls.filter((c) => c.action.startsWith("Copy") && c.fault !== undefined).length).to.be.greaterThan(0);
    expect(Math.max(...fake.calls.map((c) => c.attempt))).to.be.at.least(2);
    expect(notifications(fake.region())).to.deep.equal([]);
  });

  it("events under the same faults, then a sweep: one copy of each backup", async () => {
    fake.injectFaults({ ...FAULTS, kinds: [...FAULTS.kinds] });
    const deps = copyDeps(fake, () => NOW);
    const region = fake.region();
    await runCopy(deps, copySettings(), multiVolumeEvent([...region.snapshots.keys()].slice(0, 15)));
    for (const id of [...region.dbSnapshots.keys()].slice(0, 4)) await runCopy(deps, copySettings(), dbSnapshotEvent(id));
    for (const id of [...region.dbClusterSnapshots.keys()].slice(0, 2)) await runCopy(deps, copySettings(), clusterSnapshotEvent(id));
    const { manifest } = await runCopy(deps, copySettings(), SWEEP);
    expect(manifest.counts).to.include({ started: TOTAL - 15 - 4 - 2, failed: 0 });
    expect(copyOfs()).to.deep.equal(sorted(expected));
  });

  it("the same faults without retries fail copies, so the faults above are real", async () => {
    fake.injectFaults({ ...FAULTS, kinds: [...FAULTS.kinds] });
    const error = await rejection(runCopy(copyDeps(fake, () => NOW, { maxAttempts: 1 }), copySettings(), SWEEP));
    expect(error.name).to.equal("RunFailedError");
    expect(fake.calls.every((c) => c.attempt === 1)).to.be.true;
    expect(drCopies(fake).length).to.be.lessThan(TOTAL);
  });
});
