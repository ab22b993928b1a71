// Follows a restore execution until it ends: DescribeExecution and the new history events every few seconds, each
// printed as progress, then the report. 0 when the restore succeeded, 1 otherwise. Stopping the follower (Ctrl-C)
// does not stop the restore: `npm run restore -- --follow <executionArn>` picks it up again.
import { DescribeExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { consoleUrl } from "./execution-arn";
import { newEvents } from "./history";
import { formatReport, causeText, ProgressPrinter, restoreReport } from "./progress-format";

export interface FollowDeps {
  sfn: SFNClient;
  out: (text: string) => void;
  sleep: (ms: number) => Promise<void>;
  /** Between two reads of the execution. */
  intervalMs: number;
}

export async function followExecution(deps: FollowDeps, executionArn: string): Promise<number> {
  let printer: ProgressPrinter | undefined;
  let lastId = 0;
  for (;;) {
    const execution = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
    printer ??= new ProgressPrinter(execution.startDate ?? new Date());
    const events = await newEvents(deps.sfn, executionArn, lastId);
    lastId = Math.max(lastId, ...events.map((e) => e.id ?? 0));
    for (const line of printer.lines(events)) deps.out(line);
    const status = execution.status ?? "RUNNING";
    if (status === "RUNNING") {
      await deps.sleep(deps.intervalMs);
      continue;
    }
    const report = printer.report ?? restoreReport(execution.output);
    if (report !== undefined) for (const line of formatReport(report)) deps.out(line);
    if (status !== "SUCCEEDED") deps.out(`Execution ${status}${execution.error ? `: ${execution.error}` : ""}${execution.cause ? `: ${causeText(execution.cause)}` : ""}`);
    else if (report === undefined) deps.out("Execution SUCCEEDED but returned no restore report");
    deps.out(`Console: ${consoleUrl(executionArn)}`);
    return status === "SUCCEEDED" && report?.status === "succeeded" ? 0 : 1;
  }
}
