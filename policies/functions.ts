// Lambda functions: an explicit supported runtime, an explicit role without broad AWS-managed
// policies, a log group with retention, somewhere for failed asynchronous runs to go, and an errors
// alarm that notifies someone. A backup function that fails silently is the failure this pack guards.
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ReportViolation, type ResourceValidationPolicy, type StackValidationArgs, type StackValidationPolicy } from "@pulumi/policy";
import type { ResolvedResource } from "@pulumi/pulumi/queryable";
import { configSchema, settings } from "./lib/config";
import { functionsOf, logGroupNameOf, refersTo, type FunctionView } from "./lib/functions";
import { ofClass, type Loose } from "./lib/resources";

type FunctionCheck = (fn: FunctionView, resources: StackValidationArgs["resources"]) => string[];

/** A stack validation that runs `check` on each function and reports on that function. */
function eachFunction(check: FunctionCheck) {
  return (args: StackValidationArgs, reportViolation: ReportViolation): void => {
    for (const fn of functionsOf(args.resources)) {
      for (const message of check(fn, args.resources)) reportViolation(message, fn.resource.urn);
    }
  };
}

const runtimeDefaults = { minimumNodeVersion: 22 };

export const lambdaRuntime: ResourceValidationPolicy = {
  name: "lambda-runtime",
  description: "Every Lambda function runs on a supported Node.js runtime (nodejs22.x or newer by default) that a deployment can upgrade.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(runtimeDefaults, {
    minimumNodeVersion: { type: "integer", minimum: 18, description: "Oldest Node.js major version allowed (nodejs<N>.x)." },
  }),
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    if (fn.packageType === "Image") args.notApplicable("container image functions bring their own runtime");
    const { minimumNodeVersion } = settings(args, runtimeDefaults);
    const wanted = `"nodejs${minimumNodeVersion}.x" or newer`;
    const runtime = fn.runtime;
    const version = typeof runtime === "string" ? /^nodejs(\d+)\.x$/.exec(runtime)?.[1] : undefined;
    if (runtime === undefined || runtime === "") {
      reportViolation(`The function sets no runtime: set runtime to ${wanted}.`);
    } else if (version === undefined || Number(version) < minimumNodeVersion) {
      reportViolation(`The function runs on ${JSON.stringify(runtime)}: set runtime to ${wanted}.`);
    } else if (args.opts.ignoreChanges.includes("runtime")) {
      // A runtime whose changes are ignored is set once and never upgraded by a later deployment.
      reportViolation('The function ignores changes to its runtime, so a runtime upgrade would never be deployed: remove "runtime" from its ignoreChanges.');
    }
  }),
};

/** AWS-managed policies too broad for a function role (CallbackFunction attaches such when given no role). */
const BROAD_MANAGED_POLICY = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]*(?:FullAccess|FullAccessV2|PowerUser|AdministratorAccess))$/;

export const lambdaExplicitRole: StackValidationPolicy = {
  name: "lambda-explicit-role",
  description: "Every Lambda function runs under an explicit role that has no broad AWS-managed policies attached.",
  enforcementLevel: "mandatory",
  validateStack: eachFunction((fn, resources) => {
    const roleArn = fn.props.role;
    if (typeof roleArn !== "string" || roleArn === "") {
      return ["The function has no role: pass an explicit least-privilege aws.iam.Role as its role."];
    }
    const role = ofClass(resources, aws.iam.Role).find((r) => r.props.arn === roleArn);
    if (role === undefined) return []; // a role from outside the stack was passed explicitly
    const ids = [role.props.name, role.props.id, role.props.arn].filter((id) => typeof id === "string" && id !== "");
    const broad = ofClass(resources, aws.iam.RolePolicyAttachment)
      .filter((a) => ids.includes(a.props.role))
      .map((a) => BROAD_MANAGED_POLICY.exec(a.props.policyArn ?? "")?.[1])
      .filter((name): name is string => name !== undefined)
      .sort();
    return broad.length === 0
      ? []
      : [`The function's role has the broad AWS-managed policies ${broad.join(", ")}: pass an explicit role of its own that allows only what the function needs.`];
  }),
};

