// Issue #13 items 4-7 and #11 item 3: bad instants, ids, deep nesting and huge values in events are named errors
// before any AWS call, with bounded messages; backup and cleanup agree on what an instant is; a future slot is refused.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { runCleanup } from "../../handlers/cleanup/run";
import { runCopy } from "../../handlers/copy/run";
import { MAX_ERROR_MESSAGE } from "../../policies/lib/bounds";
import { FakeAws, REGION } from "../helpers/aws-fake";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { copyDeps, copySettings, primaryRegion, snapshotEvent } from "../helpers/copy-setup";
import { buildFleet, goldSources } from "../helpers/backup-fleet";
import { backups } from "../helpers/aws-inspect";
import { NOW, cleanupDeps, cleanupSettings, rejection } from "../helpers/cleanup-setup";

const SNAP = "snap-0123456789abcdef0";

/** An object nested `depth` levels: {"a":{"a":...}}. */
function nested(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

function backupRun(event: unknown, now: Date) {
  const fake = new FakeAws();
  buildFleet(fake);
  return { fake, run: runBackup(backupDeps(fakeClients(fake), () => now), backupSettings(), event) };
}

describe("event bounds", () => {
  describe("copy event time and id (#13 item 4)", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["time: banana", { time: "banana" }, 'Event field "time"'],
      ["a time in year +275760", { time: "+275760-09-13T00:00:00Z" }, 'Event field "time"'],
      ["a time in 2200", { time: "2200-01-01T00:00:00Z" }, 'Event field "time"'],
      ["a 2,000-character id", { id: "a".repeat(2000) }, 'Event field "id"'],
      ["an id with a slash", { id: "../../other" }, 'Event field "id"'],
    ];
    for (const [what, fields, says] of cases) {
      it(`refuses ${what} with MalformedEventError before any AWS call`, async () => {
        const fake = new FakeAws();
        primaryRegion(fake);
        const error = await rejection(runCopy(copyDeps(fake), copySettings(), { ...snapshotEvent(SNAP), ...fields }));
        expect(error.name).to.equal("MalformedEventError");
        expect(error.message).to.include(says);
        expect(error.message.length).to.be.below(400);
        expect(fake.calls).to.deep.equal([]);
      });
    }
  });

  describe("deep nesting (#13 item 5)", () => {
    const deep = nested(100_000);
    const cases: [string, () => { fake: FakeAws; run: Promise<unknown> }][] = [
      ["backup: a deep plan", () => backupRun({ plan: deep }, NOW)],
      ["backup: a deep scheduledTime", () => backupRun({ plan: "gold", scheduledTime: deep }, NOW)],
      ["backup: a deep list as the event", () => backupRun([deep], NOW)],
      ["copy: a deep detail", () => {
        const fake = new FakeAws();
        return { fake, run: runCopy(copyDeps(fake), copySettings(), { ...snapshotEvent(SNAP), detail: { event: deep, result: "succeeded" } }) };
      }],
      ["copy: a deep sweep", () => {
        const fake = new FakeAws();
        return { fake, run: runCopy(copyDeps(fake), copySettings(), { sweep: deep }) };
      }],
      ["cleanup: a deep dryRun", () => {
        const fake = new FakeAws();
        return { fake, run: runCleanup(cleanupDeps(fake, { now: () => NOW }), cleanupSettings(), { dryRun: deep }) };
      }],
    ];
    for (const [what, start] of cases) {
      it(`${what} is a MalformedEventError, not a RangeError, before any AWS call`, async () => {
        const { fake, run } = start();
        const error = await rejection(run);
        expect(error.name).to.equal("MalformedEventError");
        expect(error.message.length).to.be.below(400);
        expect(fake.calls).to.deep.equal([]);
      });
    }
  });

  describe("message size (#13 item 6)", () => {
    it("a 100 KB plan name gives a short UnknownPlanError", async () => {
      const { fake, run } = backupRun({ plan: "x".repeat(100_000) }, NOW);
      const error = await rejection(run);
      expect(error.name).to.equal("UnknownPlanError");
      expect(error.message.length).to.be.below(300);
      expect(fake.calls).to.deep.equal([]);
    });

    it("100k unknown keys give a short MalformedEventError that names a few and counts the rest", async () => {
      const event: Record<string, unknown> = { plan: "gold" };
      for (let i = 0; i < 100_000; i += 1) event[`k${i}`] = i;
      const { fake, run } = backupRun(event, NOW);
      const error = await rejection(run);
      expect(error.name).to.equal("MalformedEventError");
      expect(error.message).to.include("k0, k1").and.to.include("and 99995 more");
      expect(error.message.length).to.be.at.most(MAX_ERROR_MESSAGE);
      expect(fake.calls).to.deep.equal([]);
    });
  });

  describe("backup and cleanup agree on instants (#13 item 7)", () => {
    const later = new Date("9999-12-31T00:00:00Z"); // a clock beyond every slot: only the year bounds apply
    for (const text of ["1900-01-01T00:00:00Z", "1969-12-31T23:59:00Z", "2200-01-01T00:00:00Z", "9999-01-01T00:00:00Z", "2199-12-31T23:30:00-01:00"]) {
      it(`both refuse ${text} before any AWS call, and no snapshot is made`, async () => {
        const { fake, run } = backupRun({ plan: "gold", scheduledTime: text }, later);
        const backupError = await rejection(run);
        expect(backupError.name).to.equal("MalformedEventError");
        expect(backups(fake.region(REGION))).to.have.length(0);
        expect(fake.calls).to.deep.equal([]);
        const cleanupFake = new FakeAws();
        const cleanupError = await rejection(runCleanup(cleanupDeps(cleanupFake, { now: () => NOW }), cleanupSettings(), { scheduledTime: text }));
        expect(cleanupError.name).to.equal("MalformedEventError");
        expect(cleanupFake.calls).to.deep.equal([]);
      });
    }
  });

  describe("a future scheduledTime (#11 item 3)", () => {
    const now = new Date("2026-11-22T06:00:20Z");
    it("tomorrow's slot is refused before any AWS call, and the real slot is then backed up", async () => {
      const fake = new FakeAws();
      const fleet = buildFleet(fake);
      const typo = await rejection(runBackup(backupDeps(fakeClients(fake), () => now), backupSettings(), { plan: "gold", scheduledTime: "2026-11-23T06:00:00Z" }));
      expect(typo.name).to.equal("MalformedEventError");
      expect(typo.message).to.include("in the future");
      expect(fake.calls).to.deep.equal([]);
      const tomorrow = new Date("2026-11-23T06:00:10Z");
      const real = await runBackup(backupDeps(fakeClients(fake), () => tomorrow), backupSettings(), { plan: "gold", scheduledTime: "2026-11-23T06:00:00Z" });
      const backedUp = new Set(backups(fake.region(REGION), real.runId).map((b) => b.source));
      expect([...backedUp].sort()).to.deep.equal([...goldSources(fleet)].sort());
    });

    it("a slot up to 5 minutes ahead of the clock (skew) is accepted; 6 minutes is not", async () => {
      const fake = new FakeAws();
      buildFleet(fake);
      const ahead = await runBackup(backupDeps(fakeClients(fake), () => now), backupSettings(), { plan: "gold", scheduledTime: "2026-11-22T06:05:00Z" });
      expect(ahead.slot).to.equal("2026-11-22T06:05:00Z");
      const error = await rejection(runBackup(backupDeps(fakeClients(fake), () => now), backupSettings(), { plan: "gold", scheduledTime: "2026-11-22T06:07:00Z" }));
      expect(error.name).to.equal("MalformedEventError");
    });
  });
});
