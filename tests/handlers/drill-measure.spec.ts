// The measure step: RTO = validatedAt - the restore's startedAt (only when validation passed), RPO = the drill's start
// - the point's taken time, and the outcome against the sample's targets: passed, missed rto, missed rpo, failed
// validation, a restore that timed out, a step error a Catch recorded. Instants are UTC: a DST change in the plan's
// zone and a year boundary change nothing.
import { expect } from "chai";
import type { DrillResult } from "../../handlers/drill/contract";
import { measureRestore } from "../../handlers/drill/measure";
import { runDrillStep } from "../../handlers/drill/run";
import type { RestoreState } from "../../handlers/restore/contract";
import { FakeAws } from "../helpers/aws-fake";
import { DR, drillDeps, drillSettings, sample } from "../helpers/drill-setup";

const S = sample(1, { taken: "2026-11-30T05:00:00.000Z", drillStartedAt: "2026-12-01T03:00:00.000Z" }); // RPO 22 h = 79 200 s

/** A restore state as validate returns it: started at `startedAt`, validated `after` seconds later. */
function validated(after: number, fields: Partial<RestoreState> = {}, startedAt = "2026-12-01T03:00:10.000Z"): RestoreState {
  return {
    restoreId: S.restoreId,
    drillId: S.drillId,
    startedAt,
    region: DR,
    kind: "ec2",
    source: S.source,
    point: { kind: "ec2", region: DR, source: S.source, id: S.pointId, snapshotIds: [S.pointId], origin: "copy", completed: true },
    name: "drill-x-00000001",
    phase: "volumes",
    status: "available",
    waitSeconds: 30,
    deadline: "2026-12-01T04:00:10.000Z",
    created: [{ type: "volume", id: "vol-1", state: "available" }],
    availableAt: new Date(Date.parse(startedAt) + (after - 1) * 1000).toISOString(),
    validation: { ok: true, checks: [{ check: "volumes available", ok: true }] },
    validatedAt: new Date(Date.parse(startedAt) + after * 1000).toISOString(),
    ...fields,
  };
}

