// Acceptance (property-based): over random fleets in both regions — ours with random expiries, states and ages,
// other stacks', untagged, AWS Backup-made, AMI-backing, malformed expiry tags, DR copies made out of order (taken
// tags before, after or unreadable), short EBS sets — the cleanup deletes exactly what the rules allow: the pure
// decision over hundreds of fleets, and whole runs against the fake AWS over fewer.
import { expect } from "chai";
import fc from "fast-check";
import { decideCleanup } from "../../handlers/cleanup/decide";
import { runCleanup } from "../../handlers/cleanup/run";
import type { CleanupManifest } from "../../handlers/cleanup/report";
import { FakeAws } from "../helpers/aws-fake";
import { expectationOf, fleetArb, listingsOf, loadFleet, place, type ModelFleet } from "../helpers/cleanup-fleet";
import { cleanupDeps, cleanupManifests, cleanupSettings, prepareVault } from "../helpers/cleanup-setup";

describe("cleanup rules (property-based)", () => {
  it("the decision deletes or defers exactly the eligible snapshots, oldest first, never anything else (400 fleets)", () => {
    fc.assert(
      fc.property(fleetArb({ imagesMayBeUnknown: true }), (fleet) => {
        const plan = decideCleanup(listingsOf(fleet), fleet.now, fleet.policy);
        const expected = expectationOf(fleet);
        const byPlace = new Map(fleet.snapshots.map((s) => [place(s), s]));
        const verdict = new Map(plan.decisions.map((d) => [place(d), d.verdict]));
        const going = plan.decisions.filter((d) => d.verdict !== "keep");

        // Nothing foreign, unexpired, pending, too young, newest, AMI-backing or badly tagged is deleted or deferred.
        for (const d of going) expect(expected.eligible.has(place(d)), `${place(d)} ${d.reason}`).to.be.true;
        for (const s of fleet.snapshots.filter((x) => x.owner !== "ours" || !x.expired || !x.complete || expected.newest.has(place(x)))) {
          expect(verdict.get(place(s)) ?? "keep", `${s.owner} ${place(s)}`).to.equal("keep");
        }
        // Only snapshots carrying exactly this stack's tag get a decision at all.
        for (const d of plan.decisions) expect(byPlace.get(place(d))?.tags["backup-dr:stack"]).to.equal(fleet.policy.stackTag);

        // Every short set (fewer members than its backup-dr:set-size) is reported, and no other.
        const reported = plan.regions.flatMap((r) => r.shortSets.map((g) => [r.region, g.kind, g.source, g.run].join("|"))).sort();
        expect(reported).to.deep.equal([...expected.short].map((key) => key.replace(/\|#[^|]*$/, "|")).sort());
        // The mass-deletion stop fires exactly when the eligible share of a region's backups exceeds the fraction.
        for (const r of plan.regions) {
          expect(r.massDeletionStop, r.region).to.equal(expected.stopped.has(r.region));
          expect(r.backups).to.equal(expected.ours.get(r.region) ?? 0);
        }
        // Everything else of ours that is eligible is deleted or deferred; in a stopped region nothing is.
        for (const p of expected.eligible) {
          const region = p.split(" ")[0];
          expect(verdict.get(p), p).to.equal(expected.stopped.has(region) ? "keep" : verdict.get(p) === "delete" ? "delete" : "defer");
        }
        // At most maxDeletions go, the oldest first; the rest are deferred.
        const allowed = [...expected.eligible].filter((p) => !expected.stopped.has(p.split(" ")[0]));
        const deleted = going.filter((d) => d.verdict === "delete");
        const deferred = going.filter((d) => d.verdict === "defer");
        expect(deleted.length).to.equal(Math.min(fleet.policy.maxDeletions, allowed.length));
        expect(deferred.length).to.equal(allowed.length - deleted.length);
        const latestDeleted = Math.max(...deleted.map((d) => Date.parse(d.created ?? "")));
        for (const d of deferred) expect(Date.parse(d.created ?? "")).to.be.at.least(latestDeleted);
      }),
      { numRuns: 400 },
    );
  });

  it("the decision is the same whatever order the listings come in", () => {
    fc.assert(
      fc.property(fleetArb(), fc.func(fc.integer()), (fleet, key) => {
        const listings = listingsOf(fleet);
        const shuffled = listings.map((l) => ({ ...l, snapshots: [...l.snapshots].sort((a, b) => key(a.id) - key(b.id)) }));
        const decided = (ls: typeof listings) => decideCleanup(ls, fleet.now, fleet.policy).decisions.map((d) => `${place(d)} ${d.verdict}`).sort();
        expect(decided(shuffled)).to.deep.equal(decided(listings));
      }),
      { numRuns: 100 },
    );
  });

  it("whole runs against the fake AWS leave exactly what the rules keep, in both regions (60 fleets)", async () => {
    await fc.assert(
      fc.asyncProperty(fleetArb({ maxBackups: 6 }), async (fleet: ModelFleet) => {
        const fake = new FakeAws();
        fake.pageCap.ec2 = 5;
        fake.pageCap.rds = 5;
        prepareVault(fake);
        loadFleet(fake, fleet);
        const settings = cleanupSettings({
          BACKUP_DR_MIN_AGE_DAYS: String(fleet.policy.minAgeDays),
          BACKUP_DR_MAX_DELETE_FRACTION: String(fleet.policy.maxDeleteFraction),
          BACKUP_DR_MAX_DELETIONS: String(fleet.policy.maxDeletions),
        });
        const expected = expectationOf(fleet);
        const outcome = await runCleanup(cleanupDeps(fake, { now: () => fleet.now }), settings, { scheduledTime: "2026-11-22T03:30:00Z" }).then(
          () => undefined,
          (error: unknown) => error,
        );
        // The run fails exactly when a region stopped.
        if (expected.stopped.size > 0) expect(outcome).to.have.property("name", "RunFailedError");
        else expect(outcome).to.equal(undefined);

        const exists = (s: { region: string; kind: string; id: string }) => {
          const region = fake.region(s.region);
          return s.kind === "ebs" ? region.snapshots.has(s.id) : s.kind === "rds" ? region.dbSnapshots.has(s.id) : region.dbClusterSnapshots.has(s.id);
        };
        const gone = fleet.snapshots.filter((s) => !exists(s)).map(place);
        for (const p of gone) expect(expected.eligible.has(p), `deleted ${p}`).to.be.true;
        for (const p of expected.newest) expect(gone.includes(p), `newest ${p}`).to.be.false;
        const allowed = [...expected.eligible].filter((p) => !expected.stopped.has(p.split(" ")[0]));
        expect(gone.length).to.equal(Math.min(fleet.policy.maxDeletions, allowed.length));

        const manifests: CleanupManifest[] = [...cleanupManifests(fake).values()];
        // A run that deletes, defers and fails nothing writes no manifest; any other writes exactly one.
        if (allowed.length === 0 && expected.stopped.size === 0) {
          expect(manifests, "an idle run's manifests").to.deep.equal([]);
          return;
        }
        expect(manifests).to.have.length(1);
        const [manifest] = manifests;
        const status = new Map(manifest.snapshots.map((o) => [place(o), o.status]));
        for (const p of allowed) expect(status.get(p), p).to.be.oneOf(["deleted", "deferred"]);
        expect(manifest.snapshots.filter((o) => o.status === "deleted").map(place).sort()).to.deep.equal([...gone].sort());
      }),
      { numRuns: 60 },
    );
  });
});
