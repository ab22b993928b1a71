// Refills of the copy function: the DR region's events that say a DR copy finished or failed (each kind's
// `copyFinishedEvents`, handlers/kinds/) reach the copy queue, so the next deferred copies start within a minute.
//
// AWS emits them in the DR region only. A rule there (on the DR provider) forwards them to the primary region's
// default event bus (a cross-region bus target, with a role allowed events:PutEvents on exactly that bus); a rule in
// the primary region matches them by their region (the DR region's) and sends them to the copy FIFO queue in the one
// message group, so refills run one at a time with the sweeps and completion events (README, design decisions).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { copyKinds } from "../handlers/kinds/registry";
import type { BackupDrConfig } from "./config";
import { rolePolicy, trustPolicy } from "./iam";
import type { Account, PolicyStatement } from "./policy-documents";

/** The EventBridge pattern of each kind's copy-finished event, from the DR region, by a short name (`<snapshot kind>-copy`). */
export function copyFinishedPatterns(drRegion: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    copyKinds().flatMap((kind) =>
      kind.copyFinishedEvents.map((event, i) => [
        `${kind.snapshotKind}-copy${i === 0 ? "" : `-${i + 1}`}`,
        { source: [event.source], "detail-type": [event.detailType], region: [drRegion], detail: event.detailPattern },
      ]),
    ),
  );
}

/** The ARN of a region's default event bus. */
export function defaultBusArn(account: Account, region: string): string {
  return `arn:${account.partition}:events:${region}:${account.accountId}:event-bus/default`;
}

/** The forwarding rule's role: put events on the primary region's default bus, nothing else. */
export function forwardStatements(busArn: string): PolicyStatement[] {
  return [{ Sid: "PutEventsOnPrimaryBus", Effect: "Allow", Action: "events:PutEvents", Resource: busArn }];
}

export interface RefillRulesArgs {
  config: BackupDrConfig;
  account: pulumi.Input<Account>;
  /** The DR region's provider: the forwarding rules live there. */
  drProvider: aws.Provider;
}

/**
 * The DR region's side: one rule per copy-finished event, each forwarding to the primary region's default bus, with
 * the role the rules assume. Named `dr-...` and created on the DR provider, like every DR component.
 */
export class DrCopyForward extends pulumi.ComponentResource {
  constructor(name: string, args: RefillRulesArgs, opts: pulumi.ComponentResourceOptions) {
    super("backup-dr:copy:DrCopyForward", name, {}, { ...opts, providers: [args.drProvider] });
    const { config } = args;
    const parent = { parent: this };
    const busArn = pulumi.output(args.account).apply((a) => defaultBusArn(a, config.region));
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `backup-dr ${config.stackTag}: forwards ${config.drRegion}'s DR copy-finished events to ${config.region}'s default event bus`,
        assumeRolePolicy: pulumi.output(args.account).apply((a) => JSON.stringify(trustPolicy("events.amazonaws.com", a.accountId))),
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: busArn.apply((arn) => JSON.stringify(rolePolicy(forwardStatements(arn)))) }, parent);
    for (const [key, pattern] of Object.entries(copyFinishedPatterns(config.drRegion))) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${key}`,
        { description: `backup-dr ${config.stackTag}: a DR copy finished (${key}); forwarded to ${config.region} to refill copy places`, eventPattern: JSON.stringify(pattern), state: "ENABLED" },
        parent,
      );
      new aws.cloudwatch.EventTarget(`${name}-${key}-target`, { rule: rule.name, arn: busArn, roleArn: role.arn }, { parent: this, dependsOn: [policy] });
    }
    this.registerOutputs({});
  }
}

/**
 * The DR side (DrCopyForward, `dr-<name>-forward`) and the primary rules that match the forwarded events; returns the
 * primary rules (by key) for the caller to point at the copy queue (children of `parent`).
 */
export function refillRules(name: string, args: RefillRulesArgs, parent: pulumi.Resource): { key: string; rule: aws.cloudwatch.EventRule }[] {
  const { config } = args;
  const patterns = Object.entries(copyFinishedPatterns(config.drRegion));
  if (patterns.length === 0) return [];
  new DrCopyForward(`dr-${name}-forward`, args, { parent });
  return patterns.map(([key, pattern]) => ({
    key: `refill-${key}`,
    rule: new aws.cloudwatch.EventRule(
      `${name}-refill-${key}`,
      { description: `backup-dr ${config.stackTag}: refill copy places when a DR copy finishes in ${config.drRegion} (${key})`, eventPattern: JSON.stringify(pattern), state: "ENABLED" },
      { parent },
    ),
  }));
}