describe("drill measure", () => {
  it("passed: RTO and RPO within the targets, every field of the result", () => {
    const result = measureRestore(S, validated(600));
    expect(result).to.deep.equal({
      restoreId: S.restoreId,
      plan: "gold",
      kind: "ec2",
      source: S.source,
      pointId: S.pointId,
      taken: S.taken,
      outcome: "passed",
      missed: [],
      rtoSeconds: 600,
      rpoSeconds: 79_200,
      targets: { rtoSeconds: 3600, rpoSeconds: 90_000 },
      restoreStartedAt: "2026-12-01T03:00:10.000Z",
      validatedAt: "2026-12-01T03:10:10.000Z",
      checks: [{ check: "volumes available", ok: true }],
      created: [{ type: "volume", id: "vol-1", state: "available" }],
    } satisfies DrillResult);
  });

  it("at the target is within it; a millisecond over misses (RTO), a second over misses (RPO)", () => {
    expect(measureRestore(S, validated(3600)).outcome).to.equal("passed");
    const late = measureRestore(S, validated(3600.001));
    expect([late.outcome, late.missed, late.rtoSeconds]).to.deep.equal(["missed-target", ["rto"], 3600.001]);
    const old = measureRestore({ ...S, taken: "2026-11-30T02:00:00.000Z" }, validated(60));
    expect([old.outcome, old.missed, old.rpoSeconds]).to.deep.equal(["passed", [], 90_000]);
    const older = measureRestore({ ...S, taken: "2026-11-30T01:59:59.000Z" }, validated(60));
    expect([older.outcome, older.missed, older.rpoSeconds]).to.deep.equal(["missed-target", ["rpo"], 90_001]);
    const both = measureRestore({ ...S, taken: "2026-11-29T00:00:00.000Z" }, validated(4000));
    expect([both.outcome, both.missed]).to.deep.equal(["missed-target", ["rto", "rpo"]]);
  });

  it("failed validation: failed, RTO missed and absent, RPO still measured, the failed checks named", () => {
    const result = measureRestore(S, validated(120, { validation: { ok: false, checks: [{ check: "size", ok: true }, { check: "volume state", ok: false, detail: "vol-1 is error" }] } }));
    expect(result).to.deep.include({ outcome: "failed", missed: ["rto"], rpoSeconds: 79_200, failure: { name: "RestoreValidationFailed", message: "validation failed: volume state: vol-1 is error" } });
    expect(result).to.not.have.any.keys("rtoSeconds", "validatedAt");
  });

  it("a restore that timed out (poll's failure) and one never validated are failed", () => {
    const timedOut = measureRestore(S, validated(0, { status: "failed", failure: { name: "RestoreTimedOut", message: "not available by ..." }, validation: undefined, validatedAt: undefined }));
    expect(timedOut).to.deep.include({ outcome: "failed", missed: ["rto"], failure: { name: "RestoreTimedOut", message: "not available by ..." } });
    // validate on a failed restore returns a failed validation without validatedAt: still the state's failure.
    const afterValidate = measureRestore(S, validated(0, { status: "failed", failure: { name: "RestoreTimedOut", message: "late" }, validation: { ok: false, checks: [{ check: "available", ok: false }] }, validatedAt: undefined }));
    expect(afterValidate.failure?.name).to.equal("RestoreTimedOut");
    const pending = measureRestore(S, validated(0, { status: "pending", validation: undefined, validatedAt: undefined }));
    expect(pending).to.deep.include({ outcome: "failed", failure: { name: "RestoreNotValidated", message: "the restore is pending (phase volumes) and was not validated" } });
  });

  it("a step error a Catch recorded: its Lambda errorType and message, also when a validated state came with it", () => {
    const cause = JSON.stringify({ errorType: "RestoreNameTakenError", errorMessage: "The volume name is taken" });
    const noState = measureRestore(S, undefined, { Error: "RestoreNameTakenError", Cause: cause });
    expect(noState).to.deep.include({ outcome: "failed", missed: ["rto"], rpoSeconds: 79_200, created: [], failure: { name: "RestoreNameTakenError", message: "The volume name is taken" } });
    expect(noState).to.not.have.property("restoreStartedAt");
    const states = measureRestore(S, validated(60), { Error: "States.Timeout", Cause: "" });
    expect(states).to.deep.include({ outcome: "failed", failure: { name: "States.Timeout", message: "" } });
  });

  it("clock edges: a DST change in the plan's zone and a year boundary change nothing (instants are UTC)", () => {
    // Europe/Berlin left summer time at 2026-10-25T01:00Z: from 23:30 CEST to 02:30 CET the wall clock says 3 h; 4 h passed.
    const dst = sample(1, { taken: "2026-10-24T23:30:00+02:00", drillStartedAt: "2026-10-25T02:30:00+01:00" });
    expect(measureRestore(dst, validated(60, {}, "2026-10-25T01:59:30.000Z")).rpoSeconds).to.equal(4 * 3600);
    const rto = measureRestore(dst, validated(0, { startedAt: "2026-10-25T00:59:00.000Z", validatedAt: "2026-10-25T01:01:00.000Z" }));
    expect(rto.rtoSeconds).to.equal(120);
    const newYear = sample(1, { taken: "2026-12-31T23:59:59.000Z", drillStartedAt: "2027-01-01T00:00:01.000Z" });
    expect(measureRestore(newYear, validated(0, { startedAt: "2026-12-31T23:59:00.000Z", validatedAt: "2027-01-01T00:01:00.000Z" }))).to.deep.include({ rpoSeconds: 2, rtoSeconds: 120, outcome: "passed" });
  });

  it("through the step: the event's sample and state must belong together", async () => {
    const fake = new FakeAws();
    const deps = drillDeps(fake, () => new Date());
    const result = (await runDrillStep(deps, drillSettings(), { step: "measure", sample: S, state: validated(60) })) as DrillResult;
    expect(result.outcome).to.equal("passed");
    const other = validated(60, { restoreId: "drill-2026-12-01-r2" });
    const refused = await runDrillStep(deps, drillSettings(), { step: "measure", sample: S, state: other }).catch((e: unknown) => e);
    expect(refused).to.have.property("name", "MalformedEventError");
    expect(fake.calls).to.deep.equal([]);
  });
});
