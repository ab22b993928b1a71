// A cleanup invocation killed after AWS deleted some snapshots (no part, no answer), retried as Step Functions does
// (the same cursor, or the same event for a first turn): the deletions the killed attempt made count toward
// maxDeletionsPerRun and are in the manifest (the intent record each invocation writes before deleting).
import { expect } from "chai";
import type { SnapshotKind } from "../../handlers/catalog";
import { earlierAttempt, intentKey, KILLED_ATTEMPT } from "../../handlers/cleanup/intent";
import { stepCleanup, type CleanupDeps } from "../../handlers/cleanup/run";
import type { RegionListing, SnapshotOutcome } from "../../handlers/cleanup/types";
import { createClients, type AwsClients } from "../../handlers/lib/clients";
import { FakeAws } from "../helpers/aws-fake";
import { fastRetryStrategy, TEST_CREDENTIALS } from "../helpers/aws-clients";
import { DR, NOW, PRIMARY, cleanupDeps, cleanupManifests, cleanupSettings } from "../helpers/cleanup-setup";
import { buildScenario } from "../helpers/cleanup-scenario";
import { finished, invocationClock, killableHandler, unfinished, until } from "../helpers/run-steps";

const EVENT = { scheduledTime: "2026-11-22T03:30:00Z" };
const KEY = "runs/cleanup/2026/11/22/cleanup-2026-11-22T03-30-00Z.json";
/** The run machine's first event: the schedule's input and the execution's start (handlers/lib/run-envelope.ts). */
const envelope = (executionStartTime: string) => ({ input: EVENT, executionStartTime });
const ENVELOPE = envelope("2026-11-22T03:30:01.123Z");
const DELETES = ["DeleteSnapshot", "DeleteDBSnapshot", "DeleteDBClusterSnapshot"];
const LATER = new Date(NOW.getTime() + 16 * 60_000);

/** Deps of an invocation Lambda kills once AWS has handled `after` delete calls in all: no later answer ever comes. */
function killedAfter(fake: FakeAws, after: number): { deps: CleanupDeps; killed: () => boolean } {
  const deletes = () => fake.handled().filter((c) => DELETES.includes(c.action)).length;
  const { requestHandler, killed } = killableHandler(fake, () => deletes() >= after);
  const clients = new Map<string, AwsClients>();
  const regionClients = (region: string): AwsClients => {
    const made = clients.get(region) ?? createClients(region, { requestHandler, retryStrategy: () => fastRetryStrategy(), credentials: TEST_CREDENTIALS });
    clients.set(region, made);
    return made;
  };
  return { deps: { ...cleanupDeps(fake), regionClients, s3: regionClients(PRIMARY).s3, sns: regionClients(PRIMARY).sns }, killed };
}

describe("cleanup: an invocation killed after deleting, retried", () => {
  let fake: FakeAws;
  const deleteCalls = () => fake.handled().filter((c) => DELETES.includes(c.action)).length;
  const manifestDeleted = () => cleanupManifests(fake).get(KEY)?.snapshots.filter((o) => o.status === "deleted").length;
  beforeEach(() => {
    fake = new FakeAws();
    buildScenario(fake);
  });

  it("with the same cursor: maxDeletionsPerRun (8) holds over the run and the manifest lists every deletion", async () => {
    const settings = cleanupSettings({ BACKUP_DR_MAX_DELETIONS: "8" });
    const first = unfinished(await stepCleanup(cleanupDeps(fake, { remainingMs: invocationClock([5]).remainingMs }), settings, EVENT));
    expect(first.cursor.deleted).to.equal(5);
    const killed = killedAfter(fake, 7);
    void stepCleanup(killed.deps, settings, { cursor: first.cursor });
    await until(killed.killed);
    expect(deleteCalls()).to.be.at.least(7);
    const { manifest } = finished(await stepCleanup(cleanupDeps(fake, { now: () => LATER }), settings, { cursor: first.cursor }));
    expect(deleteCalls()).to.be.at.most(8);
    expect(manifest.counts.deleted).to.equal(deleteCalls());
    expect(manifestDeleted()).to.equal(deleteCalls());
  });

  it("a first turn retried with the same event: the killed attempt's deletions count and are listed", async () => {
    const settings = cleanupSettings({ BACKUP_DR_MAX_DELETIONS: "8" });
    const killed = killedAfter(fake, 3);
    void stepCleanup(killed.deps, settings, EVENT);
    await until(killed.killed);
    expect(deleteCalls()).to.be.at.least(3);
    const { manifest } = finished(await stepCleanup(cleanupDeps(fake, { now: () => LATER }), settings, EVENT));
    expect(deleteCalls()).to.equal(8);
    expect(manifest.counts.deleted).to.equal(8);
    expect(manifestDeleted()).to.equal(8);
  });

  it("a later rerun of a slot whose run ended normally counts none of that run's deletions as its own", async () => {
    const settings = cleanupSettings({ BACKUP_DR_MAX_DELETIONS: "8" });
    finished(await stepCleanup(cleanupDeps(fake), settings, EVENT));
    expect(deleteCalls()).to.equal(8);
    const rerun = finished(await stepCleanup(cleanupDeps(fake, { now: () => LATER }), settings, EVENT));
    expect(rerun.manifest.counts.deleted).to.equal(deleteCalls() - 8);
  });
});

