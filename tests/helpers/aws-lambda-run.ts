// Runs a handler the way Lambda does in a fresh container: its environment set, console output captured.
import { resetContainer } from "../../handlers/lib/container";

export interface Captured {
  /** Every console line the invocation printed, JSON-parsed where it was JSON. */
  lines: unknown[];
  /** CloudWatch EMF documents among them (Powertools Metrics output). */
  metrics: Record<string, unknown>[];
  /** Structured log entries among them (Powertools Logger output). */
  logs: Record<string, unknown>[];
}

const METHODS = ["log", "info", "warn", "error", "debug"] as const;

/**
 * Sets the environment (restoring it after), starts from an empty per-container cache, and captures console
 * output; POWERTOOLS_DEV makes Powertools print through the global console so it can be captured.
 */
export async function invokeIsolated<T>(env: Record<string, string | undefined>, invoke: () => Promise<T>): Promise<{ result?: T; error?: unknown; captured: Captured }> {
  const saved = { ...process.env };
  const originals = METHODS.map((m) => console[m].bind(console));
  const captured: Captured = { lines: [], metrics: [], logs: [] };
  const record = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      // not JSON: keep the text
    }
    captured.lines.push(parsed);
    if (typeof parsed === "object" && parsed !== null) (("_aws" in parsed) ? captured.metrics : captured.logs).push(parsed as Record<string, unknown>);
  };
  // Dev mode would also switch metrics off; they are what some tests check.
  for (const [key, value] of Object.entries({ POWERTOOLS_DEV: "true", POWERTOOLS_METRICS_DISABLED: "false", ...env })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetContainer();
  for (const m of METHODS) console[m] = record;
  try {
    return { result: await invoke(), captured };
  } catch (error) {
    return { error, captured };
  } finally {
    METHODS.forEach((m, i) => (console[m] = originals[i]));
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    resetContainer();
  }
}
