// The drill's sample picker: random but reproducible with a seed, only completed and restorable points of this stack's
// plans with targets, taken by the drill's start, each source at its newest such point; samplePerPlan per plan and
// kind; the plan asked for; what could not be sampled and why. The kinds are stubs listing hand-built points.
import { expect } from "chai";
import type { DrillState } from "../../handlers/drill/contract";
import { pickDrill } from "../../handlers/drill/pick";
import { runDrillStep } from "../../handlers/drill/run";
import { fnv1a, seededRandom, choose } from "../../handlers/drill/prng";
import { isRestoreName } from "../../handlers/restore/naming";
import type { RecoveryPoint } from "../../handlers/restore/contract";
import { FakeAws } from "../helpers/aws-fake";
import { rejection } from "../helpers/copy-setup";
import { DR, DRILL_ID, DRILL_START, drillDeps, drillSettings, listingKinds, point, STACK_TAG } from "../helpers/drill-setup";

const NOW = new Date("2026-12-01T03:00:01Z");

/** Ten gold machines, each with two completed points (the second newer), and a few databases of silver. */
function fleet(): RecoveryPoint[] {
  const points: RecoveryPoint[] = [];
  for (let i = 0; i < 10; i += 1) {
    const source = `i-0${i}00000000000000a`;
    points.push(point("ec2", source, "gold", "2026-11-29T05:02:00.000Z"), point("ec2", source, "gold", "2026-11-30T05:02:00.000Z"));
  }
  for (const db of ["orders-db", "billing-db", "users-db"]) points.push(point("rds", db, "silver", "2026-11-30T04:00:00.000Z"));
  return points;
}

