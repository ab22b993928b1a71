// EBS snapshots, for the ec2 kind: read as records (every list paginated with the largest page allowed), copied to
// the DR region, deleted, and listed for cleanup with the AMIs that hold them.
//
// Copy: CopySnapshot with SourceRegion (the SDK presigns the source-region request), Encrypted, KmsKeyId, through
// createOnce: CopySnapshot takes no idempotency token, so after a lost answer the DR region is searched for the copy.
import { CopySnapshotCommand, DeleteSnapshotCommand, paginateDescribeImages, paginateDescribeSnapshots, type EC2Client, type Filter, type Snapshot } from "@aws-sdk/client-ec2";
import { TAG_COPY_OF, TAG_PLAN, TAG_STACK } from "../catalog";
import type { ImageUse, ListedSnapshot } from "../cleanup/types";
import type { Candidate, SnapshotRecord, SnapshotState } from "../copy/types";
import { createOnce } from "../lib/create-once";
import { tagRecord, type Tag } from "../lib/tags";
import type { CopyTarget, StartedCopy } from "./kind";
import { defined, validDate } from "../lib/values";

/** EC2 filters take at most 200 values each. */
const FILTER_VALUES = 200;

/** EBS: completed, pending, error (recoverable and recovering belong to the archive tier: other). */
function ebsState(status: string): SnapshotState {
  if (status === "completed") return "ready";
  if (status === "pending") return "in-progress";
  if (status === "error") return "failed";
  return "other";
}

function fromEbs(s: Snapshot): SnapshotRecord | undefined {
  if (s.SnapshotId === undefined) return undefined;
  const status = s.State ?? "";
  return { kind: "ebs", id: s.SnapshotId, state: ebsState(status), status, created: s.StartTime, ...(s.CompletionTime ? { completed: s.CompletionTime } : {}), encrypted: s.Encrypted ?? false, kmsKeyId: s.KmsKeyId, ...(s.VolumeSize === undefined ? {} : { sizeGiB: s.VolumeSize }), tags: tagRecord(s.Tags) };
}


/** EBS snapshots owned by this account matching the filters (a filter's values are sent 200 at a time). */
export async function describeEbsSnapshots(ec2: EC2Client, filters: Filter[], chunked?: Filter): Promise<SnapshotRecord[]> {
  const chunks: Filter[][] = [];
  if (chunked === undefined) chunks.push(filters);
  else for (let i = 0; i < (chunked.Values ?? []).length; i += FILTER_VALUES) chunks.push([...filters, { Name: chunked.Name, Values: (chunked.Values ?? []).slice(i, i + FILTER_VALUES) }]);
  const found: SnapshotRecord[] = [];
  for (const chunk of chunks) {
    for await (const page of paginateDescribeSnapshots({ client: ec2, pageSize: 1000 }, { OwnerIds: ["self"], Filters: chunk })) {
      found.push(...defined((page.Snapshots ?? []).map(fromEbs)));
    }
  }
  return found;
}

/** This stack's completed backups of the plans, filtered by EC2. */
export function listEbsBackups(ec2: EC2Client, stackTag: string, plans: readonly string[]): Promise<SnapshotRecord[]> {
  return describeEbsSnapshots(ec2, [
    { Name: `tag:${TAG_STACK}`, Values: [stackTag] },
    { Name: `tag:${TAG_PLAN}`, Values: [...plans] },
    { Name: "status", Values: ["completed"] },
  ]);
}

/**
 * EBS copies of ours in the DR region: of the given backups plus every one still pending (or all, when no ids). EC2's
 * filters cannot say "of these or pending" in one request, so that is two requests side by side.
 */
