// What the commands that start and follow an execution (`npm run restore`, `npm run drill`) share: their dependencies
// (a test replaces each), the real ones of a process, starting then following (or --detach), following with the way
// back after an error, and `--follow <executionArn>` given alone.
import { describeError } from "../../handlers/lib/errors";
import { regionClients, type ClientsOf } from "./clients";
import { consoleUrl, parseExecutionArn } from "./execution-arn";
import { followExecution, type ExecutionView } from "./follow";
import type { ParsedFlags } from "./flags";
import { readOutputs, type StackOutputs } from "./stack-outputs";
import type { StartedExecution } from "./start-execution";

export interface CommandDeps {
  clientsOf: ClientsOf;
  outputs: (stack: string, outputsFile: string | undefined) => StackOutputs;
  out: (text: string) => void;
  err: (text: string) => void;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Between two reads of a followed execution. */
  intervalMs: number;
  /** The random part of a new execution name (default: the command's own). */
  random?: () => string;
}

/** Runs a command's main in this process with the operator's credentials, the Pulumi CLI and the console; sets the exit code. */
export function runInProcess<Deps extends CommandDeps>(main: (argv: readonly string[], deps: Deps) => Promise<number>, deps: Omit<Deps, keyof CommandDeps>, intervalMs: number): void {
  const common: CommandDeps = {
    clientsOf: regionClients(),
    outputs: (stack, file) => readOutputs(stack, file),
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    intervalMs,
  };
  void main(process.argv.slice(2), { ...deps, ...common } as Deps).then((code) => {
    process.exitCode = code;
  });
}

/** A command's view of its machine's executions and the words it follows them with. */
export interface ExecutionCommand<Report> {
  /** e.g. "npm run restore". */
  command: string;
  /** e.g. "restore". */
  noun: string;
  view: ExecutionView<Report>;
  /** What a person should know when following stops, e.g. "The restore itself goes on". */
  goesOn: string;
}

/** Starts the execution, prints it, then follows it to its end, or with `detach` prints how to follow it later. */
export async function startThenFollow<Report>(deps: CommandDeps, command: ExecutionCommand<Report>, start: () => Promise<StartedExecution>, detach: boolean): Promise<number> {
  let executionArn: string;
  try {
    executionArn = (await start()).executionArn;
  } catch (error) {
    const { name, message } = describeError(error);
    deps.err(`could not start the ${command.noun}: ${name}: ${message}`);
    return 1;
  }
  deps.out(`Execution: ${executionArn}`);
  if (!detach) return followOrExplain(deps, executionArn, command);
  deps.out(`Follow it: ${command.command} -- --follow ${executionArn}`);
  deps.out(`Console:   ${consoleUrl(executionArn)}`);
  return 0;
}

/** Follows an execution in its own region (the ARN's) to its end; when it cannot be read, says it goes on and how to follow it again. */
export async function followOrExplain<Report>(deps: CommandDeps, executionArn: string, command: ExecutionCommand<Report>): Promise<number> {
  try {
    const region = parseExecutionArn(executionArn)?.region ?? "";
    return await followExecution({ sfn: deps.clientsOf(region).sfn, out: deps.out, sleep: deps.sleep, intervalMs: deps.intervalMs }, executionArn, command.view);
  } catch (error) {
    const { name, message } = describeError(error);
    deps.err(`could not follow ${executionArn}: ${name}: ${message}`);
    deps.err(`${command.goesOn}: follow again with ${command.command} -- --follow ${executionArn}`);
    return 1;
  }
}

/** `--follow <executionArn>` takes no other flag and an execution ARN; its problems (none when fine). */
export function followProblems(flags: ParsedFlags, executionArn: string): string[] {
  const problems: string[] = [];
  const others = [...flags.values.keys(), ...flags.switches].filter((f) => f !== "--follow");
  if (others.length > 0) problems.push(`--follow: takes no other flag (got ${others.join(", ")})`);
  if (parseExecutionArn(executionArn) === undefined) problems.push(`--follow: expected a Step Functions execution ARN (arn:aws:states:<region>:<account>:execution:<machine>:<name>), got ${JSON.stringify(executionArn)}`);
  return problems;
}
