// What the in-memory AWS holds for one region: instances, volumes, DB instances and clusters, snapshots, objects, messages.

export type Tags = Record<string, string>;

export type InstanceState = "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";

export interface FakeVolume {
  id: string;
  device: string;
  tags: Tags;
  /** Unencrypted when absent; an encrypted volume's snapshots carry its key (kmsKeyId: a key ARN, as AWS returns it). */
  encrypted?: boolean;
  kmsKeyId?: string;
}

export interface FakeInstance {
  id: string;
  state: InstanceState;
  tags: Tags;
  volumes: FakeVolume[];
  /** What DescribeInstances says of the machine (restore facts); the root device is the first volume's. */
  instanceType: string;
  architecture: string;
  bootMode: string;
  virtualizationType: string;
  zone: string;
  subnetId: string;
  securityGroupIds: string[];
  /** A launched instance (restore): its image and private IP. */
  imageId?: string;
  privateIp?: string;
  /** DisableApiTermination: TerminateInstances is refused while on. */
  terminationProtected?: boolean;
  /** LaunchTime: when it was last launched (a stop and start moves it). */
  launchTime?: Date;
  /** When it was first launched: the primary network interface's attach time (launchTime when absent). */
  firstLaunchTime?: Date;
}

export interface FakeSnapshot {
  id: string;
  volumeId: string;
  state: "pending" | "completed" | "error";
  description: string;
  tags: Tags;
  startTime: Date;
  /** When it completed (EC2's CompletionTime); left out of the answer when undefined. */
  completedAt?: Date;
  /** Unencrypted when absent; kmsKeyId is the key of an encrypted snapshot (the DR copy tests read both). */
  encrypted?: boolean;
  kmsKeyId?: string;
  /** Its volume's size (GiB): 8 when absent. */
  sizeGiB?: number;
}

export interface FakeDbInstance {
  id: string;
  status: string;
  engine: string;
  clusterId?: string;
  tags: Tags;
  /** What DescribeDBInstances says (restore facts). A cluster member with `writer` is its cluster's writer. */
  engineVersion: string;
  instanceClass: string;
  port: number;
  multiAz: boolean;
  storageType: string;
  writer?: boolean;
  /** A restored DB instance: where it runs. */
  subnetGroup?: string;
  securityGroupIds?: string[];
  /** DeleteDBInstance is refused while on. */
  deletionProtection?: boolean;
  /** InstanceCreateTime (AWS leaves it out while the instance is being created). */
  createdAt?: Date;
  /** StorageEncrypted and KmsKeyId: its snapshots carry them. Unencrypted when absent. */
  encrypted?: boolean;
  kmsKeyId?: string;
}

export interface FakeDbCluster {
  id: string;
  status: string;
  engine: string;
  tags: Tags;
  engineVersion: string;
  port: number;
  /** A restored cluster: where it runs. */
  subnetGroup?: string;
  securityGroupIds?: string[];
  /** DeleteDBCluster is refused while on. */
  deletionProtection?: boolean;
  /** ClusterCreateTime. */
  createdAt?: Date;
  /** StorageEncrypted and KmsKeyId: its snapshots carry them. Unencrypted when absent. */
  encrypted?: boolean;
  kmsKeyId?: string;
}

export interface FakeDbSnapshot {
  id: string;
  source: string;
  status: string;
  tags: Tags;
  /** Encrypted (DB) / StorageEncrypted (cluster) and KmsKeyId: a backup gets its database's, a copy the key it was copied with. */
  encrypted?: boolean;
  kmsKeyId?: string;
}

export interface FakeMessage {
  topicArn: string;
  subject?: string;
  message: string;
}

export class RegionState {
  readonly instances = new Map<string, FakeInstance>();
  readonly snapshots = new Map<string, FakeSnapshot>();
  readonly dbInstances = new Map<string, FakeDbInstance>();
  readonly dbClusters = new Map<string, FakeDbCluster>();
  readonly dbSnapshots = new Map<string, FakeDbSnapshot>();
  readonly dbClusterSnapshots = new Map<string, FakeDbSnapshot>();
  readonly buckets = new Map<string, Map<string, string>>();
  readonly topics = new Map<string, FakeMessage[]>();
  private counter = 0;

  constructor(readonly name: string, readonly accountId: string) {}

  /** AWS-looking ids (`i-0000000000000001a`), unique within the region. */
  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter.toString(16).padStart(17, "0")}`;
  }

  addInstance(state: InstanceState, tags: Tags, volumeTags: Tags[] = [{}]): FakeInstance {
    const id = this.nextId("i");
    const volumes = volumeTags.map((t, i) => ({ id: this.nextId("vol"), device: i === 0 ? "/dev/xvda" : `/dev/sd${String.fromCharCode(102 + i)}`, tags: t }));
    const zone = `${this.name}a`;
    const instance = { id, state, tags, volumes, instanceType: "m5.large", architecture: "x86_64", bootMode: "uefi", virtualizationType: "hvm", zone, subnetId: "subnet-0a1b2c3d4e5f60708", securityGroupIds: ["sg-0a1b2c3d4e5f60701", "sg-0a1b2c3d4e5f60702"], launchTime: new Date() };
    this.instances.set(id, instance);
    return instance;
  }

  addDbInstance(id: string, status: string, tags: Tags, clusterId?: string): FakeDbInstance {
    const writer = clusterId !== undefined && ![...this.dbInstances.values()].some((d) => d.clusterId === clusterId && d.writer === true);
    const db = { id, status, engine: clusterId ? "aurora-postgresql" : "postgres", clusterId, tags, engineVersion: "16.4", instanceClass: clusterId ? "db.r6g.large" : "db.m6g.large", port: 5432, multiAz: clusterId === undefined, storageType: clusterId ? "aurora" : "gp3", ...(writer ? { writer } : {}), createdAt: new Date() };
    this.dbInstances.set(id, db);
    return db;
  }

  addDbCluster(id: string, status: string, tags: Tags): FakeDbCluster {
    const cluster = { id, status, engine: "aurora-postgresql", tags, engineVersion: "16.4", port: 5432, createdAt: new Date() };
    this.dbClusters.set(id, cluster);
    return cluster;
  }

  addBucket(name: string): void {
    this.buckets.set(name, new Map());
  }

  addTopic(name: string): string {
    const arn = `arn:aws:sns:${this.name}:${this.accountId}:${name}`;
    this.topics.set(arn, []);
    return arn;
  }
}
