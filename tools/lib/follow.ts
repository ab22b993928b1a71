// Follows a Step Functions execution until it ends: DescribeExecution and the new history events every few seconds,
// each printed as progress by the command's own view of its machine, then the report. 0 when the execution succeeded
// and its report says so, 1 otherwise. Stopping the follower (Ctrl-C) does not stop the execution: the command's
// `--follow <executionArn>` picks it up again.
import { DescribeExecutionCommand, type HistoryEvent, type SFNClient } from "@aws-sdk/client-sfn";
import { consoleUrl } from "./execution-arn";
import { newEvents } from "./history";
import { causeText } from "./progress";

export interface FollowDeps {
  sfn: SFNClient;
  out: (text: string) => void;
  sleep: (ms: number) => Promise<void>;
  /** Between two reads of the execution. */
  intervalMs: number;
}

/** Progress lines of one execution; remembers what it printed and the last report a step returned. */
export interface ExecutionProgress<Report> {
  lines(events: readonly HistoryEvent[]): string[];
  readonly report?: Report;
}

/** How a command reads its machine's executions: progress, the report in an output, how it prints, when it passed. */
export interface ExecutionView<Report> {
  progress(startDate: Date): ExecutionProgress<Report>;
  reportOf(output: string | undefined): Report | undefined;
  format(report: Report): string[];
  passed(report: Report): boolean;
  /** What the execution returns, e.g. "restore report". */
  noun: string;
}

export async function followExecution<Report>(deps: FollowDeps, executionArn: string, view: ExecutionView<Report>): Promise<number> {
  let progress: ExecutionProgress<Report> | undefined;
  let lastId = 0;
  for (;;) {
    const execution = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
    progress ??= view.progress(execution.startDate ?? new Date());
    const events = await newEvents(deps.sfn, executionArn, lastId);
    lastId = Math.max(lastId, ...events.map((e) => e.id ?? 0));
    for (const line of progress.lines(events)) deps.out(line);
    const status = execution.status ?? "RUNNING";
    if (status === "RUNNING") {
      await deps.sleep(deps.intervalMs);
      continue;
    }
    const report = progress.report ?? view.reportOf(execution.output);
    if (report !== undefined) for (const line of view.format(report)) deps.out(line);
    if (status !== "SUCCEEDED") deps.out(`Execution ${status}${execution.error ? `: ${execution.error}` : ""}${execution.cause ? `: ${causeText(execution.cause)}` : ""}`);
    else if (report === undefined) deps.out(`Execution SUCCEEDED but returned no ${view.noun}`);
    deps.out(`Console: ${consoleUrl(executionArn)}`);
    return status === "SUCCEEDED" && report !== undefined && view.passed(report) ? 0 : 1;
  }
}
