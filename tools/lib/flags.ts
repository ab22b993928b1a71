// The operator commands' flags: `--flag value`, `--flag=value` and switches, read in one pass that collects every
// problem (unknown, repeated, missing value) instead of stopping at the first, so a person fixes them all at once.

/** Whether a flag takes a value, is a switch, or is either ("optional": a value when one follows, else a switch). */
export type FlagSpec = Readonly<Record<string, "value" | "switch" | "optional">>;

export interface ParsedFlags {
  values: Map<string, string>;
  switches: Set<string>;
  problems: string[];
}

export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const parsed: ParsedFlags = { values: new Map(), switches: new Set(), problems: [] };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const kind = Object.hasOwn(spec, flag) ? spec[flag] : undefined;
    if (kind === undefined) {
      parsed.problems.push(`unknown argument ${JSON.stringify(arg)}`);
      continue;
    }
    if (seen.has(flag)) parsed.problems.push(`${flag}: given more than once`);
    seen.add(flag);
    if (kind === "switch") {
      if (flag !== arg) parsed.problems.push(`${flag}: takes no value`);
      parsed.switches.add(flag);
      continue;
    }
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) {
      value = argv[i + 1];
      i += 1;
    }
    if (kind === "optional" && flag === arg && value === undefined) parsed.switches.add(flag);
    else if (value === undefined || value.trim() === "") parsed.problems.push(`${flag}: expected a value`);
    else parsed.values.set(flag, value);
  }
  return parsed;
}

/** A usage error: every problem on its own line, then the usage line. */
export function usageError(problems: readonly string[], usage: string): Error {
  return Object.assign(new Error([...problems, usage].join("\n")), { name: "UsageError" });
}
