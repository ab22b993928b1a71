// Tags: every taggable resource carries the stack and environment tags (normally through its
// provider's default tags), so cost reports and the console can tell whose resource it is.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, settings } from "./lib/config";
import { TAG_ENVIRONMENT, TAG_STACK } from "./lib/names";
import { effectiveTags } from "./lib/resources";

/**
 * Resource types that take tags, among those this program creates or is likely to (a type missing
 * here is simply not checked; aliases, bucket settings, schedules and subscriptions take no tags).
 */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set([
  "aws:kms/key:Key",
  "aws:s3/bucket:Bucket",
  "aws:sns/topic:Topic",
  "aws:sqs/queue:Queue",
  "aws:lambda/function:Function",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:iam/role:Role",
  "aws:iam/policy:Policy",
  "aws:scheduler/scheduleGroup:ScheduleGroup",
  "aws:secretsmanager/secret:Secret",
  "aws:ssm/parameter:Parameter",
]);

const tagDefaults = { requiredTags: [TAG_STACK, TAG_ENVIRONMENT] };

export const requiredTags: ResourceValidationPolicy = {
  name: "required-tags",
  description: `Every taggable resource carries the tags ${TAG_STACK} and ${TAG_ENVIRONMENT}, its own or its provider's default tags.`,
  enforcementLevel: "advisory",
  configSchema: configSchema(tagDefaults, {
    requiredTags: { type: "array", items: { type: "string" }, description: "Tag keys every taggable resource must carry (non-empty)." },
  }),
  validateResource: (args, reportViolation) => {
    if (!TAGGABLE_TYPES.has(args.type)) args.notApplicable("not a taggable resource type");
    const tags = effectiveTags(args.props, args.provider?.props);
    const missing = settings(args, tagDefaults).requiredTags.filter((key) => (tags[key] ?? "") === "");
    if (missing.length > 0) {
      reportViolation(`The resource lacks the tag${missing.length === 1 ? "" : "s"} ${missing.join(", ")}: set ${missing.length === 1 ? "it" : "them"} in its provider's defaultTags (or its own tags).`);
    }
  },
};

export const TAG_POLICIES = [requiredTags];
