// The restore path of one region (issue 17 item 1): the restore function and its state machine, using only that
// region's key, vault and topic, so a restore in the DR region needs nothing of the primary region. Deployed once per
// region, each with its region's provider.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RESTORE_MANIFEST_FOLDER, type RestoreNetwork } from "../handlers/restore/contract";
import type { BackupDrConfig } from "./config";
import { BackupDrFunction, type FunctionContext, type Handler } from "./functions";
import { functionMachine } from "./function-machine";
import { restoreStatements } from "./iam-restore";
import { restoreMachineDefinition } from "./restore-machine";
// RegionRole: which of the stack's two regions (the handler names config keys with it: backup-dr:restore `dr.subnetIds`).
import type { RegionRole } from "../handlers/restore/settings";

/** The restore component, function and role of a region are named after it (the policy pack finds them by name). */
export function restoreName(role: RegionRole): string {
  return `${role}-restore`;
}

/** Each step is one short Lambda call (waiting is the machine's): reading points and tags, a few create calls. */
export const RESTORE_FUNCTION_TIMEOUT_SECONDS = 300;

export interface RestoreRegionArgs extends FunctionContext {
  role: RegionRole;
  /** The region restored into (the provider's). */
  region: string;
  /** The handler exported by handlers/restore.ts. */
  callback: Handler;
  /** The state machine's TimeoutSeconds (infra/restore-machine.ts restoreMachineTimeoutSeconds). */
  machineTimeoutSeconds: number;
}

/** The region's restore network as the function reads it (BACKUP_DR_RESTORE_NETWORK): "{}" when nothing is configured. */
export function restoreNetworkJson(network: RestoreNetwork): string {
  const configured = network.subnetIds.length > 0 || network.securityGroupIds.length > 0 || network.dbSubnetGroup !== undefined || network.instanceProfileArn !== undefined;
  return configured ? JSON.stringify(network) : "{}";
}

/** The environment the restore handler reads (documented in handlers/restore.ts and docs/restore.md). */
export function restoreEnvironment(
  config: BackupDrConfig,
  a: { role: RegionRole; region: string; keyArn: pulumi.Input<string>; vaultName: pulumi.Input<string> },
): Record<string, pulumi.Input<string>> {
  return {
    BACKUP_DR_STACK: config.stackTag,
    BACKUP_DR_REGION: a.region,
    BACKUP_DR_REGION_ROLE: a.role,
    BACKUP_DR_KEY_ARN: a.keyArn,
    BACKUP_DR_VAULT_BUCKET: a.vaultName,
    BACKUP_DR_RESTORE_NETWORK: restoreNetworkJson(config.restore[a.role]),
  };
}

/** The name of an instance profile from its ARN (`arn:...:instance-profile/<path/><name>`). */
export function instanceProfileName(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

export class RestoreRegion extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  /** The function (the dashboard shows its metrics and its on-failure queue). */
  readonly fn: BackupDrFunction;
  readonly stateMachineArn: pulumi.Output<string>;

  constructor(name: string, args: RestoreRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:restore:RestoreRegion", name, {}, opts);
    const parent = { parent: this };
    const { config, role, region } = args;
    const network = config.restore[role];

    // iam:PassRole names a role, the config names a profile: the profile's role is looked up at deploy.
    const profileRoleArn =
      network.instanceProfileArn === undefined ? undefined : aws.iam.getInstanceProfileOutput({ name: instanceProfileName(network.instanceProfileArn) }, parent).roleArn;

    const fn = new BackupDrFunction(
      name,
      {
        ...args,
        description: `backup-dr ${config.stackTag}: restores this stack's recovery points in ${region} (step events from its state machine)`,
        timeoutSeconds: RESTORE_FUNCTION_TIMEOUT_SECONDS,
        memorySize: 512,
        environment: restoreEnvironment(config, args),
        manifestFolder: RESTORE_MANIFEST_FOLDER,
        errorsAlarmDescription: `backup-dr ${name}: a restore step failed in ${region}; see the restore execution, its manifest under runs/restore/ and the function's logs.`,
        statements: pulumi
          .all([args.account, profileRoleArn])
          .apply(([a, roleArn]) =>
            restoreStatements({ partition: a.partition, accountId: a.accountId, region, stackTag: config.stackTag, network, ...(roleArn === undefined ? {} : { instanceProfileRoleArn: roleArn }) }),
          ),
      },
      parent,
    );

    const machine = functionMachine(
      name,
      {
        ...args,
        functionArn: fn.functionArn,
        definition: (arn) => restoreMachineDefinition(arn, args.machineTimeoutSeconds),
        purpose: "restore",
        manifestFolder: RESTORE_MANIFEST_FOLDER,
        invokeSid: "InvokeRestoreFunctionOnly",
      },
      this,
    );

    this.fn = fn;
    this.functionArn = fn.functionArn;
    this.stateMachineArn = machine.arn;
    this.registerOutputs({ functionArn: this.functionArn, stateMachineArn: this.stateMachineArn });
  }
}
