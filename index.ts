// backup-dr: config -> components -> stack outputs. Wiring only; see infra/ for the pieces.
import { loadConfig } from "./infra/config";
import { buildBackupDr } from "./infra/stack";

const stack = buildBackupDr(loadConfig());

export const primaryRegion = stack.primaryRegion;
export const drRegion = stack.drRegion;
export const primaryKeyArn = stack.primaryKeyArn;
export const drKeyArn = stack.drKeyArn;
export const primaryVaultBucket = stack.primaryVaultBucket;
export const drVaultBucket = stack.drVaultBucket;
export const topicArn = stack.topicArn;
export const backupFunctionArn = stack.backupFunctionArn;
export const copyFunctionArn = stack.copyFunctionArn;
export const cleanupFunctionArn = stack.cleanupFunctionArn;
export const backupMachineArn = stack.backupMachineArn;
export const cleanupMachineArn = stack.cleanupMachineArn;
export const replicaBuckets = stack.replicaBuckets;
export const s3ReplicationRoleArn = stack.s3ReplicationRoleArn;
export const s3BatchReplicationRoleArn = stack.s3BatchReplicationRoleArn;
export const drTopicArn = stack.drTopicArn;
export const restoreStateMachineArns = stack.restoreStateMachineArns;
export const restoreFunctionArns = stack.restoreFunctionArns;
export const drillStateMachineArn = stack.drillStateMachineArn;
export const drillRegion = stack.drillRegion;
export const drillFunctionArn = stack.drillFunctionArn;
export const reportFunctionArn = stack.reportFunctionArn;
export const dashboardUrl = stack.dashboardUrl;