describe("drill pick", () => {
  const pick = (points: RecoveryPoint[], request: { plan?: string; seed?: string } = {}, options = {}, drillId = DRILL_ID) =>
    pickDrill({ clients: drillDeps(new FakeAws(), () => NOW).clients, kinds: listingKinds(points) }, drillSettings(options), drillId, DRILL_START, request);

  it("the same seed picks the same sample; other seeds pick others; the default seed is the drill id", async () => {
    const first = await pick(fleet(), { seed: "s-1" });
    const again = await pick([...fleet()].reverse(), { seed: "s-1" });
    expect(again.samples, "the listing's order does not matter").to.deep.equal(first.samples);
    const sources = new Set<string>();
    for (let s = 0; s < 20; s += 1) sources.add((await pick(fleet(), { seed: `seed-${s}` })).samples[0].source);
    expect(sources.size, "20 seeds over 10 gold sources").to.be.at.least(4);
    const byId = await pick(fleet());
    expect(byId.seed).to.equal(DRILL_ID);
    expect(byId.samples).to.deep.equal((await pick(fleet(), { seed: DRILL_ID })).samples);
  });

  it("samples one source per plan and kind at its newest completed point, with the request the restore needs", async () => {
    const drill = await pick(fleet(), { seed: "fixed" });
    expect(drill).to.deep.include({ drillId: DRILL_ID, startedAt: DRILL_START, region: DR, seed: "fixed", keepSeconds: 0 });
    expect(drill.samples.map((s) => [s.restoreId, s.plan, s.kind])).to.deep.equal([
      [`${DRILL_ID}-r1`, "gold", "ec2"],
      [`${DRILL_ID}-r2`, "silver", "rds"],
    ]);
    const [machine, db] = drill.samples;
    expect(machine.taken).to.equal("2026-11-30T05:02:00.000Z");
    expect(machine.pointId).to.equal(point("ec2", machine.source, "gold", "2026-11-30T05:02:00.000Z").id);
    expect(machine).to.deep.include({ drillStartedAt: DRILL_START, targets: { rtoSeconds: 3600, rpoSeconds: 90_000 } });
    expect(machine.request).to.deep.equal({ source: machine.source, kind: "ec2", point: machine.pointId, mode: "volumes", name: machine.request.name });
    expect(db.request).to.deep.equal({ source: db.source, kind: "rds", point: db.pointId, name: db.request.name });
    for (const s of drill.samples) expect(isRestoreName(s.request.name ?? ""), s.request.name).to.equal(true);
    // The JSON travels between states unchanged.
    expect(JSON.parse(JSON.stringify(drill))).to.deep.equal(drill);
  });

  it("the drill's machine mode and smaller classes go to the kinds they concern", async () => {
    const drill = await pick(fleet(), { seed: "fixed" }, { machineMode: "instance", instanceType: "t3.micro", instanceClass: "db.t4g.micro" });
    const [machine, db] = drill.samples;
    expect(machine.request).to.deep.include({ mode: "instance", instanceType: "t3.micro" }).and.not.have.property("instanceClass");
    expect(db.request).to.deep.include({ instanceClass: "db.t4g.micro" }).and.not.have.any.keys("mode", "instanceType");
  });

  it("samplePerPlan sources per plan and kind, each once; all of them when there are fewer", async () => {
    const drill = await pick(fleet(), { seed: "x" }, { samplePerPlan: 4 });
    const gold = drill.samples.filter((s) => s.plan === "gold");
    const silver = drill.samples.filter((s) => s.plan === "silver");
    expect(gold).to.have.length(4);
    expect(new Set(gold.map((s) => s.source)).size).to.equal(4);
    expect(silver.map((s) => s.source).sort()).to.deep.equal(["billing-db", "orders-db", "users-db"]);
    expect(drill.samples.map((s) => s.restoreId)).to.deep.equal([1, 2, 3, 4, 5, 6, 7].map((n) => `${DRILL_ID}-r${n}`));
  });

  it("only completed, restorable points of this stack, of plans with targets, taken at or before the drill's start", async () => {
    const source = "i-0aaaaaaaaaaaaaaaa";
    const newest = point("ec2", source, "gold", "2026-11-28T05:00:00.000Z");
    const points = [
      newest,
      point("ec2", source, "gold", "2026-11-29T05:00:00.000Z", { completed: false, id: "snap-pending" }),
      point("ec2", source, "gold", "2026-11-30T05:00:00.000Z", { notRestorable: "the set is short", id: "snap-short" }),
      point("ec2", source, "gold", "2026-11-30T06:00:00.000Z", { stack: "backup-dr/other", id: "snap-foreign" }),
      point("ec2", source, "gold", "2026-12-01T03:00:00.001Z", { id: "snap-after-start" }),
      point("ec2", "i-0bbbbbbbbbbbbbbbb", "bronze", "2026-11-30T05:00:00.000Z"),
      point("ec2", "i-0cccccccccccccccc", "gold", "2026-11-30T05:00:00.000Z", { stack: "backup-dr/other" }),
    ];
    const drill = await pick(points);
    expect(drill.samples.map((s) => [s.source, s.pointId])).to.deep.equal([[source, newest.id]]);
    // A point taken exactly at the drill's start is in time.
    const atStart = point("ec2", source, "gold", DRILL_START, { id: "snap-at-start" });
    expect((await pick([...points, atStart])).samples[0].pointId).to.equal("snap-at-start");
  });

  it("names what it could not sample and why: no source here, or sources without a restorable point", async () => {
    const drill = await pick([point("ec2", "i-0aaaaaaaaaaaaaaaa", "gold", "2026-11-30T05:00:00.000Z", { completed: false }), point("rds", "orders-db", "silver", "2026-11-30T05:00:00.000Z")]);
    expect(drill.samples.map((s) => s.source)).to.deep.equal(["orders-db"]);
    expect(drill.unsampled.map((u) => [u.plan, u.kind, u.sources])).to.deep.equal([
      ["gold", "ec2", 1],
      ["gold", "rds", 0],
      ["gold", "aurora", 0],
      ["silver", "ec2", 0],
      ["silver", "aurora", 0],
    ]);
    expect(drill.unsampled[0].reason).to.equal(`1 ec2 source of plan gold has points in ${DR}, none completed, restorable and taken by the drill's start`);
    expect(drill.unsampled[1].reason).to.equal(`no rds source of plan gold has a recovery point of this stack in ${DR}`);
  });

  it("with the plans' kinds given, samples and names as unsampled only each plan's own kinds, and lists only kinds some plan backs up", async () => {
    const calls: Array<{ kind: string; args: unknown[] }> = [];
    const points = [point("ec2", "i-0aaaaaaaaaaaaaaaa", "gold", "2026-11-30T05:00:00.000Z", { completed: false }), point("rds", "orders-db", "silver", "2026-11-30T05:00:00.000Z")];
    // A stray rds point tagged gold: gold does not back up rds, so it is not sampled.
    points.push(point("rds", "stray-db", "gold", "2026-11-30T05:00:00.000Z"));
    const settings = drillSettings({ kinds: { gold: ["ec2"], silver: ["rds"] } });
    const drill = await pickDrill({ clients: drillDeps(new FakeAws(), () => NOW).clients, kinds: listingKinds(points, calls) }, settings, DRILL_ID, DRILL_START, {});
    expect(drill.samples.map((s) => [s.plan, s.kind, s.source])).to.deep.equal([["silver", "rds", "orders-db"]]);
    expect(drill.unsampled.map((u) => [u.plan, u.kind, u.sources])).to.deep.equal([["gold", "ec2", 1]]);
    expect(calls.map((c) => c.kind).sort()).to.deep.equal(["ec2", "rds"]);
  });

  it("starts at most maxSamples restores; the chosen past the cap are listed as unsampled with the reason, the first plans' samples kept", async () => {
    const drill = await pick(fleet(), { seed: "x" }, { samplePerPlan: 4, maxSamples: 5 });
    expect(drill.samples.map((s) => [s.plan, s.kind])).to.deep.equal([...Array<[string, string]>(4).fill(["gold", "ec2"]), ["silver", "rds"]]);
    expect(drill.samples.map((s) => s.restoreId)).to.deep.equal([1, 2, 3, 4, 5].map((n) => `${DRILL_ID}-r${n}`));
    // The same draw as without the cap: the cap only cuts the tail.
    const uncapped = await pick(fleet(), { seed: "x" }, { samplePerPlan: 4 });
    expect(drill.samples).to.deep.equal(uncapped.samples.slice(0, 5));
    const capped = drill.unsampled.filter((u) => u.reason.includes("Step Functions"));
    expect(capped).to.deep.equal([
      { plan: "silver", kind: "rds", reason: "2 chosen rds sources of plan silver not restored: the drill already starts 5 restores, the most one drill may (Step Functions keeps at most 25,000 history events of an execution)" },
    ]);
    const none = await pick(fleet(), { seed: "x" }, { samplePerPlan: 4, maxSamples: 4 });
    expect(none.samples).to.have.length(4);
    expect(none.unsampled.filter((u) => u.reason.includes("Step Functions")).map((u) => [u.plan, u.kind, u.reason.slice(0, 40)])).to.deep.equal([["silver", "rds", "3 chosen rds sources of plan silver not "]]);
  });

  it("settings: kinds must name exactly the plans of targets, each a non-empty list of kinds without repeats; maxSamples a whole number", () => {
    const refused = (options: Record<string, unknown>) => {
      try {
        drillSettings(options);
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
      return "accepted";
    };
    expect(refused({ kinds: { gold: ["ec2"] } })).to.include("kinds names no kinds for plans silver of targets");
    expect(refused({ kinds: { gold: ["ec2"], silver: ["rds"], bronze: ["rds"] } })).to.include("kinds names plans bronze that targets does not");
    expect(refused({ kinds: { gold: [], silver: ["rds"] } })).to.include("kinds.gold must be a non-empty list of");
    expect(refused({ kinds: { gold: ["ebs"], silver: ["rds"] } })).to.include("kinds.gold must be a non-empty list of");
    expect(refused({ kinds: { gold: ["ec2", "ec2"], silver: ["rds"] } })).to.include("kinds.gold names a kind twice");
    expect(refused({ maxSamples: 0 })).to.include("maxSamples must be a whole number");
    expect(refused({ maxSamples: 2.5 })).to.include("maxSamples must be a whole number");
    expect(drillSettings({ kinds: { gold: ["ec2"], silver: ["rds", "aurora"] }, maxSamples: 13 }).options).to.deep.include({ kinds: { gold: ["ec2"], silver: ["rds", "aurora"] }, maxSamples: 13 });
  });

  it("the plan asked for only; a plan without targets is refused before any AWS call", async () => {
    const drill = await pick(fleet(), { plan: "silver", seed: "x" });
    expect(drill.samples.map((s) => s.plan)).to.deep.equal(["silver"]);
    expect(drill.request).to.deep.equal({ plan: "silver", seed: "x" });
    const fake = new FakeAws();
    const calls: Array<{ kind: string; args: unknown[] }> = [];
    const deps = drillDeps(fake, () => NOW, { kinds: listingKinds(fleet(), calls) });
    const error = await rejection(runDrillStep(deps, drillSettings(), { step: "pick", drillId: DRILL_ID, startedAt: DRILL_START, request: { plan: "bronze" } }));
    expect(error.name).to.equal("UnknownPlanError");
    expect(error.message).to.include("gold, silver");
    expect(calls).to.deep.equal([]);
    expect(fake.calls).to.deep.equal([]);
  });

  it("lists every source's points of this stack (no source named) through the step, and returns the drill state", async () => {
    const calls: Array<{ kind: string; args: unknown[] }> = [];
    const deps = drillDeps(new FakeAws(), () => NOW, { kinds: listingKinds(fleet(), calls) });
    const state = (await runDrillStep(deps, drillSettings(), { step: "pick", drillId: DRILL_ID, startedAt: DRILL_START, request: {} })) as DrillState;
    expect(state.drill.samples).to.have.length(2);
    expect(Object.keys(state)).to.deep.equal(["drill"]);
    expect(calls.map((c) => [c.kind, c.args])).to.deep.equal([
      ["ec2", [STACK_TAG]],
      ["rds", [STACK_TAG]],
      ["aurora", [STACK_TAG]],
    ]);
  });

  it("restore names are unique per restore, also between drills whose ids share a prefix", async () => {
    const a = await pick(fleet(), { seed: "same" }, {}, "monthly-2026-12-01T03-00-00Z-aaaa");
    const b = await pick(fleet(), { seed: "same" }, {}, "monthly-2026-12-01T03-00-00Z-bbbb");
    expect(a.samples[0].source).to.equal(b.samples[0].source);
    expect(a.samples[0].request.name).to.not.equal(b.samples[0].request.name);
    const long = await pick([point("rds", `db-${"x".repeat(60)}`, "gold", "2026-11-30T05:00:00.000Z")], {}, {}, "d".repeat(72));
    expect(isRestoreName(long.samples[0].request.name ?? "")).to.equal(true);
    expect(long.samples[0].restoreId).to.equal(`${"d".repeat(72)}-r1`);
  });

  it("the generator: FNV-1a's known values, numbers in [0, 1), a fair choice without repeats", () => {
    expect(fnv1a("")).to.equal(0x811c9dc5);
    expect(fnv1a("a")).to.equal(0xe40c292c);
    const random = seededRandom("x");
    const numbers = Array.from({ length: 1000 }, random);
    expect(numbers.every((n) => n >= 0 && n < 1)).to.equal(true);
    expect(numbers.filter((n) => n < 0.5).length).to.be.within(400, 600);
    const counts = new Map<number, number>();
    for (let s = 0; s < 2000; s += 1) {
      const chosen = choose([0, 1, 2, 3], 2, seededRandom(`s${s}`));
      expect(new Set(chosen).size).to.equal(2);
      for (const c of chosen) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    for (const c of [0, 1, 2, 3]) expect(counts.get(c), `item ${c}`).to.be.within(850, 1150);
  });
});
