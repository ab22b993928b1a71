// The restore state machine's definition (infra/restore-machine.ts): valid States Language, every state reachable
// from StartAt, every Task retried on throttling and the Lambda service's errors and caught to the report, every
// Choice with a Default, the report's own failure caught to a Fail, and the step events of the contract.
import { expect } from "chai";
import { RESTORE_STEPS } from "../../handlers/restore/contract";
import { LAMBDA_SERVICE_ERRORS, THROTTLING_ERRORS, type AslDefinition } from "../../infra/asl";
import { RESTORE_MACHINE_MARGIN_MINUTES, STATE, restoreMachineDefinition, restoreMachineTimeoutSeconds } from "../../infra/restore-machine";
import { reachableFrom, successors, tasks, validateAsl } from "../helpers/asl-validate";

const FUNCTION_ARN = "arn:aws:lambda:us-west-2:123456789012:function:restore-dr";

describe("restore state machine definition", () => {
  const definition = restoreMachineDefinition(FUNCTION_ARN, 3600);

  it("is valid States Language (asl-validator, paths and ARNs checked)", () => {
    const result = validateAsl(definition, { checkPaths: true, checkArn: true });
    expect(result.errorsText(), "asl-validator").to.equal("");
    expect(result.isValid).to.equal(true);
  });

  it("the validator refuses a broken definition (a Next to no state)", () => {
    const broken = JSON.parse(JSON.stringify(definition)) as AslDefinition;
    broken.States[STATE.wait] = { Type: "Wait", SecondsPath: "$.state.waitSeconds", Next: "Nowhere" };
    expect(validateAsl(broken).isValid).to.equal(false);
  });

  it("reaches every state from StartAt, and every transition names a state", () => {
    expect([...reachableFrom(definition)].sort()).to.deep.equal(Object.keys(definition.States).sort());
    for (const state of Object.values(definition.States)) for (const next of successors(state)) expect(definition.States, next).to.have.property(next);
  });

  it("finds an unreachable state (the check can fail)", () => {
    const extra: AslDefinition = { ...definition, States: { ...definition.States, Orphan: { Type: "Succeed" } } };
    expect(reachableFrom(extra).has("Orphan")).to.equal(false);
  });

  it("invokes only the restore function, through the optimized Lambda integration, with each step of the contract", () => {
    const steps = tasks(definition).map(([, t]) => {
      expect(t.Resource).to.equal("arn:aws:states:::lambda:invoke");
      expect(t.Parameters.FunctionName).to.equal(FUNCTION_ARN);
      const payload = t.Parameters.Payload as { step?: string } | undefined;
      return payload?.step ?? "(the event built before it)";
    });
    expect(steps).to.deep.equal(["start", "poll", "validate", "(the event built before it)"]);
    expect(RESTORE_STEPS).to.deep.equal(["start", "poll", "validate", "report"]);
    // The report step's event is built by the Pass states before it, each with step "report".
    for (const name of [STATE.finished, STATE.startFailed, STATE.stepFailed]) {
      const pass = definition.States[name];
      expect(pass.Type, name).to.equal("Pass");
      if (pass.Type === "Pass") expect([pass.Parameters.step, pass.Next]).to.deep.equal(["report", STATE.report]);
    }
  });

  it("takes the partition from the function's ARN", () => {
    const cn = restoreMachineDefinition("arn:aws-cn:lambda:cn-north-1:123456789012:function:restore-primary", 3600);
    expect(tasks(cn).map(([, t]) => t.Resource)).to.deep.equal(Array(4).fill("arn:aws-cn:states:::lambda:invoke"));
    expect(() => restoreMachineDefinition("restore-primary", 3600)).to.throw("expected an ARN");
  });

  it("starts with the execution's name as restore id, its start time, and the input as the request", () => {
    const start = definition.States[definition.StartAt];
    expect(definition.StartAt).to.equal(STATE.start);
    expect(start.Type === "Task" && start.Parameters.Payload).to.deep.equal({ step: "start", "restoreId.$": "$$.Execution.Name", "startedAt.$": "$$.Execution.StartTime", "request.$": "$" });
  });

  it("retries every Task on the Lambda service's errors and on every throttling name, with backoff", () => {
    for (const [name, t] of tasks(definition)) {
      const retried = t.Retry.flatMap((r) => r.ErrorEquals);
      expect(retried, name).to.include.members([...LAMBDA_SERVICE_ERRORS, ...THROTTLING_ERRORS]);
      expect(retried, name).to.not.include("States.ALL");
      for (const r of t.Retry) {
        expect(r.BackoffRate, name).to.be.greaterThan(1);
        expect(r.MaxAttempts, name).to.be.greaterThan(1);
        expect(r.IntervalSeconds, name).to.be.greaterThan(0);
      }
    }
  });

  it("catches every failure of Start, Poll and Validate into the report, with the error next to the state", () => {
    for (const [name, t] of tasks(definition).filter(([n]) => n !== STATE.report)) {
      expect(t.Catch, name).to.have.length(1);
      const [c] = t.Catch;
      expect([c.ErrorEquals, c.ResultPath], name).to.deep.equal([["States.ALL"], "$.error"]);
      const pass = definition.States[c.Next];
      expect(pass.Type === "Pass" && pass.Next, name).to.equal(STATE.report);
    }
    expect(definition.States[STATE.startFailed]).to.deep.include({ Parameters: { step: "report", "restoreId.$": "$$.Execution.Name", "startedAt.$": "$$.Execution.StartTime", "request.$": "$$.Execution.Input", "error.$": "$.error" } });
    expect(definition.States[STATE.stepFailed]).to.deep.include({ Parameters: { step: "report", "restoreId.$": "$$.Execution.Name", "startedAt.$": "$$.Execution.StartTime", "state.$": "$.state", "error.$": "$.error" } });
  });

  it("catches the report's own failure into a Fail state", () => {
    const report = definition.States[STATE.report];
    expect(report.Type === "Task" && report.Catch.map((c) => [c.ErrorEquals, definition.States[c.Next].Type])).to.deep.equal([[["States.ALL"], "Fail"]]);
  });

  it("gives every Choice a Default; polls again until available or failed; ends by the report's status", () => {
    const choices = Object.entries(definition.States).filter(([, s]) => s.Type === "Choice");
    expect(choices.map(([n]) => n)).to.deep.equal([STATE.progress, STATE.reported]);
    for (const [name, c] of choices) expect(c.Type === "Choice" && c.Default, name).to.be.a("string");
    expect(definition.States[STATE.progress]).to.deep.equal({
      Type: "Choice",
      Choices: [
        { Variable: "$.state.status", StringEquals: "available", Next: STATE.validate },
        { Variable: "$.state.status", StringEquals: "failed", Next: STATE.finished },
      ],
      Default: STATE.wait,
    });
    expect(definition.States[STATE.reported]).to.deep.equal({ Type: "Choice", Choices: [{ Variable: "$.status", StringEquals: "succeeded", Next: STATE.succeeded }], Default: STATE.restoreFailed });
  });

  it("waits only in the machine, for the seconds the state asks", () => {
    const waits = Object.values(definition.States).filter((s) => s.Type === "Wait");
    expect(waits).to.deep.equal([{ Type: "Wait", Comment: "The kind's poll interval, from the state.", SecondsPath: "$.state.waitSeconds", Next: STATE.poll }]);
  });

  it("times out after the longest kind's timeout plus the margin", () => {
    expect(definition.TimeoutSeconds).to.equal(3600);
    expect(restoreMachineTimeoutSeconds([60, 180, 90])).to.equal((180 + RESTORE_MACHINE_MARGIN_MINUTES) * 60);
    expect(() => restoreMachineTimeoutSeconds([])).to.throw("at least one kind");
  });
});