export const lambdaLogGroupRetention: StackValidationPolicy = {
  name: "lambda-log-group-retention",
  description: "Every Lambda function writes to a log group of the stack that has a retention period.",
  enforcementLevel: "advisory",
  validateStack: eachFunction((fn, resources) => {
    const name = logGroupNameOf(fn);
    const group = ofClass(resources, aws.cloudwatch.LogGroup).find((g) => name !== undefined && g.props.name === name);
    const shown = name ?? "/aws/lambda/<function name>";
    if (group === undefined) {
      return [`The function's log group ${shown} is not part of the stack, so Lambda creates it without retention: add an aws.cloudwatch.LogGroup named ${shown} with retentionInDays (backup-dr:logRetentionDays).`];
    }
    const days = group.props.retentionInDays;
    return days === undefined || days <= 0 ? [`The function's log group ${shown} keeps logs forever: set retentionInDays (backup-dr:logRetentionDays).`] : [];
  }),
};

export const lambdaFailureDestination: StackValidationPolicy = {
  name: "lambda-failure-destination",
  description: "Every Lambda function sends failed asynchronous invocations to an on-failure destination or a dead-letter queue.",
  enforcementLevel: "mandatory",
  validateStack: eachFunction((fn, resources) => {
    const deadLetter = fn.props.deadLetterConfig?.targetArn;
    if (typeof deadLetter === "string" && deadLetter !== "") return [];
    const configs = ofClass(resources, aws.lambda.FunctionEventInvokeConfig).filter((c) => refersTo(c.props.functionName, fn));
    if (configs.some((c) => (c.props.destinationConfig?.onFailure?.destination ?? "") !== "")) return [];
    return configs.length === 0
      ? ["The function has no on-failure destination or dead-letter queue, so a failed asynchronous run is lost: add an aws.lambda.FunctionEventInvokeConfig with destinationConfig.onFailure.destination (an SQS queue), or set deadLetterConfig.targetArn."]
      : ["The function's aws.lambda.FunctionEventInvokeConfig has no on-failure destination: set destinationConfig.onFailure.destination to an SQS queue."];
  }),
};

type MetricAlarmProps = Loose<ResolvedResource<aws.cloudwatch.MetricAlarm>>;

/** True when the alarm (or one of its metric queries) watches AWS/Lambda Errors of the function. */
function watchesErrors(alarm: MetricAlarmProps, fn: FunctionView): boolean {
  const metrics = [
    { namespace: alarm.namespace, metricName: alarm.metricName, dimensions: alarm.dimensions },
    ...(alarm.metricQueries ?? []).map((q) => q.metric ?? {}),
  ];
  return metrics.some((m) => m.namespace === "AWS/Lambda" && m.metricName === "Errors" && refersTo(m.dimensions?.FunctionName, fn));
}

export const lambdaErrorsAlarm: StackValidationPolicy = {
  name: "lambda-errors-alarm",
  description: "Every Lambda function has a CloudWatch alarm on its Errors metric with an alarm action.",
  enforcementLevel: "mandatory",
  validateStack: eachFunction((fn, resources) => {
    const alarms = ofClass(resources, aws.cloudwatch.MetricAlarm).filter((a) => watchesErrors(a.props, fn));
    if (alarms.length === 0) {
      return ["No CloudWatch alarm watches the function's Errors metric: add an aws.cloudwatch.MetricAlarm on AWS/Lambda Errors with dimension FunctionName and alarmActions set to the notification topic."];
    }
    const acting = alarms.some((a) => a.props.actionsEnabled !== false && (a.props.alarmActions ?? []).length > 0);
    return acting ? [] : ["The function's Errors alarm notifies no one: set alarmActions to the notification topic (and leave actionsEnabled on)."];
  }),
};

export const FUNCTION_POLICIES = [lambdaRuntime, lambdaExplicitRole, lambdaLogGroupRetention, lambdaFailureDestination, lambdaErrorsAlarm];
