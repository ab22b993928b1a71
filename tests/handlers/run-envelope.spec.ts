// The run machine's first event, the execution's input wrapped with its start (handlers/lib/run-envelope.ts), as the
// backup and cleanup functions read it: a manual run's time is the execution's start, whatever the function's clock
// says when a retry of the first turn comes; a scheduled time or a cursor wins; a bare event keeps working.
import { expect } from "chai";
import { parseBackupEvent } from "../../handlers/backup/event";
import { parseCleanupEvent } from "../../handlers/cleanup/event";
import { openRunEnvelope } from "../../handlers/lib/run-envelope";
import { backupSettings } from "../helpers/backup-setup";
import { thrown } from "../helpers/thrown";

const START = "2026-11-22T11:01:10.250Z";
const envelope = (input: unknown, executionStartTime: unknown = START) => ({ input, executionStartTime });
/** A retry of the first turn after the killed attempt's 15 minutes. */
const RETRY = new Date("2026-11-22T11:17:40Z");

describe("the run machine's first event (envelope with the execution's start)", () => {
  const plans = backupSettings().plans;

  it("a manual backup run takes the execution's start as its time: a retry minutes later is the same run", () => {
    const first = parseBackupEvent(envelope({ plan: "gold" }), plans, new Date("2026-11-22T11:01:11Z"));
    const retry = parseBackupEvent(envelope({ plan: "gold" }), plans, RETRY);
    for (const request of [first, retry]) expect([request.slot.toISOString(), request.scheduled, request.plan.name]).to.deep.equal(["2026-11-22T11:01:00.000Z", false, "gold"]);
  });

  it("a manual cleanup run ({} or a preview) takes the execution's start as its slot", () => {
    // The execution's start also names the first turn's intent record (handlers/cleanup/intent.ts).
    expect(parseCleanupEvent(envelope({}), RETRY)).to.deep.equal({ slot: new Date("2026-11-22T11:01:00Z"), dryRun: false, execution: new Date(START) });
    expect(parseCleanupEvent(envelope({ dryRun: true }), RETRY)).to.deep.equal({ slot: new Date("2026-11-22T11:01:00Z"), dryRun: true, execution: new Date(START) });
  });

  it("a scheduled time wins over the execution's start (the schedule's slot)", () => {
    const backup = parseBackupEvent(envelope({ plan: "gold", scheduledTime: "2026-11-22T06:00:00Z" }), plans, RETRY);
    expect([backup.slot.toISOString(), backup.scheduled]).to.deep.equal(["2026-11-22T06:00:00.000Z", true]);
    const scheduled = parseCleanupEvent(envelope({ scheduledTime: "2026-11-22T03:30:00Z" }), RETRY);
    expect([scheduled.slot.toISOString(), scheduled.execution?.toISOString()]).to.deep.equal(["2026-11-22T03:30:00.000Z", START]);
  });

  it("a bare event (a person's aws lambda invoke) is timed by the function's clock, as before", () => {
    expect(parseBackupEvent({ plan: "gold" }, plans, RETRY).slot.toISOString()).to.equal("2026-11-22T11:17:00.000Z");
    expect(parseCleanupEvent({}, RETRY).slot.toISOString()).to.equal("2026-11-22T11:17:00.000Z");
    expect(openRunEnvelope({ plan: "gold" }, RETRY)).to.deep.equal({ event: { plan: "gold" } });
  });

  it("the inner event is checked as a bare one (its errors are the same)", () => {
    expect(thrown(() => parseBackupEvent(envelope({ plan: "gold", scheduledtime: "x" }), plans, RETRY))).to.include({ name: "MalformedEventError" });
    expect(thrown(() => parseBackupEvent(envelope("gold"), plans, RETRY)).message).to.include("Expected an event object");
    expect(thrown(() => parseCleanupEvent(envelope({ cursor: { function: "backup" } }), RETRY)).message).to.include('"cleanup"');
  });

  const bad: [string, unknown, string][] = [
    ["a start that is not an instant", envelope({ plan: "gold" }, "now"), 'Event field "executionStartTime" must be an ISO-8601 instant'],
    ["a start that is not text", envelope({ plan: "gold" }, 1763809270250), 'Event field "executionStartTime" must be an ISO-8601 instant'],
    ["a start in the future", envelope({ plan: "gold" }, "2026-11-22T11:30:00Z"), "is in the future"],
    ["no input", { executionStartTime: START }, '"input" is missing'],
    ["another field", { ...envelope({ plan: "gold" }), plan: "gold" }, "got also plan"],
  ];
  for (const [what, event, says] of bad) {
    it(`refuses an envelope with ${what} (MalformedEventError), in both functions`, () => {
      for (const error of [thrown(() => parseBackupEvent(event, plans, RETRY)), thrown(() => parseCleanupEvent(event, RETRY))]) {
        expect(error.name).to.equal("MalformedEventError");
        expect(error.message).to.include(says);
      }
    });
  }
});
