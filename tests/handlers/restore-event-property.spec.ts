// Property (as #13 for the other functions): the restore function given random step events (anything at all, or a
// real one with fields changed, removed or added, in the event, its request or its state) either throws a named error
// (MalformedEventError before any AWS call, or a restore refusal), or runs the step; never anything else.
import { expect } from "chai";
import * as fc from "fast-check";
import type { RestoreState } from "../../handlers/restore/contract";
import { parseRestoreEvent } from "../../handlers/restore/event";
import { runRestoreStep } from "../../handlers/restore/run";
import { FakeAws } from "../helpers/aws-fake";
import { mutatedEvents } from "../helpers/event-mutation";
import { VAULT_BUCKET } from "../helpers/backup-fleet";
import { kindsWith, PRIMARY, restoreDeps, restoreSettings, stubActions } from "../helpers/restore-setup";

const NAMED = ["MalformedEventError", "UnknownSourceError", "AmbiguousSourceError", "NoRecoveryPointError", "ForeignRecoveryPointError", "OtherSourceRecoveryPointError", "IncompleteRecoveryPointError"];

const STATE: RestoreState = {
  restoreId: "r-1",
  startedAt: "2026-11-21T09:00:00Z",
  region: PRIMARY,
  kind: "rds",
  source: "orders-db",
  point: { kind: "rds", region: PRIMARY, source: "orders-db", id: "bdr-gold-orders-db-x", snapshotIds: ["bdr-gold-orders-db-x"], origin: "backup", completed: true },
  name: "restored-orders-db-r-1",
  phase: "db-instance",
  status: "pending",
  waitSeconds: 60,
  deadline: "2026-11-21T12:00:00Z",
  created: [],
};
const REQUEST = { source: "orders-db", point: "latest", kind: "rds", name: "again", database: { port: 5432 } };
const EVENTS: Record<string, unknown>[] = [
  { step: "start", restoreId: "r-1", startedAt: "2026-11-21T09:00:00Z", request: REQUEST },
  { step: "poll", state: STATE },
  { step: "validate", state: STATE },
  { step: "report", restoreId: "r-1", startedAt: "2026-11-21T09:00:00Z", request: REQUEST, error: { Error: "X", Cause: "{}" } },
];

const oddValue = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom<unknown>("x".repeat(100_000), Infinity, NaN, -1, 0, "", "latest", true, null, "__proto__", [], {}, "2026-02-30T00:00:00Z", "snap-0abc", "bdr-x", "arn:aws:rds:us-east-1:123456789012:snapshot:bdr-x"),
  fc.string({ maxLength: 90 }),
);
const FIELDS = ["step", "restoreId", "startedAt", "request", "state", "error", "source", "point", "kind", "mode", "name", "status", "created", "snapshotIds", "deadline", "port", "machine", "database"];

const mutated = mutatedEvents(EVENTS, FIELDS, oddValue, 3);

describe("restore events: random input (property)", () => {
  it("the parser accepts or throws MalformedEventError, nothing else", () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything({ maxDepth: 4 })), (event) => {
        try {
          parseRestoreEvent(event);
        } catch (error) {
          expect(error).to.be.instanceOf(Error).with.property("name", "MalformedEventError");
        }
      }),
      { numRuns: 2000, seed: 17 },
    );
  });

  it("a step run on any event ends in its result or a named error; a malformed one makes no AWS call", async () => {
    const fake = new FakeAws();
    fake.region(PRIMARY).addBucket(VAULT_BUCKET);
    const deps = restoreDeps(fake, PRIMARY, () => new Date("2026-11-21T09:05:00Z"), kindsWith(() => stubActions({ started: [], polled: [] })));
    await fc.assert(
      fc.asyncProperty(mutated, async (event) => {
        const from = fake.calls.length;
        try {
          await runRestoreStep(deps, restoreSettings("primary"), event);
        } catch (error) {
          expect(error).to.be.instanceOf(Error);
          expect(NAMED, String((error as Error).stack)).to.include((error as Error).name);
          if ((error as Error).name === "MalformedEventError") expect(fake.calls.length).to.equal(from);
        }
      }),
      { numRuns: 200, seed: 17 },
    );
  });
});
