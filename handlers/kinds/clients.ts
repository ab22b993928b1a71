// The SDK clients the resource kinds use, built together with the others by handlers/lib/clients.ts.
import { EC2Client, type EC2ClientConfig } from "@aws-sdk/client-ec2";
import { RDSClient } from "@aws-sdk/client-rds";
import type { AdaptivePace } from "../lib/pace";
import { watchThrottling } from "../lib/throttle-watch";

/** The clients of one region that the kind modules call; a flow passes them through without naming them. */
export interface KindClients {
  ec2: EC2Client;
  rds: RDSClient;
}

/** The client configuration every client of a region shares (region, retries, transport, credentials). */
export type ClientConfig = EC2ClientConfig;

export function createKindClients(config: () => ClientConfig): KindClients {
  return { ec2: new EC2Client(config()), rds: new RDSClient(config()) };
}

/** EC2's snapshot creates and deletes, which share AWS's snapshot token bucket: the calls the paced kinds pace. */
const PACED_COMMANDS = ["CreateSnapshotsCommand", "CreateSnapshotCommand", "DeleteSnapshotCommand"];

/** Makes AWS's throttling of the paced calls slow `pace` down (handlers/lib/throttle-watch.ts); returns the pace. */
export function watchPacedCalls<P extends AdaptivePace>(clients: KindClients, pace: P): P {
  return watchThrottling(clients.ec2, pace, PACED_COMMANDS);
}
