// Settings, environment and dependencies for running the backup function against the fake AWS.
import type { BackupDeps } from "../../handlers/backup/run";
import { readBackupSettings } from "../../handlers/backup/settings";
import type { BackupSettings } from "../../handlers/backup/types";
import type { AwsClients } from "../../handlers/lib/clients";
import { ACCOUNT_ID, REGION } from "./aws-fake";
import { SELECTION_KEY, TOPIC_NAME, VAULT_BUCKET } from "./backup-fleet";

export const STACK_TAG = "backup-dr/test";

/** gold: every 6 hours in New York, full GFS. silver: daily 01:30 in Berlin, no yearly tier. */
export const PLANS = [
  { name: "gold", schedule: "cron(0 0/6 * * ? *)", timezone: "America/New_York", resources: ["ec2", "rds", "aurora"], keep: { hourly: 8, daily: 14, weekly: 8, monthly: 12, yearly: 7 }, drKeep: { daily: 7 }, copyToDr: true },
  { name: "silver", schedule: "cron(30 1 * * ? *)", timezone: "Europe/Berlin", resources: ["ec2", "rds"], keep: { daily: 7, weekly: 4, monthly: 6 } },
];

/** The function's environment as infra sets it. */
export function backupEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    BACKUP_DR_STACK: STACK_TAG,
    BACKUP_DR_PLANS: JSON.stringify(PLANS),
    BACKUP_DR_SELECTION_TAG_KEY: SELECTION_KEY,
    BACKUP_DR_VAULT_BUCKET: VAULT_BUCKET,
    BACKUP_DR_TOPIC_ARN: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${TOPIC_NAME}`,
    BACKUP_DR_NOTIFY_ON: "failure",
    BACKUP_DR_CONCURRENCY: "4",
    ...overrides,
  };
}

export function backupSettings(overrides: Record<string, string | undefined> = {}): BackupSettings {
  return readBackupSettings(backupEnv(overrides));
}

export interface Recorded {
  logs: { level: string; message: string; attributes: Record<string, unknown> }[];
  metrics: { plan: string; counts: Record<string, number> }[];
}

/** Dependencies of runBackup with a recording log and metrics sink. */
export function backupDeps(clients: AwsClients, now: () => Date = () => new Date()): BackupDeps & { recorded: Recorded } {
  const recorded: Recorded = { logs: [], metrics: [] };
  const at = (level: string) => (message: string, attributes: Record<string, unknown>) => void recorded.logs.push({ level, message, attributes });
  return {
    clients,
    now,
    log: { info: at("info"), warn: at("warn"), error: at("error") },
    publishMetrics: ({ dimensions, values }) => void recorded.metrics.push({ plan: dimensions.Plan ?? "", counts: values }),
    recorded,
  };
}
