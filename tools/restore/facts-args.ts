// `--machine key=value,...` and `--database key=value,...`: the restore facts a recovery point made before they were
// recorded lacks (the restore's start step names each missing one as option:machine.<key> or option:database.<key>).
import type { DatabaseFacts, MachineFacts } from "../../handlers/lib/restore-facts";

type Check = (value: string) => string | undefined;

const oneOf = (...allowed: string[]): Check => (value) => (allowed.includes(value) ? undefined : `expected one of ${allowed.join(", ")}`);
const matches = (pattern: RegExp, what: string): Check => (value) => (pattern.test(value) ? undefined : `expected ${what}`);

const MACHINE: Record<Exclude<keyof MachineFacts, "instanceType" | "zone">, Check> = {
  architecture: oneOf("x86_64", "arm64", "i386", "x86_64_mac", "arm64_mac"),
  rootDevice: matches(/^\/dev\/[a-z0-9]+$/, "a device name such as /dev/xvda"),
  virtualization: oneOf("hvm", "paravirtual"),
  bootMode: oneOf("legacy-bios", "uefi", "uefi-preferred"),
};

const DATABASE: Record<Exclude<keyof DatabaseFacts, "instanceClass">, Check> = {
  engine: matches(/^[a-z][a-z0-9-]{1,39}$/, "an engine name such as postgres or aurora-postgresql"),
  engineVersion: matches(/^[0-9][A-Za-z0-9._-]{0,39}$/, "an engine version such as 16.4"),
  port: (value) => (/^\d{1,5}$/.test(value) && Number(value) >= 1150 && Number(value) <= 65535 ? undefined : "expected a port from 1150 to 65535"),
  multiAz: oneOf("true", "false"),
  storageType: oneOf("standard", "gp2", "gp3", "io1", "io2", "aurora", "aurora-iopt1"),
};

function pairs(flag: string, text: string, checks: Readonly<Record<string, Check>>, problems: string[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const part of text.split(",")) {
    const at = part.indexOf("=");
    const key = at > 0 ? part.slice(0, at) : part;
    const value = at > 0 ? part.slice(at + 1) : "";
    if (!Object.hasOwn(checks, key)) {
      problems.push(`${flag}: unknown fact ${JSON.stringify(key)}; expected ${Object.keys(checks).join(", ")} (as key=value,key=value)`);
      continue;
    }
    const problem = value === "" ? "expected key=value" : checks[key](value);
    if (problem === undefined) found[key] = value;
    else problems.push(`${flag} ${key}: ${problem}, got ${JSON.stringify(value)}`);
  }
  return found;
}

export function machineFacts(text: string, problems: string[]): MachineFacts {
  const { architecture, rootDevice, virtualization, bootMode } = pairs("--machine", text, MACHINE, problems);
  return { ...(architecture ? { architecture } : {}), ...(rootDevice ? { rootDevice } : {}), ...(virtualization ? { virtualization } : {}), ...(bootMode ? { bootMode } : {}) };
}

export function databaseFacts(text: string, problems: string[]): DatabaseFacts {
  const { engine, engineVersion, port, multiAz, storageType } = pairs("--database", text, DATABASE, problems);
  return {
    ...(engine ? { engine } : {}),
    ...(engineVersion ? { engineVersion } : {}),
    ...(port ? { port: Number(port) } : {}),
    ...(multiAz ? { multiAz: multiAz === "true" } : {}),
    ...(storageType ? { storageType } : {}),
  };
}
