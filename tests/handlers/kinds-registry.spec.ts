// Issue 14 item 2: one module per resource kind behind one Kind type and one registry, keyed by the one list of kind
// names; and no handler file outside the kind modules, the registry and the catalog names a kind.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { QUOTA_KINDS, RESOURCE_KINDS, SNAPSHOT_KIND_OF, SNAPSHOT_KINDS } from "../../handlers/catalog";
import { backupKind, cleanupKind, cleanupKinds, copyKind, copyKinds, drillKind, drillKinds, KIND_MODULES, restoreKind, restoreKinds } from "../../handlers/kinds/registry";
import { COPY_EVENT_PATTERNS } from "../../infra/copy";
import { copySettings } from "../helpers/copy-setup";

/** Every operation of each facet (handlers/kinds/kind.ts): a kind module must implement them all. */
const OPERATIONS = {
  backup: ["select", "backup"],
  copy: ["listBackups", "readBackups", "notOursById", "listCopies", "copyOf", "startCopy", "deleteSnapshot"],
  cleanup: ["listForCleanup", "isComplete", "deleteSnapshot"],
  restore: ["mayBeSource", "mayBePoint", "listPoints", "readPoint", "missing", "start", "poll", "validate", "findCreated"],
  drill: ["deleteRestored"],
  report: ["inventory", "listPoints"],
} as const;
const ERROR_LISTS = { backup: ["sourceGone"], copy: ["snapshotGone"], cleanup: ["snapshotGone", "snapshotInUse"], restore: [], drill: [], report: [] } as const;

describe("resource kinds: one registry over the one list of names", () => {
  it("has exactly the kinds of RESOURCE_KINDS, in its order, each facet naming its kind and its snapshots", () => {
    expect(Object.keys(KIND_MODULES)).to.deep.equal([...RESOURCE_KINDS]);
    expect(copyKinds().map((k) => k.name)).to.deep.equal([...RESOURCE_KINDS]);
    expect(cleanupKinds().map((k) => k.name)).to.deep.equal([...RESOURCE_KINDS]);
    expect(SNAPSHOT_KINDS).to.deep.equal(RESOURCE_KINDS.map((name) => SNAPSHOT_KIND_OF[name]));
    for (const name of RESOURCE_KINDS) {
      const kind = KIND_MODULES[name];
      for (const facet of [kind.backup, kind.copy, kind.cleanup, kind.restore, kind.drill]) {
        expect(facet.name, name).to.equal(name);
        expect(facet.snapshotKind, name).to.equal(SNAPSHOT_KIND_OF[name]);
      }
      expect(backupKind(name)).to.equal(kind.backup);
      expect(copyKind(name)).to.equal(kind.copy);
      expect(copyKind(SNAPSHOT_KIND_OF[name])).to.equal(kind.copy);
      expect(cleanupKind(SNAPSHOT_KIND_OF[name])).to.equal(kind.cleanup);
      expect(restoreKind(name)).to.equal(kind.restore);
      expect(drillKind(name)).to.equal(kind.drill);
      // A drill's cleanup polls and gives up within bounds the drill machine's timeout can hold.
      expect(kind.drill.deletePollSeconds, name).to.be.within(5, 300);
      expect(kind.drill.deleteTimeoutMinutes, name).to.be.within(5, 120);
    }
    expect(restoreKinds().map((k) => k.name)).to.deep.equal([...RESOURCE_KINDS]);
    expect(drillKinds().map((k) => k.name)).to.deep.equal([...RESOURCE_KINDS]);
  });

  it("each kind implements every operation of every flow", () => {
    for (const name of RESOURCE_KINDS) {
      const kind = KIND_MODULES[name];
      for (const [facet, operations] of Object.entries(OPERATIONS) as [keyof typeof OPERATIONS, readonly string[]][]) {
        const implemented = kind[facet] as unknown as Record<string, unknown>;
        for (const operation of operations) expect(implemented[operation], `${name}.${facet}.${operation}`).to.be.a("function");
        for (const list of ERROR_LISTS[facet]) expect(implemented[list], `${name}.${facet}.${list}`).to.be.an("array").that.is.not.empty;
      }
      expect(kind.copy.events, `${name} completion events`).to.not.be.empty;
      expect(kind.copy.copyLimit.setting).to.match(/^BACKUP_DR_MAX_[A-Z]+_COPIES$/);
      expect(kind.copy.copyLimit.fallback).to.be.within(kind.copy.copyLimit.min, kind.copy.copyLimit.max);
      // Locks are all or nothing: a kind either places and reads them in every flow or in none.
      const locks = [kind.backup.locks, kind.copy.locks, kind.cleanup.locks].map((l) => l !== undefined);
      expect(new Set(locks).size, `${name} locks`).to.equal(1);
    }
  });

  it("no two kinds share a copy-limit setting or a completion event", () => {
    const settings = copyKinds().map((k) => k.copyLimit.setting);
    expect(new Set(settings).size).to.equal(settings.length);
    const detailTypes = copyKinds().flatMap((k) => k.events.map((e) => e.detailType));
    expect(new Set(detailTypes).size).to.equal(detailTypes.length);
  });

  it("each kind's copy limit is the one the copy function reads: its setting and its default", () => {
    const defaults = copySettings().limits;
    for (const kind of copyKinds()) {
      expect(defaults[kind.snapshotKind], kind.name).to.equal(kind.copyLimit.fallback);
      expect(copySettings({ [kind.copyLimit.setting]: "3" }).limits[kind.snapshotKind], kind.copyLimit.setting).to.equal(3);
    }
  });

  it("the stack's EventBridge rules send exactly the kinds' completion events", () => {
    const ruled = Object.values(COPY_EVENT_PATTERNS).map((p) => `${String(p.source)} ${String(p["detail-type"])}`);
    const parsed = copyKinds().flatMap((k) => k.events.map((e) => `${e.source} ${e.detailType}`));
    expect([...ruled].sort()).to.deep.equal([...parsed].sort());
  });

  it("the quota kinds are kinds whose cleanup lists every manual snapshot", () => {
    for (const kind of QUOTA_KINDS) expect(cleanupKind(kind).manualOnly, kind).to.equal(true);
  });
});

