// The history Step Functions would write for a run of the test interpreter (state-machine-run.ts): each state entered
// and exited, each failed task attempt, the execution's end, at the run's virtual times. Fed to the fake Step
// Functions, it lets the operator command follow a restore that really ran (the real definition, function and kinds).
import type { ExecutionScript, ScriptedEvent } from "./aws-fake-sfn";
import type { RunResult } from "./state-machine-run";

const seconds = (at: Date, start: Date) => (at.getTime() - start.getTime()) / 1000;

/** The run as a script of one step per state (one DescribeExecution each), then its end. */
export function historyOf(run: RunResult, input: unknown, start: Date): ExecutionScript {
  const steps: ScriptedEvent[][] = [[{ type: "ExecutionStarted", secondsAfterStart: 0, executionStartedEventDetails: { input: JSON.stringify(input) } }]];
  let attempt = 0;
  run.transitions.forEach((t, i) => {
    const at = seconds(t.at, start);
    const next = run.transitions[i + 1];
    const left = next === undefined ? at : seconds(next.at, start);
    const events: ScriptedEvent[] = [{ type: `${t.type}StateEntered`, secondsAfterStart: at, stateEnteredEventDetails: { name: t.state, input: JSON.stringify(t.input) } }];
    let failed = false;
    if (t.type === "Task") {
      // This entry's attempts: the invocations of this state from here on, up to one that did not fail.
      const mine = run.invocations.slice(attempt).filter((c) => c.state === t.state);
      for (const call of mine) {
        attempt = run.invocations.indexOf(call, attempt) + 1;
        failed = call.error !== undefined;
        if (!failed) break;
        const caught = isCaught(next?.input, call.error);
        events.push({ type: "TaskFailed", secondsAfterStart: left, taskFailedEventDetails: { resourceType: "lambda", resource: "invoke", error: call.error, cause: caught ?? "" } });
        if (caught !== undefined) break;
      }
    }
    if (!failed && t.output !== undefined && t.type !== "Succeed") events.push({ type: `${t.type}StateExited`, secondsAfterStart: left, stateExitedEventDetails: { name: t.state, output: JSON.stringify(t.output) } });
    steps.push(events);
  });
  const end = run.elapsedSeconds;
  if (run.status === "SUCCEEDED") {
    steps.push([{ type: "ExecutionSucceeded", secondsAfterStart: end, executionSucceededEventDetails: { output: JSON.stringify(run.output) } }]);
    return { steps, end: { status: "SUCCEEDED", output: JSON.stringify(run.output) } };
  }
  const type = run.status === "TIMED_OUT" ? "ExecutionTimedOut" : "ExecutionFailed";
  const details = { error: run.error, cause: run.cause };
  steps.push([{ type, secondsAfterStart: end, [run.status === "TIMED_OUT" ? "executionTimedOutEventDetails" : "executionFailedEventDetails"]: details }]);
  return { steps, end: { status: run.status, ...(run.error === undefined ? {} : { error: run.error }), ...(run.cause === undefined ? {} : { cause: run.cause }) } };
}

/** The Cause a Catch put into the next state's input as `error`, when it caught this error. */
function isCaught(input: unknown, error: string | undefined): string | undefined {
  if (typeof input !== "object" || input === null || !("error" in input)) return undefined;
  const caught = input.error;
  if (typeof caught !== "object" || caught === null || !("Error" in caught) || caught.Error !== error) return undefined;
  return "Cause" in caught && typeof caught.Cause === "string" ? caught.Cause : undefined;
}
