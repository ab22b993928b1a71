// A fleet in the fake AWS for the backup tests: what a plan must back up, and everything it must leave alone.
import type { FakeAws } from "./aws-fake";
import type { Tags } from "./aws-fake-state";

export const SELECTION_KEY = "backup-plan";
export const VAULT_BUCKET = "backup-dr-test-vault";
export const TOPIC_NAME = "backup-dr-test-notifications";

export interface Fleet {
  topicArn: string;
  /** What plan gold must back up: instance -> its EBS volumes, DB instance ids, cluster ids. */
  gold: { ec2: Map<string, string[]>; rds: string[]; aurora: string[] };
  /** Gold-tagged sources reported as skipped, with a word their reason must contain. */
  goldSkipped: Map<string, string>;
  /** Sources no gold run may touch: other plans' tags, no tags, terminated, pending. */
  untouchable: string[];
}

const gold: Tags = { [SELECTION_KEY]: "gold" };
const silver: Tags = { [SELECTION_KEY]: "silver" };

/** Builds the fleet in the fake's default region, interleaving kinds so gold sources spread over many pages. */
export function buildFleet(fake: FakeAws, scale = 1): Fleet {
  const region = fake.region();
  region.addBucket(VAULT_BUCKET);
  const fleet: Fleet = { topicArn: region.addTopic(TOPIC_NAME), gold: { ec2: new Map(), rds: [], aurora: [] }, goldSkipped: new Map(), untouchable: [] };
  const goldInstance = (state: "running" | "stopped", volumes: Tags[]) => {
    const i = region.addInstance(state, { ...gold, Name: `gold-${fleet.gold.ec2.size}` }, volumes);
    fleet.gold.ec2.set(i.id, i.volumes.map((v) => v.id));
  };
  for (let n = 0; n < 6 * scale; n += 1) {
    goldInstance("running", [{ Name: `root-${n}`, team: "web" }, ...Array.from({ length: n % 3 }, (_, k) => ({ Name: `data-${n}-${k}` }))]);
    fleet.untouchable.push(region.addInstance("running", silver).id, region.addInstance("running", {}).id);
  }
  goldInstance("stopped", [{}, {}]);
  fleet.untouchable.push(
    region.addInstance("terminated", gold).id,
    region.addInstance("pending", gold).id,
    region.addInstance("running", { "Backup-Plan": "gold" }).id, // tag keys are case-sensitive
    region.addInstance("running", { [SELECTION_KEY]: "Gold" }).id,
  );
  fleet.goldSkipped.set(region.addInstance("running", gold, []).id, "EBS");

  for (let n = 0; n < 4 * scale; n += 1) {
    fleet.gold.rds.push(region.addDbInstance(`gold-db-${n}`, "available", gold).id);
    fleet.untouchable.push(region.addDbInstance(`silver-db-${n}`, "available", silver).id, region.addDbInstance(`plain-db-${n}`, "available", {}).id);
  }
  fleet.gold.rds.push(region.addDbInstance("gold-db-optimizing", "storage-optimization", gold).id);
  fleet.goldSkipped.set(region.addDbInstance("gold-db-stopped", "stopped", gold).id, "stopped");
  fleet.goldSkipped.set(region.addDbInstance("gold-db-modifying", "modifying", gold).id, "modifying");

  for (let n = 0; n < 3 * scale; n += 1) {
    const cluster = region.addDbCluster(`gold-aurora-${n}`, "available", gold).id;
    fleet.gold.aurora.push(cluster);
    fleet.goldSkipped.set(region.addDbInstance(`${cluster}-writer`, "available", gold, cluster).id, "cluster");
    fleet.untouchable.push(region.addDbCluster(`silver-aurora-${n}`, "available", silver).id, region.addDbCluster(`plain-aurora-${n}`, "available", {}).id);
  }
  fleet.goldSkipped.set(region.addDbCluster("gold-aurora-creating", "creating", gold).id, "creating");
  return fleet;
}

/** Every gold source id, of every kind. */
export function goldSources(fleet: Fleet): string[] {
  return [...fleet.gold.ec2.keys(), ...fleet.gold.rds, ...fleet.gold.aurora];
}
