// Checks that relate config keys to each other. Each reads a few keys and runs whenever those keys are
// valid on their own, whatever else in the stack file is wrong, so one `pulumi preview` reports every
// problem at once instead of one round per layer of mistakes.
import type { z } from "zod";
import { KEYS, configSchema } from "./config-schema";
import { formatPath } from "./config-path";
import { drillSampleCount, drilledPlansOf, registryDrillMaxSamples, restoreDeadlineOf } from "./config-drill";

/** The values of the keys `schema` picks from the config, when each of them is valid; undefined otherwise. */
function validValues<S extends z.ZodObject>(schema: S, raw: Record<string, unknown>): z.output<S> | undefined {
  const result = schema.safeParse(Object.fromEntries(Object.keys(schema.shape).map((key) => [key, raw[key]])));
  return result.success ? result.data : undefined;
}

const REGIONS = configSchema.pick({ [KEYS.region]: true, [KEYS.drRegion]: true });

/** The DR copy must land in another region. */
function drRegionElsewhere(raw: Record<string, unknown>): string[] {
  const c = validValues(REGIONS, raw);
  if (c === undefined || c[KEYS.drRegion] !== c[KEYS.region]) return [];
  return [`${KEYS.drRegion}: expected a region other than the primary ${KEYS.region} (${c[KEYS.region]}), got "${c[KEYS.drRegion]}"`];
}

const EXCEPTIONS = configSchema.pick({ [KEYS.plans]: true, [KEYS.allowNoDrCopy]: true });

/** Each exception names a plan of backup-dr:plans that does not copy: no typo, no stale entry left behind. */
function allowNoDrCopyNamesPlans(raw: Record<string, unknown>): string[] {
  const c = validValues(EXCEPTIONS, raw);
  if (c === undefined) return [];
  const plans = c[KEYS.plans];
  return c[KEYS.allowNoDrCopy].flatMap((name, i) => {
    const plan = plans.find((p) => p.name === name);
    const at = `${KEYS.allowNoDrCopy}[${i}]`;
    if (plan === undefined) return [`${at}: expected the name of a plan in ${KEYS.plans} (${plans.map((p) => p.name).join(", ")}), got "${name}"`];
    if (plan.copyToDr) return [`${at}: expected a plan with copyToDr: false (plan "${name}" copies to DR; remove it here), got "${name}"`];
    return [];
  });
}

const DRILL_PLANS = configSchema.pick({ [KEYS.plans]: true, [KEYS.drill]: true });

/**
 * Each plan backup-dr:drill sets targets for is a plan of backup-dr:plans (no typo, no stale entry) that the drill's
 * region holds: a plan with copyToDr: false has nothing in the DR region to restore (unlisted, it is left out).
 */
function drillNamesPlans(raw: Record<string, unknown>): string[] {
  const c = validValues(DRILL_PLANS, raw);
  if (c === undefined) return [];
  const plans = c[KEYS.plans];
  const names = plans.map((p) => p.name);
  const drill = c[KEYS.drill];
  return Object.keys(drill.plans).flatMap((name) => {
    const at = formatPath([KEYS.drill, "plans", name]);
    if (!names.includes(name)) return [`${at}: expected the name of a plan in ${KEYS.plans} (${names.join(", ")}), got "${name}"`];
    if (drill.region === "dr" && plans.some((p) => p.name === name && !p.copyToDr)) {
      return [`${at}: expected a plan that copies to DR, or ${KEYS.drill} region: primary: plan "${name}" has copyToDr: false, so the DR region has nothing of it to restore, got "${name}"`];
    }
    return [];
  });
}

const DRILL_REGION = configSchema.pick({ [KEYS.plans]: true, [KEYS.drill]: true, [KEYS.restore]: true });

/**
 * A scheduled drill must be able to restore what it samples in its region: machines in instance mode need the
 * region's restore subnets and security groups, databases its DB subnet group.
 */
function drillCanRestore(raw: Record<string, unknown>): string[] {
  const c = validValues(DRILL_REGION, raw);
  if (c === undefined || !c[KEYS.drill].enabled) return [];
  const { region, machineMode } = c[KEYS.drill];
  const network = c[KEYS.restore][region];
  // In the DR region only the plans that copy there are drilled.
  const plans = c[KEYS.plans].filter((p) => region === "primary" || p.copyToDr);
  const withKinds = (kinds: readonly string[]) => plans.filter((p) => p.resources.some((r) => kinds.includes(r))).map((p) => `"${p.name}"`);
  const planList = (names: string[]) => `${names.length === 1 ? "plan" : "plans"} ${names.join(", ")} ${names.length === 1 ? "backs" : "back"} up`;
  const why = `backup-dr:drill is enabled in region ${region}`;
  const problems: string[] = [];
  const machines = withKinds(["ec2"]);
  if (machineMode === "instance" && machines.length > 0) {
    for (const field of ["subnetIds", "securityGroupIds"] as const) {
      if (network[field].length > 0) continue;
      problems.push(`${formatPath([KEYS.restore, region, field])}: expected at least one id: ${why} with machineMode "instance" and ${planList(machines)} EC2 instances (or set ${KEYS.drill} machineMode: volumes), got []`);
    }
  }
  const databases = withKinds(["rds", "aurora"]);
  if (databases.length > 0 && network.dbSubnetGroup === undefined) {
    problems.push(`${formatPath([KEYS.restore, region, "dbSubnetGroup"])}: expected a DB subnet group: ${why} and ${planList(databases)} databases, got nothing`);
  }
  return problems;
}

