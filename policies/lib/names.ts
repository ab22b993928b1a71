// The names the DR and tag policies rely on to find things in a stack. They mirror the program's
// conventions (infra/stack.ts, handlers/catalog.ts); the pack keeps its own copy so it stays a
// self-contained package, and tests/policies checks the copies agree.

/** Explicit AWS providers: one per region. Every regional resource is created through one of them. */
export const PROVIDER_TYPE = "pulumi:providers:aws";
export const PRIMARY_PROVIDER = "primary";
export const DR_PROVIDER = "dr";

/** The DR region's customer-managed KMS key (aws:kms/key:Key resource name); the primary's is primary-key. */
export const DR_KEY = "dr-key";

/** The Lambda functions (aws:lambda/function:Function resource names) the DR rules look for. */
export const BACKUP_FUNCTION = "backup";
export const COPY_FUNCTION = "copy";
export const CLEANUP_FUNCTION = "cleanup";
/** The restore function of each region (resource names): the primary's and the DR region's. */
export const RESTORE_FUNCTIONS = ["primary-restore", "dr-restore"] as const;

/** The drill function (resource name), named after the drill's region: one of these. */
export const DRILL_FUNCTIONS = ["primary-drill", "dr-drill"] as const;
/** The drill's state machine (resource name): not a restore machine. */
export const DRILL_MACHINES = DRILL_FUNCTIONS.map((f) => `${f}-machine`);
/** The backup's and the cleanup's run machines (resource names, infra/run-machine.ts): not restore machines. */
export const RUN_MACHINES = [`${BACKUP_FUNCTION}-machine`, `${CLEANUP_FUNCTION}-machine`];
/**
 * The run machine's first event (handlers/lib/run-envelope.ts RUN_ENVELOPE): its first state, a Pass, wraps the
 * execution's input whole with the execution's start before the Task invokes the function with it.
 */
export const RUN_ENVELOPE = { input: "input", startTime: "executionStartTime" } as const;
/** The names only a drill's restores carry (handlers/restore/naming.ts DRILL_NAME_PREFIX): RDS tags and deletes of the drill role stay under them. */
export const DRILL_NAME_PREFIX = "drill-";
/** The tags a drill's deletes must be conditioned on (handlers/catalog.ts TAG_DRILL_ID; TAG_STACK below). */
export const TAG_DRILL_ID = "backup-dr:drill-id";
/** The drill (and restore) function's environment variable holding the backup-dr:stack tag value. */
export const STACK_VARIABLE = "BACKUP_DR_STACK";

/** The backup function's environment variable holding the stack's plans as JSON. */
export const PLANS_VARIABLE = "BACKUP_DR_PLANS";
/** The backup function's environment variable listing, as JSON, the plans allowed not to copy (backup-dr:allowNoDrCopy). */
export const ALLOW_NO_DR_COPY_VARIABLE = "BACKUP_DR_ALLOW_NO_DR_COPY";

/** The cleanup function's safety valves: its environment variable for each backup-dr:cleanup setting. */
export const CLEANUP_VALVE_VARIABLES = {
  maxDeleteFraction: "BACKUP_DR_MAX_DELETE_FRACTION",
  minAgeDays: "BACKUP_DR_MIN_AGE_DAYS",
  maxDeletionsPerRun: "BACKUP_DR_MAX_DELETIONS",
} as const;

/** Tags every taggable resource must carry (through the providers' default tags). */
export const TAG_STACK = "backup-dr:stack";
export const TAG_ENVIRONMENT = "environment";
/** On a replica vault: the protected bucket it receives replicas of. */
export const TAG_REPLICA_OF = "backup-dr:replica-of";

/** Environments (value of the `environment` tag) whose stacks get the strict DR thresholds by default. */
export const DEFAULT_STRICT_ENVIRONMENTS = ["prod"];
