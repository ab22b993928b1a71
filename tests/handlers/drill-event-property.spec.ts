// Property (as for the other functions): the drill function given random step events (anything at all, or a real one
// with fields changed, removed or added at any depth: in the event, its sample, its request, its state) either throws
// a named error (MalformedEventError before any AWS call, or the pick's refusal of a plan) or runs the step; never
// anything else (no TypeError, no RangeError from a deep value).
import { expect } from "chai";
import * as fc from "fast-check";
import { parseDrillEvent } from "../../handlers/drill/event";
import { runDrillStep } from "../../handlers/drill/run";
import { FakeAws } from "../helpers/aws-fake";
import { mutatedEvents } from "../helpers/event-mutation";
import { DRILL_ID, DRILL_START, drillDeps, drillSettings, drRegion, listingKinds, passedReportEvent, pickedState, point, sample, scriptedDrillKinds, validatedResult, validatedState } from "../helpers/drill-setup";

const NAMED = ["MalformedEventError", "UnknownPlanError"];
const S = sample(1);
const RESULT = validatedResult(S, 60);
const EVENTS: Record<string, unknown>[] = [
  { step: "pick", drillId: DRILL_ID, startedAt: DRILL_START, request: { plan: "gold", seed: "s" } },
  { step: "measure", sample: S, error: { Error: "X", Cause: "{}" } },
  { step: "measure", sample: S, state: { ...validatedState(S, 60), validation: { ok: false, checks: [{ check: "size", ok: false, detail: "small" }] } } },
  { step: "measure", sample: S, state: { ...validatedState(S, 60), status: "failed", failure: { name: "RestoreTimedOut", message: "late" } } },
  { step: "report", drillId: DRILL_ID, startedAt: DRILL_START, state: { ...pickedState([S]), results: [{ ...RESULT, outcome: "failed", failure: { name: "F", message: "m" }, checks: [{ check: "c", ok: false }] }], cleanup: { status: "incomplete", waitSeconds: 0, deadline: DRILL_START, deleted: [], remaining: [{ restoreId: S.restoreId, type: "volume", id: "v", state: "deleting" }], refused: [{ restoreId: S.restoreId, type: "volume", id: "w", reason: "other" }], failures: [{ restoreId: S.restoreId, name: "N", message: "m" }] } } },
  { step: "cleanup", state: { ...pickedState([S]), results: [RESULT], error: { Error: "E", Cause: "c" } } },
  passedReportEvent(),
  { step: "watch" },
];

const oddValue = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom<unknown>("x".repeat(100_000), Infinity, NaN, -1, 0, 1.5, "", true, null, "__proto__", [], {}, "2026-02-30T00:00:00Z", `${DRILL_ID}-r2`, "gold", "ec2", "[".repeat(3000)),
  fc.string({ maxLength: 90 }),
);
const FIELDS = ["step", "drillId", "startedAt", "request", "plan", "seed", "sample", "restoreId", "kind", "source", "pointId", "taken", "drillStartedAt", "rpoSeconds", "targets", "rtoSeconds", "state", "drill", "samples", "unsampled", "results", "cleanup", "error", "status", "deadline", "outcome", "missed", "created", "validation", "checks", "ok", "validatedAt", "failure", "name", "message", "remaining", "refused", "failures", "deleted", "waitSeconds"];

const mutated = mutatedEvents(EVENTS, FIELDS, oddValue, 4);

describe("drill events: random input (property)", () => {
  it("the parser accepts or throws MalformedEventError, nothing else", () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything({ maxDepth: 4 })), (event) => {
        try {
          parseDrillEvent(event);
        } catch (error) {
          expect(error).to.be.instanceOf(Error).with.property("name", "MalformedEventError");
        }
      }),
      { numRuns: 5000, seed: 18 },
    );
  });

  it("a step run on any event ends in its result or a named error; a malformed one makes no AWS call", async () => {
    const fake = new FakeAws();
    drRegion(fake);
    const kinds = listingKinds([point("ec2", "i-0aaaaaaaaaaaaaaaa", "gold", "2026-11-30T05:00:00.000Z")]);
    const drillKinds = scriptedDrillKinds(() => ({ deleted: [], remaining: [], refused: [] }));
    const deps = drillDeps(fake, () => new Date("2026-12-01T05:00:00Z"), { kinds, drillKinds });
    // A schedule with no slot yet: the watch step lists nothing (the fake's S3 answers PutObject and GetObject only).
    const settings = drillSettings({ schedule: "cron(0 3 1 * ? 2199)" });
    await fc.assert(
      fc.asyncProperty(mutated, async (event) => {
        const from = fake.calls.length;
        try {
          await runDrillStep(deps, settings, event);
        } catch (error) {
          expect(error).to.be.instanceOf(Error);
          expect(NAMED, String((error as Error).stack)).to.include((error as Error).name);
          expect(fake.calls.length, "calls before a refusal").to.equal(from);
        }
      }),
      { numRuns: 1500, seed: 1 },
    );
  });
});
