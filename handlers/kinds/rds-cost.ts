// How Cost Explorer bills the storage of DB snapshots (the report's cost section: docs/report.md "## Cost"): RDS
// backup storage beyond the free allowance, and Aurora's. Usage types, each prefixed by the region's billing code.

export const RDS_SNAPSHOT_COST = { usageTypeGroups: [], usageTypes: ["RDS:ChargedBackupUsage"] } as const;
export const AURORA_SNAPSHOT_COST = { usageTypeGroups: [], usageTypes: ["Aurora:BackupUsage"] } as const;
