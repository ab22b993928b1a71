// A continuing event `{"cursor": {...}}` is checked field by field before any AWS call: each malformed field is a
// MalformedEventError naming the field, its value and the rule; a cursor of the other function is refused.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { runCleanup } from "../../handlers/cleanup/run";
import { FakeAws } from "../helpers/aws-fake";
import { fakeClients } from "../helpers/aws-clients";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { buildFleet } from "../helpers/backup-fleet";
import { NOW, cleanupDeps, cleanupSettings, prepareVault } from "../helpers/cleanup-setup";

const BACKUP_PART = "runs/backup/2026/11/22/gold-2026-11-22T11-00-00Z.part-1-20261122T110004120Z.json";
const BACKUP = {
  function: "backup",
  runId: "gold@2026-11-22T11:00:00Z",
  slot: "2026-11-22T11:00:00Z",
  startedAt: "2026-11-22T11:00:04.120Z",
  deadline: "2026-11-22T13:00:00Z",
  invocation: 1,
  parts: [BACKUP_PART],
  plan: "gold",
  scheduled: true,
  after: "ec2/i-0123456789abcdef0",
};
const CLEANUP_PART = "runs/cleanup/2026/11/22/cleanup-2026-11-22T03-30-00Z.part-1-20261122T033001000Z.json";
const CLEANUP = {
  function: "cleanup",
  runId: "cleanup@2026-11-22T03:30:00Z",
  slot: "2026-11-22T03:30:00Z",
  startedAt: "2026-11-22T03:30:01.000Z",
  deadline: "2026-11-22T05:30:00Z",
  invocation: 1,
  parts: [CLEANUP_PART],
  dryRun: false,
  deleted: 5,
};

type Case = [what: string, change: Record<string, unknown>, field: string];

/** Every field of both cursors, each broken in one or more ways. */
const BASE_CASES = (part: string, startedAt: string): Case[] => [
  ["runId of another run", { runId: "gold@2026-11-22T05:00:00Z" }, "runId"],
  ["runId missing", { runId: undefined }, "runId"],
  ["slot not an instant", { slot: "yesterday" }, "slot"],
  ["slot with seconds", { slot: "2026-11-22T11:00:30Z" }, "slot"],
  ["slot with an offset", { slot: "2026-11-22T06:00:00-05:00" }, "slot"],
  ["startedAt not an instant", { startedAt: 17 }, "startedAt"],
  ["startedAt long before the slot", { startedAt: "2026-11-21T00:00:00Z" }, "startedAt"],
  ["deadline before the slot", { deadline: "2026-11-21T00:00:00Z" }, "deadline"],
  ["deadline more than a day after the start", { deadline: "2026-11-24T00:00:00Z" }, "deadline"],
  ["deadline not text", { deadline: null }, "deadline"],
  ["invocation 0", { invocation: 0 }, "invocation"],
  ["invocation not whole", { invocation: 1.5 }, "invocation"],
  ["invocation as text", { invocation: "1" }, "invocation"],
  ["parts not a list", { parts: part }, "parts"],
  ["parts fewer than the invocations", { invocation: 2 }, "parts"],
  ["parts naming another object", { parts: ["runs/backup/2026/11/22/other.json"] }, "parts"],
  ["parts of another execution of the run (named for another start)", { parts: [part.replace(/-\d{8}T\d{9}Z\.json$/, "-20261122T120000000Z.json")] }, "parts"],
  ["startedAt of another execution than its parts", { startedAt: new Date(Date.parse(startedAt) + 1).toISOString() }, "parts"],
  ["function missing", { function: undefined }, "function"],
];

const BACKUP_CASES: Case[] = [
  ...BASE_CASES(BACKUP_PART, BACKUP.startedAt),
  ["plan not text", { plan: 7 }, "plan"],
  ["scheduled not a boolean", { scheduled: "yes" }, "scheduled"],
  ["scheduled false for a scheduled run id", { scheduled: false }, "runId"],
  ["after of a kind the plan has not", { after: "s3/bucket" }, "after"],
  ["after without a kind", { after: "i-0123456789abcdef0" }, "after"],
  ["after not text", { after: 3 }, "after"],
];

const CLEANUP_CASES: Case[] = [
  ...BASE_CASES(CLEANUP_PART, CLEANUP.startedAt),
  ["dryRun not a boolean", { dryRun: "false" }, "dryRun"],
  ["dryRun for a real run's id", { dryRun: true, deleted: 0 }, "runId"],
  ["deleted negative", { deleted: -1 }, "deleted"],
  ["deleted beyond the largest budget", { deleted: 10_001 }, "deleted"],
  ["deleted in a dry run", { dryRun: true, runId: "cleanup-dry-run@2026-11-22T03:30:00Z" }, "deleted"],
];

