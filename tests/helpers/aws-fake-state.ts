// What the in-memory AWS holds for one region: instances, volumes, DB instances and clusters, snapshots, objects, messages.

export type Tags = Record<string, string>;

export type InstanceState = "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";

export interface FakeVolume {
  id: string;
  device: string;
  tags: Tags;
}

export interface FakeInstance {
  id: string;
  state: InstanceState;
  tags: Tags;
  volumes: FakeVolume[];
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
}

export interface FakeDbInstance {
  id: string;
  status: string;
  engine: string;
  clusterId?: string;
  tags: Tags;
}

export interface FakeDbCluster {
  id: string;
  status: string;
  engine: string;
  tags: Tags;
}

export interface FakeDbSnapshot {
  id: string;
  source: string;
  status: string;
  tags: Tags;
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
    const instance = { id, state, tags, volumes };
    this.instances.set(id, instance);
    return instance;
  }

  addDbInstance(id: string, status: string, tags: Tags, clusterId?: string): FakeDbInstance {
    const db = { id, status, engine: clusterId ? "aurora-postgresql" : "postgres", clusterId, tags };
    this.dbInstances.set(id, db);
    return db;
  }

  addDbCluster(id: string, status: string, tags: Tags): FakeDbCluster {
    const cluster = { id, status, engine: "aurora-postgresql", tags };
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
