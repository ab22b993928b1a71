// Upper and lower bounds every component agrees on: config (infra/config-schema.ts), the handlers' plan and event
// parsers, and the policy pack import these; nothing else states a bound. Each says where it comes from.
// It lives in the policy pack because the pack must be self-contained (it is published alone); it imports only the
// plan contract's Tier type (erased at runtime, so no import cycle).
import type { Tier } from "./plan-contract";

/** Longest retention of any backup: 100 years after its slot. The last slot year (2199) plus this stays in 4-digit years. */
export const MAX_RETENTION_DAYS = 36_525;

/** Backups kept per tier at most; each is 100 years of that tier (hourly: EBS's default 100,000 snapshots per region). */
export const MAX_KEEP: Readonly<Record<Tier, number>> = { hourly: 100_000, daily: 36_525, weekly: 5_218, monthly: 1_200, yearly: 100 };

/** A schedule must fire within this many days of now (preview, policy check): a year, leap day included. */
export const SCHEDULE_HORIZON_DAYS = 366;

/** rate() amounts at most, per unit: one year, so a rate schedule fires within the horizon (EventBridge caps none). */
export const MAX_RATE: Readonly<Record<"minute" | "hour" | "day", number>> = { minute: 525_600, hour: 8_760, day: 365 };

/** Years of instants an event may carry: those an EventBridge cron expression can name (1970-2199). */
export const FIRST_EVENT_YEAR = 1970;
export const LAST_EVENT_YEAR = 2199;

/** A backup event's scheduledTime may be this far ahead of the function's clock (Scheduler fires within the minute). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Event ids: 1-64 letters, digits and hyphens (EventBridge's are 36-character UUIDs); safe in an S3 key as they are. */
export const EVENT_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Longest named-error message; logs, SNS and the manifest carry it. */
export const MAX_ERROR_MESSAGE = 2_000;

/** Longest description of a bad input value inside a message. */
export const MAX_DESCRIBED_INPUT = 120;
