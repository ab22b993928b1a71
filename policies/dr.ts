// The DR invariants every stack must meet, read from the resources it declares: two providers in two
// regions; every plan scheduled; every plan that copies to the DR region has the DR key and the copy
// function to do it. Plans come from the backup function's BACKUP_DR_PLANS (see lib/plans.ts): a stack
// policy cannot read Pulumi config in a real `pulumi preview --policy-pack` run.
import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { functionNamed, refersTo, type FunctionView } from "./lib/functions";
import { COPY_FUNCTION, DR_KEY, DR_PROVIDER, PRIMARY_PROVIDER, PROVIDER_TYPE, RUN_ENVELOPE } from "./lib/names";
import { planBoundProblems } from "./lib/plan-bounds";
import { plansOrSkip, readPlans } from "./lib/plans";
import { awsProviders, ofClass, providerRegion, regionOf } from "./lib/resources";

const providerNamed = (resources: PolicyResource[], name: string): PolicyResource | undefined => awsProviders(resources).find((p) => p.name === name);

export const drDistinctRegions: StackValidationPolicy = {
  name: "dr-distinct-regions",
  description: `The stack has AWS providers "${PRIMARY_PROVIDER}" and "${DR_PROVIDER}", each with a region, and the regions differ.`,
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const regions: string[] = [];
    for (const name of [PRIMARY_PROVIDER, DR_PROVIDER]) {
      const provider = providerNamed(args.resources, name);
      const region = providerRegion(provider?.props);
      const key = name === PRIMARY_PROVIDER ? "aws:region" : "backup-dr:drRegion";
      if (provider === undefined) {
        reportViolation(`The stack has no AWS provider (${PROVIDER_TYPE}) named "${name}": create one provider per region, "${PRIMARY_PROVIDER}" and "${DR_PROVIDER}".`);
      } else if (region === undefined) {
        reportViolation(`The AWS provider "${name}" sets no region: set its region (${key}).`, provider.urn);
      } else {
        regions.push(region);
      }
    }
    if (regions.length === 2 && regions[0] === regions[1]) {
      reportViolation(`The DR region ${regions[1]} is the primary region too: set backup-dr:drRegion to another region than aws:region.`, providerNamed(args.resources, DR_PROVIDER)?.urn);
    }
  },
};

type StateView = { Type?: unknown; Resource?: unknown; Parameters?: Record<string, unknown>; Next?: unknown };

/**
 * Whether a state machine's definition starts by invoking the function with the execution's input whole: its first
 * state a `lambda:invoke` Task of the function with `"Payload.$": "$"`, or a Pass wrapping the input whole with the
 * execution's start (RUN_ENVELOPE, nothing else) whose next state is that Task. The backup's run machine does the
 * latter, then goes on with the function's cursor until the run is done (infra/run-machine.ts).
 */
function machineStartsFunction(definition: unknown, fn: FunctionView): boolean {
  if (typeof definition !== "string") return false;
  try {
    const parsed = JSON.parse(definition) as { StartAt?: unknown; States?: Record<string, StateView> };
    const stateAt = (name: unknown): StateView | undefined => (typeof name === "string" && parsed.States !== undefined && Object.hasOwn(parsed.States, name) ? parsed.States[name] : undefined);
    const first = stateAt(parsed.StartAt);
    return invokesWithInput(first, fn) || (wrapsInput(first) && invokesWithInput(stateAt(first?.Next), fn));
  } catch {
    return false;
  }
}

/** A `lambda:invoke` Task of the function sending it the state's input whole. */
function invokesWithInput(state: StateView | undefined, fn: FunctionView): boolean {
  return (
    state?.Type === "Task" &&
    typeof state.Resource === "string" &&
    /^arn:[a-z-]+:states:::lambda:invoke$/.test(state.Resource) &&
    refersTo(state.Parameters?.FunctionName, fn) &&
    state.Parameters?.["Payload.$"] === "$"
  );
}

/** A Pass whose output is exactly the run envelope: the input whole and the execution's start. */
function wrapsInput(state: StateView | undefined): boolean {
  if (state?.Type !== "Pass") return false;
  const parameters = state.Parameters ?? {};
  return (
    Object.keys(parameters).length === 2 &&
    parameters[`${RUN_ENVELOPE.input}.$`] === "$" &&
    parameters[`${RUN_ENVELOPE.startTime}.$`] === "$$.Execution.StartTime" &&
    !["InputPath", "ResultPath", "OutputPath"].some((path) => path in state)
  );
}