/**
 * Each RTO target set is at most the shortest restore deadline of the plan's kinds in the drill's machine mode: a
 * restore slower than its deadline is reported failed (RestoreTimedOut), so a target beyond it could never be missed.
 * (A plan that is not set gets min(240, that deadline): config-drill.ts defaultRtoTargetMinutes.)
 */
function drillRtoWithinDeadline(raw: Record<string, unknown>): string[] {
  const c = validValues(DRILL_PLANS, raw);
  if (c === undefined) return [];
  const drill = c[KEYS.drill];
  return drilledPlansOf(c[KEYS.plans], drill.region).flatMap((plan) => {
    const target = drill.plans[plan.name]?.rtoTargetMinutes;
    if (target === undefined || plan.resources.length === 0) return [];
    const deadline = restoreDeadlineOf(plan.resources, drill.machineMode);
    if (target <= deadline) return [];
    const kinds = plan.resources.join(", ");
    return [
      `${formatPath([KEYS.drill, "plans", plan.name, "rtoTargetMinutes"])}: expected at most ${deadline} minutes: plan "${plan.name}" backs up ${kinds}, and the shortest restore deadline of its kinds with machineMode "${drill.machineMode}" is ${deadline} minutes (a slower restore is reported failed, RestoreTimedOut, so a larger target could never be missed), got ${target}`,
    ];
  });
}

/**
 * An enabled drill starts at most as many restores as Step Functions' history allows (infra/drill-machine.ts
 * drillMaxSamples): an execution has at most 25,000 history events and is failed past them, before its cleanup runs.
 * A disabled drill is not refused (it may be run on demand): the pick step caps its restores at the same number.
 */
function drillWithinHistory(raw: Record<string, unknown>): string[] {
  const c = validValues(DRILL_PLANS, raw);
  if (c === undefined || !c[KEYS.drill].enabled) return [];
  const drill = c[KEYS.drill];
  const plans = drilledPlansOf(c[KEYS.plans], drill.region);
  const samples = drillSampleCount(plans, drill.samplePerPlan);
  const most = registryDrillMaxSamples();
  if (samples <= most) return [];
  const kinds = plans.reduce((n, plan) => n + plan.resources.length, 0);
  const fix = most >= kinds ? `set samplePerPlan to at most ${Math.floor(most / kinds)}` : `drill in a region with fewer plans, or split the stack's plans`;
  return [
    `${formatPath([KEYS.drill, "samplePerPlan"])}: expected at most ${most} restores per drill (samplePerPlan ${drill.samplePerPlan} x ${kinds} kinds of the drilled plans = ${samples}): a Step Functions execution keeps at most 25,000 history events and fails past them, before the drill's cleanup runs; ${fix}, got ${drill.samplePerPlan}`,
  ];
}

const VAULT = configSchema.pick({ [KEYS.vaultLock]: true, [KEYS.vaultLifecycle]: true });

/** Run manifests expire no sooner than the vault's lock lets them go: an earlier expiry would only hide them. */
function runsOutliveTheLock(raw: Record<string, unknown>): string[] {
  const c = validValues(VAULT, raw);
  if (c === undefined) return [];
  const lock = c[KEYS.vaultLock];
  const runs = c[KEYS.vaultLifecycle].runsExpireDays;
  if (lock.mode === "off" || lock.days === undefined || runs >= lock.days) return [];
  return [`${formatPath([KEYS.vaultLifecycle, "runsExpireDays"])}: expected at least ${lock.days} days, the ${KEYS.vaultLock} retention (${lock.mode}): Object Lock keeps each manifest that long anyway, got ${runs}`];
}

const RULES: readonly ((raw: Record<string, unknown>) => string[])[] = [drRegionElsewhere, allowNoDrCopyNamesPlans, drillNamesPlans, drillCanRestore, drillRtoWithinDeadline, drillWithinHistory, runsOutliveTheLock];

/** The problems of every cross-key rule whose keys are valid in `raw` (full key -> value, structured values parsed). */
export function crossKeyProblems(raw: Record<string, unknown>): string[] {
  return RULES.flatMap((rule) => rule(raw));
}
