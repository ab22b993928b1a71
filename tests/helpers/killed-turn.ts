// The Task of a run machine (infra/run-machine.ts) run by the test interpreter, invoking a deployed function archive
// against the fake AWS, with one turn killed mid-way: that turn runs on a killable server (aws-killable-server.ts) and,
// once killed, the Task fails as Step Functions reports a function that ran to its timeout (Sandbox.Timedout); the
// invocation is abandoned, never answering. Its retry runs in a new sandbox (the per-container cache cleared) with the
// wall clock moved on by the function's timeout and the retry's interval, as the killed turn's claims would have aged.
import type { Context } from "aws-lambda";
import { expect } from "chai";
import { resetContainer } from "../../handlers/lib/container";
import type { AslDefinition } from "../../infra/asl";
import { KILLED_TURN_RETRY } from "../../infra/run-machine";
import type { KillableServer } from "./aws-killable-server";
import { invokeIsolated } from "./aws-lambda-run";
import { fakeEndpointEnv, type FakeServer } from "./aws-transport";
import { lambdaContext } from "./lambda-context";
import { runStateMachine, type Invoke, type RunResult } from "./state-machine-run";
import { shiftWallClock } from "./wall-clock";

export type Entry = (event: unknown, context: Context) => Promise<unknown>;

export interface KilledTurnOptions {
  entry: Entry;
  /** The fake's ordinary endpoint (AWS_ENDPOINT_URL of every other turn). */
  serverUrl: string;
  killable: KillableServer;
  /** Which turn (1-based, counting every attempt) is killed. */
  killTurn: number;
  functionTimeoutSeconds: number;
  /** Each invocation's context; `frozen()` holds once the killed invocation is killed (it starts nothing more). */
  context: (frozen: () => boolean) => Context;
}

export interface KilledTurnDriver {
  invoke: Invoke;
  /**
   * Puts the wall clock back, refuses the abandoned invocation's requests and waits for it to settle: "threw",
   * "answered", or undefined when no turn was killed. Call it inside the isolated invocation, so its output is captured.
   */
  finish(): Promise<string | undefined>;
}

/** Each invocation's context: its time runs short after `starts` starts of work (each asks the time left), at once when frozen. */
export function startsPerTurn(fn: "backup" | "cleanup", starts: number): KilledTurnOptions["context"] {
  return (frozen) => {
    let checks = 0;
    return lambdaContext(fn, () => (!frozen() && (checks += 1) <= starts ? 900_000 : 10_000));
  };
}

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

export function killedTurnDriver(options: KilledTurnOptions): KilledTurnDriver {
  const { entry, serverUrl, killable, killTurn, functionTimeoutSeconds, context } = options;
  let turn = 0;
  let killedAt = 0;
  let abandoned: Promise<string> | undefined;
  let unshift: (() => void) | undefined;
  const invoke: Invoke = async (_resource, payload, call) => {
    turn += 1;
    if (turn === killTurn) {
      process.env.AWS_ENDPOINT_URL = killable.url;
      const settled = entry(payload, context(() => killable.isKilled())).then(
        (answer: unknown) => `answered ${JSON.stringify(answer)}`,
        () => "threw",
      );
      abandoned = settled;
      const first = await Promise.race([killable.killed.then(() => "killed"), settled]);
      if (first !== "killed") throw new Error(`turn ${turn}, to be killed, ${first} first`);
      killedAt = call.now.getTime();
      throw named("Sandbox.Timedout", `Task timed out after ${functionTimeoutSeconds}.00 seconds`);
    }
    if (turn === killTurn + 1) {
      unshift = shiftWallClock(functionTimeoutSeconds * 1000 + (call.now.getTime() - killedAt));
      resetContainer();
    }
    process.env.AWS_ENDPOINT_URL = serverUrl;
    return entry(payload, context(() => false));
  };
  return {
    invoke,
    finish: async () => {
      unshift?.();
      unshift = undefined;
      // The SDK resolves AWS_ENDPOINT_URL at a client's first request: a client the abandoned invocation first uses
      // now must meet the killable server too, never the fake.
      process.env.AWS_ENDPOINT_URL = killable.url;
      killable.refuse();
      return abandoned;
    },
  };
}

export interface KilledRunArgs {
  definition: AslDefinition;
  input: unknown;
  /** The function's name: every Task must invoke it. */
  fn: "backup" | "cleanup";
  env: Record<string, string | undefined>;
  region: string;
  server: FakeServer;
  killable: KillableServer;
  driver: KilledTurnDriver;
}

/**
 * Runs the machine with its Task invoking the deployed archive through the driver, inside the function's environment
 * pointed at the fake; closes both servers. Asserts the shape both long-run specs share: Succeeded, four turns, the
 * second killed (Sandbox.Timedout) and retried once, after the killed turn's retry interval.
 */
export async function runWithKilledTurn(args: KilledRunArgs): Promise<{ result: RunResult; abandoned: string | undefined }> {
  const invoke: Invoke = (resource, payload, call) => {
    expect(resource).to.match(new RegExp(`:function:${args.fn}$`));
    return args.driver.invoke(resource, payload, call);
  };
  let abandoned: string | undefined;
  const run = () =>
    invokeIsolated({ ...args.env, ...fakeEndpointEnv(args.server, args.region) }, async () => {
      try {
        return await runStateMachine(args.definition, args.input, { invoke, name: `${args.fn}-long-run`, startTime: new Date() });
      } finally {
        abandoned = await args.driver.finish();
      }
    });
  let outcome: Awaited<ReturnType<typeof run>>;
  try {
    outcome = await run();
  } finally {
    await args.killable.close();
    await args.server.close();
  }
  const result = outcome.result;
  if (result === undefined) throw new Error(`the run threw: ${String(outcome.error)}`);
  expect([result.status, result.error, result.cause]).to.deep.equal(["SUCCEEDED", undefined, undefined]);
  expect(result.invocations.map((i) => [i.attempt, i.error])).to.deep.equal([
    [1, undefined],
    [1, "Sandbox.Timedout"],
    [2, undefined],
    [1, undefined],
    [1, undefined],
  ]);
  expect(result.invocations[2].at.getTime() - result.invocations[1].at.getTime()).to.equal(KILLED_TURN_RETRY.IntervalSeconds * 1000);
  return { result, abandoned };
}