const broken = (base: Record<string, unknown>, change: Record<string, unknown>) => {
  const cursor: Record<string, unknown> = { ...base, ...change };
  for (const [key, value] of Object.entries(change)) if (value === undefined) delete cursor[key];
  return { cursor };
};

async function refusal(run: Promise<unknown>): Promise<Error> {
  const error = await run.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof Error)) throw new Error("expected the invocation to be refused");
  return error;
}

describe("continuing events: the cursor checked before any AWS call", () => {
  const backupNow = () => new Date("2026-11-22T11:20:00Z");

  it("the valid cursors are accepted (the cases below each break one thing)", async () => {
    const fake = new FakeAws();
    buildFleet(fake);
    const manifest = await runBackup(backupDeps(fakeClients(fake), backupNow), backupSettings(), { cursor: BACKUP }).catch((e: unknown) => e);
    // The part named does not exist in this fake: the run finishes and says so, after backing up what is after `after`.
    expect(manifest).to.have.property("name", "RunFailedError");
    expect((manifest as Error).message).to.include(`reading the part s3://backup-dr-test-vault/${BACKUP_PART}: NoSuchKey`);
    const cleanupFake = new FakeAws();
    prepareVault(cleanupFake);
    const cleanup = await runCleanup(cleanupDeps(cleanupFake, { now: () => NOW }), cleanupSettings(), { cursor: CLEANUP }).catch((e: unknown) => e);
    expect((cleanup as Error).message).to.include(`reading the part s3://backup-dr-test-vault/${CLEANUP_PART}: NoSuchKey`);
  });

  for (const [what, change, field] of BACKUP_CASES) {
    it(`backup: ${what} -> MalformedEventError naming "${field}", no AWS call`, async () => {
      const fake = new FakeAws();
      buildFleet(fake);
      const error = await refusal(runBackup(backupDeps(fakeClients(fake), backupNow), backupSettings(), broken(BACKUP, change)));
      expect(error.name).to.equal("MalformedEventError");
      expect(error.message).to.include(`Cursor field "${field}" must be`).and.include(", got ");
      expect(fake.calls).to.deep.equal([]);
    });
  }

  for (const [what, change, field] of CLEANUP_CASES) {
    it(`cleanup: ${what} -> MalformedEventError naming "${field}", no AWS call`, async () => {
      const fake = new FakeAws();
      prepareVault(fake);
      const error = await refusal(runCleanup(cleanupDeps(fake, { now: () => NOW }), cleanupSettings(), broken(CLEANUP, change)));
      expect(error.name).to.equal("MalformedEventError");
      expect(error.message).to.include(`Cursor field "${field}" must be`).and.include(", got ");
      expect(fake.calls).to.deep.equal([]);
    });
  }

  it("a cursor of the other function is refused by each, naming that function", async () => {
    const backupFake = new FakeAws();
    buildFleet(backupFake);
    const byBackup = await refusal(runBackup(backupDeps(fakeClients(backupFake), backupNow), backupSettings(), { cursor: CLEANUP }));
    expect(byBackup.name).to.equal("MalformedEventError");
    expect(byBackup.message).to.include(`Cursor field "function" must be "backup"`).and.include(`this cursor is for the "cleanup" function`);
    const cleanupFake = new FakeAws();
    prepareVault(cleanupFake);
    const byCleanup = await refusal(runCleanup(cleanupDeps(cleanupFake, { now: () => NOW }), cleanupSettings(), { cursor: BACKUP }));
    expect(byCleanup.message).to.include(`Cursor field "function" must be "cleanup"`);
    expect([...backupFake.calls, ...cleanupFake.calls]).to.deep.equal([]);
  });

  it("a plan the function does not know, an unknown cursor field, a cursor with other event fields, a cursor that is not an object", async () => {
    const cases: [unknown, string, string][] = [
      [{ cursor: { ...BACKUP, plan: "platinum" } }, "UnknownPlanError", 'Unknown plan "platinum"'],
      [{ cursor: { ...BACKUP, extra: 1 } }, "MalformedEventError", "Unknown cursor field(s) extra"],
      [{ cursor: BACKUP, plan: "gold" }, "MalformedEventError", 'An event with a "cursor" has no other field'],
      [{ cursor: [BACKUP] }, "MalformedEventError", 'Cursor field "cursor" must be'],
      [{ cursor: { ...BACKUP, slot: "2026-11-22T12:00:00Z", runId: "gold@2026-11-22T12:00:00Z", parts: ["runs/backup/2026/11/22/gold-2026-11-22T12-00-00Z.part-1.json"] } }, "MalformedEventError", 'Cursor field "slot" must be a slot that has come'],
    ];
    for (const [event, name, message] of cases) {
      const fake = new FakeAws();
      buildFleet(fake);
      const error = await refusal(runBackup(backupDeps(fakeClients(fake), backupNow), backupSettings(), event));
      expect(error.name, message).to.equal(name);
      expect(error.message).to.include(message);
      expect(fake.calls).to.deep.equal([]);
    }
  });
});
