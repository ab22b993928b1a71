// Reads handler settings from environment variables: required, optional, enumerated, numeric and JSON values.
import { invalidSettingError, missingSettingError } from "./errors";
import type { IntRange } from "./shared-settings";

export type Env = Readonly<Record<string, string | undefined>>;

/** The value of a variable that must be set and non-empty. */
export function requireSetting(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") throw missingSettingError(name);
  return value;
}

/** The value of a variable, or the default when it is unset or empty. */
export function optionalSetting(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value.trim() === "" ? fallback : value;
}

/** One of a fixed set of values. */
export function oneOfSetting<const T extends readonly string[]>(env: Env, name: string, allowed: T, fallback: T[number]): T[number] {
  const value = optionalSetting(env, name, fallback);
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw invalidSettingError(name, `expected one of ${allowed.join(", ")}, got "${value}"`);
  return found;
}

/** A whole number within bounds. */
export function intSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = optionalSetting(env, name, String(fallback));
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw invalidSettingError(name, `expected a whole number from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

/** A whole number with the default and bounds it shares with the stack config (lib/shared-settings.ts). */
export function rangedSetting(env: Env, name: string, range: IntRange): number {
  return intSetting(env, name, range.fallback, range.min, range.max);
}

/** A required variable holding JSON, parsed but not yet checked. */
export function jsonSetting(env: Env, name: string): unknown {
  const text = requireSetting(env, name);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidSettingError(name, `expected JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
