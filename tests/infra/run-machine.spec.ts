// The run state machine's definition (infra/run-machine.ts): valid States Language, every state reachable, every Task
// retried on the Lambda service's errors, throttling, a killed turn and any other error (never on the handlers' final
// errors) and caught to a Fail, the loop on done with the cursor, its timeouts and its history budget.
import { expect } from "chai";
import { LAMBDA_SERVICE_ERRORS, MAX_HISTORY_EVENTS, THROTTLING_ERRORS, type AslDefinition } from "../../infra/asl";
import { MAX_INVOCATIONS } from "../../handlers/lib/cursor-input";
import { invalidScheduleError, invalidSettingError, malformedEventError, missingSettingError, runFailedError, unknownPlanError } from "../../handlers/lib/errors";
import {
  KILLED_TURN_ERRORS,
  RUN_FINAL_ERRORS,
  RUN_FUNCTION_TIMEOUT_SECONDS,
  RUN_HISTORY_SHARE,
  RUN_MACHINE_MARGIN_MINUTES,
  RUN_MAX_TURNS,
  RUN_STATE,
  TURN_TIMEOUT_MARGIN_SECONDS,
  runHistoryEvents,
  runMachineDefinition,
  runMachineTimeoutSeconds,
} from "../../infra/run-machine";
import { reachableFrom, successors, tasks, validateAsl } from "../helpers/asl-validate";

const FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:backup";

