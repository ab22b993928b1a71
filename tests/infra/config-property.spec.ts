// Property (#13): the config loader, given a valid stack config with random mutations (any value at any path, keys
// removed or added, huge, non-finite, deep or odd values), accepts it or throws a ConfigError whose every problem
// names the key at fault; it never throws anything else.
import { expect } from "chai";
import * as fc from "fast-check";
import { ConfigError, parseConfig } from "../../infra/config";
import { KEYS } from "../../infra/config-schema";

const CONTEXT = { project: "backup-dr", stack: "test" };

function valid(): Record<string, unknown> {
  return {
    [KEYS.region]: "us-east-1",
    [KEYS.drRegion]: "us-west-2",
    [KEYS.environment]: "prod",
    [KEYS.plans]: [
      { name: "gold", schedule: "cron(0 0/6 * * ? *)", timezone: "America/New_York", resources: ["ec2", "rds"], keep: { hourly: 8, daily: 14, yearly: 7 }, drKeep: { daily: 7 }, copyToDr: true },
      { name: "silver", schedule: "rate(1 day)", resources: ["aurora"], keep: { daily: 7 } },
    ],
    [KEYS.protectedBuckets]: ["orders-data"],
    [KEYS.notifyEmails]: ["ops@example.com"],
    [KEYS.vaultLock]: { mode: "GOVERNANCE", days: 30 },
    [KEYS.vaultLifecycle]: { glacierIrAfterDays: 30 },
    [KEYS.cleanup]: { dryRun: false, maxDeletionsPerRun: 200, schedule: "cron(30 3 * * ? *)", timezone: "UTC" },
    [KEYS.s3Replication]: { storageClass: "STANDARD_IA" },
    [KEYS.copy]: { sweepMinutes: 30 },
    [KEYS.tags]: { team: "platform" },
    [KEYS.kmsDeletionWindowDays]: "30",
    [KEYS.logRetentionDays]: "90",
    [KEYS.protectStorage]: "true",
  };
}

type Path = (string | number)[];

/** Every path to a value in the tree, the root's keys included. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])]);
}

const PATHS = paths(valid());

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

const oddValue = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom<unknown>(Infinity, -Infinity, NaN, 1e12, -1, 0, 2 ** 53, 1.5, "", " ", ".inf", "null", "true", "__proto__", "utc", "zz-fake-1", "a@b..c", nested(20_000)),
  fc.constantFrom<unknown>("cron(0 2 30 2 ? *)", "cron(0 2 29 2 ? 2027)", "rate(99999999999 days)", "rate(0 minutes)", "cron(0 2 * * ? 2020)", "x".repeat(100_000)),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 300 }),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 2 }), { maxKeys: 60 }),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), path: fc.constantFrom(...PATHS), value: oddValue }),
  fc.record({ kind: fc.constant("delete" as const), path: fc.constantFrom(...PATHS) }),
  fc.record({ kind: fc.constant("add" as const), path: fc.constantFrom<Path>([], ...PATHS), key: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("__proto__", "constructor", "backup-dr:typo")), value: oddValue }),
);

interface Change {
  kind: "set" | "delete" | "add";
  path: Path;
  value?: unknown;
  key?: string;
}

function apply(root: Record<string, unknown>, change: Change): void {
  const target = change.kind === "add" ? change.path : change.path.slice(0, -1);
  let node: unknown = root;
  for (const segment of target) {
    if (typeof node !== "object" || node === null) return;
    node = (node as Record<string | number, unknown>)[segment];
  }
  if (typeof node !== "object" || node === null) return;
  const container = node as Record<string | number, unknown>;
  if (change.kind === "add") Object.defineProperty(container, change.key ?? "", { value: change.value, enumerable: true, configurable: true, writable: true });
  else {
    const last = change.path[change.path.length - 1];
    if (change.kind === "delete") delete container[last];
    else container[last] = change.value;
  }
}

/** A problem starts with the key path at fault; an unknown top-level key is named as given. */
const NAMED = /^(aws:region|backup-dr:[A-Za-z0-9]+)(\[|\.|:)|^.*: unknown config key; allowed: /s;

describe("config loader property (#13)", () => {
  it("accepts a mutated config or rejects it with problems that each name a key; never throws anything else", function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (changes) => {
        const raw = valid();
        for (const change of changes) apply(raw, change);
        try {
          parseConfig(raw, CONTEXT);
        } catch (error) {
          expect(error, String(error)).to.be.instanceOf(ConfigError);
          const problems = (error as ConfigError).problems;
          expect(problems).to.not.be.empty;
          for (const line of problems) expect(line, line).to.match(NAMED);
        }
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});
