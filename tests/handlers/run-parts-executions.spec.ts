// Two executions of one slot (a scheduler retry, a person's rerun while the first still runs), their turns
// interleaved: each execution's parts are its own (the key carries the execution's start), so neither overwrites the
// other's and each manifest lists every source.
import { expect } from "chai";
import { stepBackup } from "../../handlers/backup/run";
import { FakeAws } from "../helpers/aws-fake";
import { fakeClients } from "../helpers/aws-clients";
import { manifests } from "../helpers/aws-inspect";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { buildFleet, goldSources } from "../helpers/backup-fleet";
import { invocationClock, unfinished, virtualClock } from "../helpers/run-steps";

const EVENT = { plan: "gold", scheduledTime: "2026-11-22T11:00:00Z" };
const KEY = "runs/backup/2026/11/22/gold-2026-11-22T11-00-00Z.json";

describe("two executions of one slot, interleaved", () => {
  it("write parts at keys of their own, and each manifest lists every source", async () => {
    const fake = new FakeAws();
    const fleet = buildFleet(fake);
    const clock = virtualClock(new Date("2026-11-22T11:01:00Z"));
    const settings = backupSettings();
    const deps = (budget: number) => ({ ...backupDeps(fakeClients(fake), clock.now), sleep: clock.sleep, remainingMs: invocationClock([budget]).remainingMs });
    const a1 = unfinished(await stepBackup(deps(6), settings, EVENT));
    await clock.sleep(1);
    const b1 = unfinished(await stepBackup(deps(9), settings, EVENT));
    const a2 = unfinished(await stepBackup(deps(6), settings, { cursor: a1.cursor }));
    const b2 = unfinished(await stepBackup(deps(1), settings, { cursor: b1.cursor }));
    expect(a2.cursor.parts.filter((key) => b2.cursor.parts.includes(key))).to.deep.equal([]);
    const all = [...goldSources(fleet), ...fleet.goldSkipped.keys()].sort();
    // The fleet has sources that fail (the run then throws RunFailedError): the manifest each final invocation wrote.
    const listed = async (cursor: typeof a2.cursor) => {
      await stepBackup(deps(1000), settings, { cursor }).catch(() => undefined);
      return (manifests(fake.region()).get(KEY)?.sources ?? []).map((o) => o.source).sort();
    };
    expect(await listed(a2.cursor)).to.deep.equal(all);
    expect(await listed(b2.cursor)).to.deep.equal(all);
    const stored = [...manifests(fake.region()).keys()].filter((key) => key.includes(".part-"));
    expect(stored).to.have.members([...a2.cursor.parts, ...b2.cursor.parts]);
  });
});
