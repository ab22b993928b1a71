// The restore facts a recovery point carries in its catalog tags (names in handlers/catalog.ts): what a restore needs
// that the snapshot does not hold. Values are space-separated key=value pairs in characters every snapshot service accepts in a tag value.
import { TAG_DATABASE_FACTS, TAG_INSTANCE_FACTS, TAG_NETWORK_HINT, TAG_VOLUME_FACTS } from "../catalog";
import type { Tag, Tags } from "./tags";

/** The restore facts the tags hold; a field is absent when its tag is, or holds nothing readable. */
export function readRestoreFacts(tags: Readonly<Tags>): { machine?: MachineFacts; network?: NetworkHint; volume?: VolumeFacts; database?: DatabaseFacts } {
  return {
    ...factField("machine", tags[TAG_INSTANCE_FACTS], readMachine),
    ...factField("network", tags[TAG_NETWORK_HINT], readNetwork),
    ...factField("volume", tags[TAG_VOLUME_FACTS], readVolume),
    ...factField("database", tags[TAG_DATABASE_FACTS], readDatabase),
  };
}

/** The facts a virtual machine's restore needs (every snapshot of its set). Each field as the describe call gave it. */
export interface MachineFacts {
  instanceType?: string;
  architecture?: string;
  rootDevice?: string;
  bootMode?: string;
  virtualization?: string;
  zone?: string;
}

/** Where the machine ran: a hint for a restore in the same region. `omittedGroups`: groups that did not fit the tag. */
export interface NetworkHint {
  subnet?: string;
  securityGroups?: string[];
  omittedGroups?: number;
}

/** One volume snapshot of a set: the device it was attached as, and whether that is the root device. */
export interface VolumeFacts {
  device?: string;
  root?: boolean;
}

/** The facts a database's restore needs. Multi-AZ and storage type are only recorded for a DB instance. */
export interface DatabaseFacts {
  engine?: string;
  engineVersion?: string;
  instanceClass?: string;
  port?: number;
  multiAz?: boolean;
  storageType?: string;
}

/** The set-level restore facts of a source, as the selection read them. */
export interface RestoreFacts {
  machine?: MachineFacts;
  network?: NetworkHint;
  database?: DatabaseFacts;
}

/** The longest tag value AWS accepts (every service the catalog tags). */
const MAX_TAG_VALUE = 256;
/** A fact's value: what the strictest tag values allow (letters, digits, `_.:/+-@`), less the space and `=` that separate the pairs. */
const FACT_VALUE = /^[\p{L}\p{N}_.:/+\-@]+$/u;
/** Joins the security groups within one fact value. */
const LIST_SEPARATOR = "+";

type Pairs = ReadonlyArray<readonly [string, string | number | boolean | undefined]>;

/** `key=value key=value`: pairs without a value, or with one a tag may not hold, are left out. */
function encodeFacts(pairs: Pairs): string {
  return pairs.flatMap(([key, value]) => (value === undefined || !FACT_VALUE.test(String(value)) ? [] : [`${key}=${String(value)}`])).join(" ");
}

/** The pairs of a fact tag; anything else in it is ignored. */
function decodeFacts(text: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const part of text.split(" ")) {
    const at = part.indexOf("=");
    if (at > 0 && at < part.length - 1) pairs[part.slice(0, at)] = part.slice(at + 1);
  }
  return pairs;
}

const text = (pairs: Record<string, string>, key: string) => (Object.hasOwn(pairs, key) ? { value: pairs[key] } : undefined);
const bool = (value: string | undefined) => (value === "true" ? true : value === "false" ? false : undefined);

/** Only the fields the text holds (exactOptionalPropertyTypes-friendly: no key set to undefined). */
function present<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

function readMachine(pairs: Record<string, string>): MachineFacts {
  const get = (key: string) => text(pairs, key)?.value;
  return present({ instanceType: get("type"), architecture: get("arch"), rootDevice: get("root"), bootMode: get("boot"), virtualization: get("virt"), zone: get("az") });
}

function readNetwork(pairs: Record<string, string>): NetworkHint {
  const groups = text(pairs, "sg")?.value;
  const omitted = Number(text(pairs, "sg-omitted")?.value);
  return present({ subnet: text(pairs, "subnet")?.value, securityGroups: groups?.split(LIST_SEPARATOR), omittedGroups: Number.isInteger(omitted) && omitted > 0 ? omitted : undefined });
}

function readVolume(pairs: Record<string, string>): VolumeFacts {
  return present({ device: text(pairs, "device")?.value, root: bool(text(pairs, "root")?.value) });
}

function readDatabase(pairs: Record<string, string>): DatabaseFacts {
  const get = (key: string) => text(pairs, key)?.value;
  const port = Number(get("port"));
  return present({
    engine: get("engine"),
    engineVersion: get("version"),
    instanceClass: get("class"),
    port: Number.isInteger(port) && port > 0 ? port : undefined,
    multiAz: bool(get("multi-az")),
    storageType: get("storage"),
  });
}

function factField<K extends "machine" | "network" | "volume" | "database", T extends object>(key: K, value: string | undefined, read: (pairs: Record<string, string>) => T): Partial<Record<K, T>> {
  if (value === undefined) return {};
  const facts = read(decodeFacts(value));
  return Object.keys(facts).length === 0 ? {} : ({ [key]: facts } as Partial<Record<K, T>>);
}

/** The network hint's value: as many whole security groups as fit in a tag value, and how many did not. */
function networkValue(hint: NetworkHint): string {
  const groups = (hint.securityGroups ?? []).filter((g) => FACT_VALUE.test(g) && !g.includes(LIST_SEPARATOR));
  for (let kept = groups.length; kept >= 0; kept -= 1) {
    const omitted = groups.length - kept;
    const value = encodeFacts([
      ["subnet", hint.subnet],
      ["sg", kept === 0 ? undefined : groups.slice(0, kept).join(LIST_SEPARATOR)],
      ["sg-omitted", omitted === 0 ? undefined : omitted],
    ]);
    if (value.length <= MAX_TAG_VALUE) return value;
  }
  return encodeFacts([["subnet", hint.subnet]]);
}

/** The set-level restore-fact tags of a backup (none for facts not known); every value fits a tag. */
export function restoreFactTags(facts: RestoreFacts | undefined): Tag[] {
  const { machine, network, database } = facts ?? {};
  const values: Array<[string, string]> = [
    [TAG_INSTANCE_FACTS, machine === undefined ? "" : encodeFacts([["type", machine.instanceType], ["arch", machine.architecture], ["root", machine.rootDevice], ["boot", machine.bootMode], ["virt", machine.virtualization], ["az", machine.zone]])],
    [TAG_NETWORK_HINT, network === undefined ? "" : networkValue(network)],
    [TAG_DATABASE_FACTS, database === undefined ? "" : encodeFacts([["engine", database.engine], ["version", database.engineVersion], ["class", database.instanceClass], ["port", database.port], ["multi-az", database.multiAz], ["storage", database.storageType]])],
  ];
  return values.filter(([, value]) => value !== "" && value.length <= MAX_TAG_VALUE).map(([Key, Value]) => ({ Key, Value }));
}

/** The restore-fact tag of one volume snapshot. */
export function volumeFactTag(volume: VolumeFacts): Tag {
  return { Key: TAG_VOLUME_FACTS, Value: encodeFacts([["device", volume.device], ["root", volume.root]]) };
}