describe("cleanup: a first turn under the run machine whose answer was lost, retried with the same envelope", () => {
  let fake: FakeAws;
  const deleteCalls = () => fake.handled().filter((c) => DELETES.includes(c.action)).length;
  beforeEach(() => {
    fake = new FakeAws();
    buildScenario(fake);
  });

  it("a first turn that ended (its answer lost): the retry counts its deletions, the cap holds", async () => {
    const settings = cleanupSettings({ BACKUP_DR_MAX_DELETIONS: "8" });
    finished(await stepCleanup(cleanupDeps(fake), settings, ENVELOPE));
    expect(deleteCalls()).to.equal(8);
    const retry = finished(await stepCleanup(cleanupDeps(fake, { now: () => LATER }), settings, ENVELOPE));
    expect(deleteCalls()).to.equal(8);
    expect(retry.manifest.counts.deleted).to.equal(8);
  });

  it("an unfinished first turn whose cursor was lost: the cap holds over the rest of the run", async () => {
    const settings = cleanupSettings({ BACKUP_DR_MAX_DELETIONS: "8" });
    unfinished(await stepCleanup(cleanupDeps(fake, { remainingMs: invocationClock([5]).remainingMs }), settings, ENVELOPE));
    let step = await stepCleanup(cleanupDeps(fake, { now: () => LATER }), settings, ENVELOPE);
    while (!step.done) step = await stepCleanup(cleanupDeps(fake, { now: () => LATER }), settings, { cursor: step.cursor });
    expect(deleteCalls()).to.equal(8);
    expect(step.manifest.counts.deleted).to.equal(8);
  });

  it("another execution of the slot (another start) counts none of the first's deletions; the record is the execution's", async () => {
    const settings = cleanupSettings({ BACKUP_DR_MAX_DELETIONS: "8" });
    finished(await stepCleanup(cleanupDeps(fake), settings, ENVELOPE));
    const second = finished(await stepCleanup(cleanupDeps(fake, { now: () => LATER }), settings, envelope("2026-11-22T03:45:00.000Z")));
    expect(second.manifest.counts.deleted).to.equal(deleteCalls() - 8);
    expect(intentKey(KEY, undefined, new Date("2026-11-22T03:30:01.123Z"))).to.equal(KEY.replace(/\.json$/, ".part-1-20261122T033001123Z.intent.json"));
    expect(intentKey(KEY, undefined)).to.equal(KEY.replace(/\.json$/, ".part-1.intent.json"));
  });
});

describe("cleanup: what an earlier attempt's intent record comes to", () => {
  const recorded = (region: string, kind: SnapshotKind, id: string): SnapshotOutcome => ({ region, kind, id, status: "deleted", reason: "expired" });
  const listing = (region: string, ids: string[]): RegionListing => ({ region, snapshots: ids.map((id) => ({ kind: "ebs", id, state: "completed", tags: {} })) });

  it("gone and listed fine: deleted by it; still listed: not; its kind's listing failed: counted, not reported", () => {
    const earlier = earlierAttempt(
      [recorded(PRIMARY, "ebs", "snap-1"), recorded(PRIMARY, "ebs", "snap-2"), recorded(PRIMARY, "rds", "db-1"), recorded(DR, "ebs", "snap-3")],
      [listing(PRIMARY, ["snap-2"]), listing(DR, [])],
      [{ region: PRIMARY, listing: "rds", error: { name: "AccessDenied", message: "no" } }],
    );
    expect(earlier.gone.map((o) => `${o.region} ${o.id} ${o.status} ${o.reason}`)).to.deep.equal([`${PRIMARY} snap-1 deleted ${KILLED_ATTEMPT}`, `${DR} snap-3 deleted ${KILLED_ATTEMPT}`]);
    expect(earlier.unknown).to.equal(1);
  });
});
