// How Cost Explorer bills the storage of EBS snapshots (the report's cost section: docs/report.md "## Cost").
// The usage type group covers every region (no billing-code prefix) and both tiers (standard and archive storage).

export const EC2_SNAPSHOT_COST = { usageTypeGroups: ["EC2: EBS - Snapshots"], usageTypes: [] } as const;
