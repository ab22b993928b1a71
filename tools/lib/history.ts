// The events of an execution's history the follower has not seen yet: read newest first (paginated) and only as far
// back as the last event already printed, so each poll reads what is new, not the whole history again.
import { paginateGetExecutionHistory, type HistoryEvent, type SFNClient } from "@aws-sdk/client-sfn";

/** Events with an id above `afterId`, oldest first. */
export async function newEvents(sfn: SFNClient, executionArn: string, afterId: number): Promise<HistoryEvent[]> {
  const found: HistoryEvent[] = [];
  pages: for await (const page of paginateGetExecutionHistory({ client: sfn, pageSize: 100 }, { executionArn, reverseOrder: true, includeExecutionData: true })) {
    for (const event of page.events ?? []) {
      if ((event.id ?? 0) <= afterId) break pages;
      found.push(event);
    }
  }
  return found.reverse();
}