const HANDLERS = path.join(__dirname, "../../handlers");

function handlerFiles(dir = HANDLERS): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return handlerFiles(full);
    return entry.name.endsWith(".ts") ? [path.relative(HANDLERS, full).split(path.sep).join("/")] : [];
  });
}

/** Words that contain a kind's letters by chance (AWS's SQS `Records`, the SDK's `recordSuccess`, English). */
const UNRELATED_WORDS = /[a-z]*(?:records?|recordsuccess|backwards|words)[a-z]*/gi;

/** Where each kind's name (any case, anywhere in a word) may appear under handlers/. */
const ALLOWED: Record<string, RegExp> = {
  aurora: /^(catalog\.ts|kinds\/(aurora|registry|rds-[a-z-]+)\.ts)$/,
  rds: /^(catalog\.ts|kinds\/(aurora|clients|registry|rds|rds-[a-z-]+)\.ts)$/,
  ec2: /^(catalog\.ts|kinds\/(clients|registry|ec2|ec2-[a-z-]+)\.ts)$/,
  ebs: /^(catalog\.ts|kinds\/(clients|registry|ec2|ec2-[a-z-]+)\.ts)$/,
};


describe("resource kinds: no handler outside the kind modules, the registry and the catalog names a kind", () => {
  const files = handlerFiles();
  const text = new Map(files.map((f) => [f, fs.readFileSync(path.join(HANDLERS, f), "utf8").replace(UNRELATED_WORDS, "")]));

  for (const word of Object.keys(ALLOWED)) {
    it(`"${word}" appears only where it may`, () => {
      const found = files.filter((f) => text.get(f)?.toLowerCase().includes(word));
      const misplaced = found.filter((f) => !ALLOWED[word].test(f));
      expect(misplaced).to.deep.equal([]);
    });
  }

  it("the scan reads the kind modules too (it would see a misplaced name)", () => {
    expect(files).to.include.members(["kinds/registry.ts", "kinds/ec2.ts", "kinds/rds.ts", "kinds/aurora.ts", "catalog.ts", "copy/run.ts"]);
    expect(text.get("kinds/aurora.ts")).to.match(/aurora/i);
  });
});
