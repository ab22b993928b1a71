// Checks that relate config keys to each other. Each reads a few keys and runs whenever those keys are
// valid on their own, whatever else in the stack file is wrong, so one `pulumi preview` reports every
// problem at once instead of one round per layer of mistakes.
import type { z } from "zod";
import { KEYS, configSchema } from "./config-schema";
import { formatPath } from "./config-path";

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

/** Each plan backup-dr:drill sets targets for is a plan of backup-dr:plans (every plan is drilled; no stale entry). */
function drillNamesPlans(raw: Record<string, unknown>): string[] {
  const c = validValues(DRILL_PLANS, raw);
  if (c === undefined) return [];
  const names = c[KEYS.plans].map((p) => p.name);
  return Object.keys(c[KEYS.drill].plans)
    .filter((name) => !names.includes(name))
    .map((name) => `${formatPath([KEYS.drill, "plans", name])}: expected the name of a plan in ${KEYS.plans} (${names.join(", ")}), got "${name}"`);
}

const DRILL_REGION = configSchema.pick({ [KEYS.plans]: true, [KEYS.drill]: true, [KEYS.restore]: true });

/**
 * A scheduled drill must be able to restore what it samples in its region: machines in instance mode need the
 * region's restore subnets and security groups, databases its DB subnet group, and the DR region holds only the
 * plans that copy there.
 */
function drillCanRestore(raw: Record<string, unknown>): string[] {
  const c = validValues(DRILL_REGION, raw);
  if (c === undefined || !c[KEYS.drill].enabled) return [];
  const { region, machineMode } = c[KEYS.drill];
  const network = c[KEYS.restore][region];
  const plans = c[KEYS.plans];
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
  if (region === "dr") {
    for (const plan of plans.filter((p) => !p.copyToDr)) {
      problems.push(`${formatPath([KEYS.drill, "region"])}: expected "primary", or plans that copy to DR: plan "${plan.name}" has copyToDr: false, so the DR region has nothing of it to restore, got "dr"`);
    }
  }
  return problems;
}

const RULES: readonly ((raw: Record<string, unknown>) => string[])[] = [drRegionElsewhere, allowNoDrCopyNamesPlans, drillNamesPlans, drillCanRestore];

/** The problems of every cross-key rule whose keys are valid in `raw` (full key -> value, structured values parsed). */
export function crossKeyProblems(raw: Record<string, unknown>): string[] {
  return RULES.flatMap((rule) => rule(raw));
}