export async function ebsCopies(ec2: EC2Client, stackTag: string, copyOf?: readonly string[]): Promise<SnapshotRecord[]> {
  const ours = [{ Name: `tag:${TAG_STACK}`, Values: [stackTag] }];
  if (copyOf === undefined) return describeEbsSnapshots(ec2, [...ours, { Name: "tag-key", Values: [TAG_COPY_OF] }]);
  const [of, pending] = await Promise.all([
    copyOf.length === 0 ? Promise.resolve([]) : describeEbsSnapshots(ec2, ours, { Name: `tag:${TAG_COPY_OF}`, Values: [...copyOf] }),
    describeEbsSnapshots(ec2, [...ours, { Name: "tag-key", Values: [TAG_COPY_OF] }, { Name: "status", Values: ["pending"] }]),
  ]);
  return [...of, ...pending];
}

/** Starts the encrypted DR copy of the EBS snapshot. */
export async function copyEbsSnapshot(target: CopyTarget, candidate: Candidate, tags: Tag[], isCopyOf: (record: SnapshotRecord | undefined) => record is SnapshotRecord): Promise<StartedCopy> {
  const { source } = candidate;
  const ec2 = target.clients.ec2;
  const command = new CopySnapshotCommand({
    SourceRegion: target.primaryRegion,
    SourceSnapshotId: source.id,
    Encrypted: true,
    KmsKeyId: target.drKeyArn,
    Description: `backup-dr copy of ${source.id} from ${target.primaryRegion}`,
    TagSpecifications: [{ ResourceType: "snapshot", Tags: tags }],
  });
  const created = await createOnce({
    action: "CopySnapshot",
    what: `the DR copy of ${source.id} in ${target.drRegion}`,
    command,
    send: async () => {
      const result = await ec2.send(command);
      if (result.SnapshotId === undefined) throw Object.assign(new Error("CopySnapshot returned no snapshot id"), { name: "MissingSnapshotId" });
      return result.SnapshotId;
    },
    lookUp: async () => {
      const found = await describeEbsSnapshots(ec2, [
        { Name: `tag:${TAG_STACK}`, Values: [candidate.source.tags[TAG_STACK] ?? ""] },
        { Name: `tag:${TAG_COPY_OF}`, Values: [candidate.copyOf] },
      ]);
      return found.find((record) => isCopyOf(record))?.id;
    },
    retryStrategy: ec2.config.retryStrategy,
  });
  return { created };
}

export async function deleteEbsSnapshot(ec2: EC2Client, id: string): Promise<void> {
  await ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }));
}


/** This stack's EBS snapshots, owned by this account, filtered by EC2 on the stack tag. */
export async function listEbsSnapshots(ec2: EC2Client, stackTag: string): Promise<ListedSnapshot[]> {
  const found: ListedSnapshot[] = [];
  const pages = paginateDescribeSnapshots({ client: ec2, pageSize: 1000 }, { OwnerIds: ["self"], Filters: [{ Name: `tag:${TAG_STACK}`, Values: [stackTag] }] });
  for await (const page of pages) {
    for (const s of page.Snapshots ?? []) {
      if (s.SnapshotId === undefined) continue;
      found.push({ kind: "ebs", id: s.SnapshotId, state: s.State ?? "", created: validDate(s.StartTime), tags: tagRecord(s.Tags), description: s.Description });
    }
  }
  return found;
}

/** Every EBS snapshot behind an AMI this account owns, disabled and deprecated AMIs included (they still hold them). */
export async function listImageSnapshots(ec2: EC2Client): Promise<ImageUse[]> {
  const uses: ImageUse[] = [];
  const pages = paginateDescribeImages({ client: ec2, pageSize: 1000 }, { Owners: ["self"], IncludeDisabled: true, IncludeDeprecated: true });
  for await (const page of pages) {
    for (const image of page.Images ?? []) {
      for (const mapping of image.BlockDeviceMappings ?? []) {
        const snapshotId = mapping.Ebs?.SnapshotId;
        if (snapshotId !== undefined && image.ImageId !== undefined) uses.push({ snapshotId, imageId: image.ImageId });
      }
    }
  }
  return uses;
}
