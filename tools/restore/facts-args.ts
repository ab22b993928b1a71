// `--machine-<fact> <value>` and `--database-<fact> <value>`: the restore facts a recovery point made before they were
// recorded lacks. The restore's start step names each missing one as `pass machine.rootDevice (--machine-root-device)`:
// these flags are exactly those names (a field's camelCase as kebab-case).
import type { DatabaseFacts, MachineFacts } from "../../handlers/lib/restore-facts";
import { DB_PORTS } from "../../handlers/restore/event";

type Check = (value: string) => string | undefined;

const oneOf = (...allowed: string[]): Check => (value) => (allowed.includes(value) ? undefined : `expected one of ${allowed.join(", ")}`);
const matches = (pattern: RegExp, what: string): Check => (value) => (pattern.test(value) ? undefined : `expected ${what}`);

/** instanceType and zone have flags of their own (--instance-type, --zone). */
const MACHINE: Record<Exclude<keyof MachineFacts, "instanceType" | "zone">, Check> = {
  architecture: oneOf("x86_64", "arm64", "i386", "x86_64_mac", "arm64_mac"),
  rootDevice: matches(/^\/dev\/[a-z0-9]+$/, "a device name such as /dev/xvda"),
  virtualization: oneOf("hvm", "paravirtual"),
  bootMode: oneOf("legacy-bios", "uefi", "uefi-preferred"),
};

/** instanceClass has a flag of its own (--instance-class). */
const DATABASE: Record<Exclude<keyof DatabaseFacts, "instanceClass">, Check> = {
  engine: matches(/^[a-z][a-z0-9-]{1,39}$/, "an engine name such as postgres or aurora-postgresql"),
  engineVersion: matches(/^[0-9][A-Za-z0-9._-]{0,39}$/, "an engine version such as 16.4"),
  port: (value) => (/^\d{1,5}$/.test(value) && Number(value) >= DB_PORTS.min && Number(value) <= DB_PORTS.max ? undefined : `expected a port from ${DB_PORTS.min} to ${DB_PORTS.max}`),
  multiAz: oneOf("true", "false"),
  storageType: oneOf("standard", "gp2", "gp3", "io1", "io2", "aurora", "aurora-iopt1"),
};

/** `machine.rootDevice` -> `--machine-root-device`. */
export const factFlag = (group: string, field: string) => `--${group}-${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export const MACHINE_FLAGS = Object.keys(MACHINE).map((field) => factFlag("machine", field));
export const DATABASE_FLAGS = Object.keys(DATABASE).map((field) => factFlag("database", field));

function read(group: string, checks: Readonly<Record<string, Check>>, values: ReadonlyMap<string, string>, problems: string[]): Record<string, string> | undefined {
  const found: Record<string, string> = {};
  for (const [field, check] of Object.entries(checks)) {
    const flag = factFlag(group, field);
    const value = values.get(flag);
    if (value === undefined) continue;
    const problem = check(value);
    if (problem === undefined) found[field] = value;
    else problems.push(`${flag}: ${problem}, got ${JSON.stringify(value)}`);
  }
  return Object.keys(found).length === 0 ? undefined : found;
}

export function machineFacts(values: ReadonlyMap<string, string>, problems: string[]): MachineFacts | undefined {
  return read("machine", MACHINE, values, problems);
}

export function databaseFacts(values: ReadonlyMap<string, string>, problems: string[]): DatabaseFacts | undefined {
  const found = read("database", DATABASE, values, problems);
  if (found === undefined) return undefined;
  const { port, multiAz, ...text } = found;
  return { ...text, ...(port === undefined ? {} : { port: Number(port) }), ...(multiAz === undefined ? {} : { multiAz: multiAz === "true" }) };
}
