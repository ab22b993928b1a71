// Property (#13): each handler given random events (anything at all, or a real event with a field changed, removed
// or added: odd types, huge or deep values, bad instants and ids) either throws a named input error before any AWS
// call, or takes the event as valid and runs; it never throws anything else (no RangeError, no TypeError).
import { expect } from "chai";
import * as fc from "fast-check";
import { parseBackupEvent } from "../../handlers/backup/event";
import { runBackup } from "../../handlers/backup/run";
import { parseCleanupEvent } from "../../handlers/cleanup/event";
import { runCleanup } from "../../handlers/cleanup/run";
import { parseCopyEvent } from "../../handlers/copy/event";
import { runCopy } from "../../handlers/copy/run";
import { FakeAws } from "../helpers/aws-fake";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { clusterSnapshotEvent, copyDeps, copySettings, dbSnapshotEvent, multiVolumeEvent, primaryRegion, snapshotEvent } from "../helpers/copy-setup";
import { buildFleet } from "../helpers/backup-fleet";
import { NOW, cleanupDeps, cleanupSettings, prepareVault } from "../helpers/cleanup-setup";

const INPUT_ERRORS = ["MalformedEventError", "UnknownPlanError"];

function nested(depth: number): unknown {
  let value: unknown = "x";
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

const oddValue = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom<unknown>(nested(20_000), "x".repeat(100_000), Infinity, NaN, -1, 0, "", "banana", true, null, "__proto__"),
  fc.constantFrom<unknown>("1900-01-01T00:00:00Z", "2200-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+275760-09-13T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-22T06:00:00", "2026-11-22T06:00:00+24:00", "2026-11-23T06:00:00Z"),
  fc.date({ min: new Date("1960-01-01T00:00:00Z"), max: new Date("2300-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 80 }),
);

/** A real event with up to three changes: a field set to an odd value, removed, or added. */
function mutated(base: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  const change = fc.record({ kind: fc.constantFrom("set", "delete", "add", "detail"), key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("id", "time", "plan", "scheduledTime", "dryRun", "detail", "sweep", "source", "detail-type")), value: oddValue });
  return fc.tuple(base, fc.array(change, { maxLength: 3 })).map(([event, changes]) => {
    const copy: Record<string, unknown> = { ...event };
    for (const { kind, key, value } of changes) {
      const keys = Object.keys(copy);
      const existing = keys.length === 0 ? key : keys[key.length % keys.length];
      if (kind === "delete") delete copy[existing];
      else if (kind === "set") copy[existing] = value;
      else if (kind === "detail" && typeof copy.detail === "object" && copy.detail !== null) copy.detail = { ...(copy.detail as Record<string, unknown>), [key]: value };
      else Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
    }
    return copy;
  });
}

/** Runs the property: every rejection is a named input error with no AWS call, or the parser took the event as valid. */
async function check(events: fc.Arbitrary<unknown>, run: (event: unknown) => { fake: FakeAws; result: Promise<unknown> }, accepts: (event: unknown) => boolean, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(events, async (event) => {
      const { fake, result } = run(event);
      const error = await result.then(() => undefined, (e: unknown) => e);
      if (error !== undefined && error instanceof Error && INPUT_ERRORS.includes(error.name)) {
        expect(fake.calls, error.message).to.deep.equal([]);
        return;
      }
      // Not an input error: then the event was valid, and the run finished (or failed only on AWS's answers).
      expect(accepts(event), error instanceof Error ? `${error.name}: ${error.message}` : "resolved").to.equal(true);
      if (error !== undefined) expect(error instanceof Error ? error.name : typeof error).to.equal("RunFailedError");
    }),
    { numRuns, seed: 13 },
  );
}

const accepted = (parse: () => unknown): boolean => {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
};

describe("handler event property (#13)", () => {
  it("backup: a named error before any AWS call, or a valid event", async function () {
    this.timeout(120_000);
    const now = new Date("2026-11-22T06:02:00Z");
    const base = fc.constantFrom<Record<string, unknown>>({ plan: "gold", scheduledTime: "2026-11-22T06:00:00Z" }, { plan: "silver" }, { plan: "gold", scheduledTime: "2026-11-22T01:00:00-05:00" });
    const settings = backupSettings();
    await check(
      fc.oneof(fc.anything({ maxDepth: 4 }), oddValue, mutated(base)),
      (event) => {
        const fake = new FakeAws();
        buildFleet(fake);
        return { fake, result: runBackup(backupDeps(fakeClients(fake), () => now), settings, event) };
      },
      (event) => accepted(() => parseBackupEvent(event, settings.plans, now)),
      250,
    );
  });

  it("copy: a named error before any AWS call, or a valid event", async function () {
    this.timeout(120_000);
    const snap = "snap-0123456789abcdef0";
    const base = fc.constantFrom<Record<string, unknown>>(snapshotEvent(snap), multiVolumeEvent([snap]), dbSnapshotEvent("bdr-gold-orders-x"), clusterSnapshotEvent("bdr-gold-c-x"), { sweep: true });
    await check(
      fc.oneof(fc.anything({ maxDepth: 4 }), oddValue, mutated(base)),
      (event) => {
        const fake = new FakeAws();
        primaryRegion(fake);
        return { fake, result: runCopy(copyDeps(fake, () => NOW), copySettings(), event) };
      },
      (event) => accepted(() => parseCopyEvent(event)),
      120,
    );
  });

  it("cleanup: a named error before any AWS call, or a valid event", async function () {
    this.timeout(120_000);
    const base = fc.constantFrom<Record<string, unknown>>({ scheduledTime: "2026-11-22T03:30:00Z" }, { dryRun: true }, {});
    await check(
      fc.oneof(fc.anything({ maxDepth: 4 }), oddValue, mutated(base)),
      (event) => {
        const fake = new FakeAws();
        prepareVault(fake);
        return { fake, result: runCleanup(cleanupDeps(fake, { now: () => NOW }), cleanupSettings(), event) };
      },
      (event) => accepted(() => parseCleanupEvent(event, NOW)),
      250,
    );
  });
});