describe("run state machine definition (backup and cleanup)", () => {
  const timeoutSeconds = runMachineTimeoutSeconds(120, RUN_FUNCTION_TIMEOUT_SECONDS);
  const definitions = (["backup", "cleanup"] as const).map((purpose) => ({ purpose, definition: runMachineDefinition(FUNCTION_ARN, { purpose, timeoutSeconds, functionTimeoutSeconds: RUN_FUNCTION_TIMEOUT_SECONDS }) }));
  const definition = definitions[0].definition;

  it("is valid States Language for both functions (asl-validator, paths and ARNs checked)", () => {
    for (const { purpose, definition: d } of definitions) {
      const result = validateAsl(d, { checkPaths: true, checkArn: true });
      expect(result.errorsText(), purpose).to.equal("");
      expect(result.isValid, purpose).to.equal(true);
    }
  });

  it("the validator refuses a broken definition (a Choice going to no state)", () => {
    const broken = JSON.parse(JSON.stringify(definition)) as AslDefinition;
    broken.States[RUN_STATE.answered] = { Type: "Choice", Choices: [{ Variable: "$.done", BooleanEquals: true, Next: "Nowhere" }], Default: RUN_STATE.finished };
    expect(validateAsl(broken).isValid).to.equal(false);
  });

  it("reaches every state from StartAt, and every transition names a state", () => {
    expect([...reachableFrom(definition)].sort()).to.deep.equal(Object.keys(definition.States).sort());
    for (const state of Object.values(definition.States)) for (const next of successors(state)) expect(definition.States, next).to.have.property(next);
  });

  it("starts with the Pin (the input and the execution's start), then one Task: the function through the optimized integration, sent the state's data whole (the Pin's envelope, then {cursor})", () => {
    const all = tasks(definition);
    expect(all.map(([n]) => n)).to.deep.equal([RUN_STATE.invoke]);
    const [, invoke] = all[0];
    expect(invoke).to.deep.include({
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: FUNCTION_ARN, "Payload.$": "$" },
      OutputPath: "$.Payload",
      TimeoutSeconds: RUN_FUNCTION_TIMEOUT_SECONDS + TURN_TIMEOUT_MARGIN_SECONDS,
    });
    expect(definition.StartAt).to.equal(RUN_STATE.pin);
    expect(definition.States[RUN_STATE.pin]).to.deep.equal({
      Type: "Pass",
      Comment: definition.States[RUN_STATE.pin].Comment,
      Parameters: { "input.$": "$", "executionStartTime.$": "$$.Execution.StartTime" },
      Next: RUN_STATE.invoke,
    });
    expect(definition.States[RUN_STATE.nextTurn]).to.deep.include({ Type: "Pass", Parameters: { "cursor.$": "$.cursor" }, Next: RUN_STATE.invoke });
  });

  it("never retries the handlers' final errors, then retries the Lambda service's errors, throttling, a killed turn, and any other error (States.ALL, last), with backoff", () => {
    const [[, invoke]] = tasks(definition);
    const [final, ...retried] = invoke.Retry;
    expect(final).to.deep.include({ ErrorEquals: RUN_FINAL_ERRORS, MaxAttempts: 0 });
    // Each is the name of one of handlers/lib/errors.ts's factories.
    const made = [runFailedError("r", []), malformedEventError("m"), unknownPlanError("p", []), missingSettingError("S"), invalidSettingError("S", "x"), invalidScheduleError("e", "x")];
    expect(RUN_FINAL_ERRORS).to.deep.equal(made.map((e) => e.name));
    expect(retried.flatMap((r) => r.ErrorEquals)).to.include.members([...LAMBDA_SERVICE_ERRORS, ...THROTTLING_ERRORS, ...KILLED_TURN_ERRORS]);
    expect(KILLED_TURN_ERRORS).to.deep.equal(["Sandbox.Timedout", "Lambda.Unknown", "States.Timeout"]);
    expect(LAMBDA_SERVICE_ERRORS).to.include("Lambda.ClientExecutionTimeoutException");
    // States.ALL must be alone and last (States Language); the final errors come before it, so they are never retried.
    expect(retried[retried.length - 1]).to.deep.equal({ ErrorEquals: ["States.ALL"], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 });
    for (const r of invoke.Retry.slice(0, -1)) expect(r.ErrorEquals).to.not.include("States.ALL");
    for (const r of retried) {
      expect(r.BackoffRate).to.be.greaterThan(1);
      expect(r.MaxAttempts).to.be.greaterThan(1);
      expect(r.IntervalSeconds).to.be.greaterThan(0);
    }
  });

  it("catches every failure of a turn into a Fail state named after the function", () => {
    for (const { purpose, definition: d } of definitions) {
      const [[, invoke]] = tasks(d);
      expect(invoke.Catch).to.deep.equal([{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: RUN_STATE.runFailed }]);
      const fail = d.States[RUN_STATE.runFailed];
      expect(fail.Type === "Fail" && [fail.Error, fail.Cause.includes(`runs/${purpose}/`)]).to.deep.equal([purpose === "backup" ? "BackupRunFailed" : "CleanupRunFailed", true]);
    }
  });

  it("ends on done: true, goes on on done: false, and fails an answer without a boolean done or without a cursor", () => {
    expect(definition.States[RUN_STATE.answered]).to.deep.include({
      Choices: [
        { Variable: "$.done", IsPresent: false, Next: RUN_STATE.notAnAnswer },
        { Variable: "$.done", BooleanEquals: true, Next: RUN_STATE.finished },
        { Variable: "$.done", BooleanEquals: false, Next: RUN_STATE.turnsLeft },
      ],
      Default: RUN_STATE.notAnAnswer,
    });
    expect(definition.States[RUN_STATE.turnsLeft]).to.deep.include({
      Choices: [
        { Variable: "$.cursor.invocation", IsPresent: false, Next: RUN_STATE.notAnAnswer },
        { Variable: "$.cursor.invocation", NumericGreaterThanEquals: RUN_MAX_TURNS, Next: RUN_STATE.tooManyTurns },
      ],
      Default: RUN_STATE.nextTurn,
    });
    expect(definition.States[RUN_STATE.finished].Type).to.equal("Succeed");
    for (const name of [RUN_STATE.notAnAnswer, RUN_STATE.tooManyTurns]) expect(definition.States[name].Type, name).to.equal("Fail");
  });

  it("times out after the deadline, one more turn with every retry of a killed or failed turn, and the margin", () => {
    expect(definition.TimeoutSeconds).to.equal(timeoutSeconds);
    // 120 minutes, then 7 attempts of up to 900 + 60 s (the first, 3 killed, 3 failed otherwise), then 30 minutes.
    expect(runMachineTimeoutSeconds(120, 900)).to.equal(120 * 60 + 7 * 960 + RUN_MACHINE_MARGIN_MINUTES * 60);
    expect(runMachineTimeoutSeconds(1440, 900)).to.be.greaterThan(1440 * 60);
    expect(() => runMachineTimeoutSeconds(0, 900)).to.throw("deadlineMinutes");
    expect(() => runMachineTimeoutSeconds(120, 1.5)).to.throw("functionTimeoutSeconds");
    expect(() => runMachineDefinition(FUNCTION_ARN, { purpose: "backup", timeoutSeconds: 0, functionTimeoutSeconds: 900 })).to.throw("timeoutSeconds");
  });

  it("stops at RUN_MAX_TURNS within the history budget, far above the turns of the longest deadline", () => {
    expect(runHistoryEvents(RUN_MAX_TURNS)).to.be.at.most(MAX_HISTORY_EVENTS * RUN_HISTORY_SHARE);
    // Never more turns than a cursor may count (the function refuses a cursor past MAX_INVOCATIONS).
    expect(RUN_MAX_TURNS).to.equal(MAX_INVOCATIONS);
    // A 1,440-minute deadline at one turn per 15-minute invocation, counting from the first: 97 turns.
    expect(RUN_MAX_TURNS).to.be.greaterThan(1440 / 15 + 1);
    // The execution, the Pin, the Task, the Choice, the Succeed.
    expect(runHistoryEvents(1)).to.equal(2 + 2 + 5 + 2 + 2);
    expect(() => runHistoryEvents(0)).to.throw("turns");
  });

  it("takes the partition from the function's ARN", () => {
    const cn = runMachineDefinition("arn:aws-cn:lambda:cn-north-1:123456789012:function:cleanup", { purpose: "cleanup", timeoutSeconds, functionTimeoutSeconds: 900 });
    expect(tasks(cn).map(([, t]) => t.Resource)).to.deep.equal(["arn:aws-cn:states:::lambda:invoke"]);
  });
});