/** What a schedule's target must be to run the function: the function itself, or a state machine starting it with the input. */
function runsFunction(resources: PolicyResource[], target: unknown, fn: FunctionView): boolean {
  if (refersTo(target, fn)) return true;
  if (typeof target !== "string" || target === "") return false;
  return ofClass(resources, aws.sfn.StateMachine).some((m) => (m.props.arn === target || m.props.id === target) && machineStartsFunction(m.props.definition, fn));
}

/** The schedules that run the backup function (directly, or through its run machine) with `{ "plan": <name>, ... }`. */
function schedulesFor(resources: PolicyResource[], backup: FunctionView, plan: string) {
  return ofClass(resources, aws.scheduler.Schedule).filter((s) => {
    if (!runsFunction(resources, s.props.target?.arn, backup)) return false;
    try {
      const input = JSON.parse(s.props.target?.input ?? "") as unknown;
      return typeof input === "object" && input !== null && (input as Record<string, unknown>).plan === plan;
    } catch {
      return false;
    }
  });
}

export const drPlanSchedules: StackValidationPolicy = {
  name: "dr-plan-schedules",
  description: "Every backup plan has a schedule expression within the plan bounds and an enabled EventBridge Scheduler schedule that runs the backup function for it (directly, or through a state machine whose first state invokes it with the schedule's input, or wraps that input with the execution's start for the invoke that follows).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const read = readPlans(args.resources);
    if ("problem" in read) {
      reportViolation(read.problem, read.urn);
      return;
    }
    for (const plan of read.plans) {
      if (plan.schedule === undefined) {
        reportViolation(`Plan "${plan.name}" has no schedule: set its schedule (cron(...) or rate(...)) in backup-dr:plans.`, read.backup.resource.urn);
        continue;
      }
      for (const problem of planBoundProblems(plan)) {
        reportViolation(`Plan "${plan.name}" is out of bounds: ${problem}: change it in backup-dr:plans.`, read.backup.resource.urn);
      }
      const schedules = schedulesFor(args.resources, read.backup, plan.name);
      if (schedules.length === 0) {
        reportViolation(
          `No EventBridge Scheduler schedule runs the backup function for plan "${plan.name}": add an aws.scheduler.Schedule targeting the backup function, or the state machine that runs it (backup-machine), with input {"plan":"${plan.name}"}.`,
          read.backup.resource.urn,
        );
      } else if (schedules.every((s) => s.props.state === "DISABLED")) {
        for (const s of schedules) reportViolation(`The schedule of plan "${plan.name}" is disabled: set its state to "ENABLED".`, s.resource.urn);
      }
    }
  },
};

export const drCopyCoverage: StackValidationPolicy = {
  name: "dr-copy-coverage",
  description: `Every plan with copyToDr has what copying needs: the KMS key "${DR_KEY}" in the DR region and the Lambda function "${COPY_FUNCTION}".`,
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const copied = plansOrSkip(args).plans.filter((p) => p.copyToDr).map((p) => p.name);
    if (copied.length === 0) args.notApplicable("no plan copies to the DR region");
    const names = copied.map((n) => `"${n}"`).join(", ");
    const which = copied.length === 1 ? `Plan ${names} copies backups to the DR region` : `Plans ${names} copy backups to the DR region`;
    if (functionNamed(args.resources, COPY_FUNCTION) === undefined) {
      reportViolation(`${which} but the stack has no Lambda function "${COPY_FUNCTION}": add the copy function, or set copyToDr: false on those plans.`);
    }
    const key = ofClass(args.resources, aws.kms.Key).find((k) => k.resource.name === DR_KEY);
    if (key === undefined) {
      reportViolation(`${which} but the stack has no KMS key "${DR_KEY}": create the DR region's customer-managed key with the "${DR_PROVIDER}" provider.`);
      return;
    }
    const drRegion = providerRegion(providerNamed(args.resources, DR_PROVIDER)?.props);
    const keyRegion = regionOf(key.props, key.resource.provider?.props);
    if (drRegion === undefined || keyRegion !== drRegion) {
      reportViolation(
        `The KMS key "${DR_KEY}" is in ${keyRegion ?? "no known region"}, not the DR region ${drRegion ?? "(no DR provider)"}: create it with the "${DR_PROVIDER}" provider.`,
        key.resource.urn,
      );
    }
  },
};

export const DR_POLICIES = [drDistinctRegions, drPlanSchedules, drCopyCoverage];
