// The operator commands (tools/restore/) against the fake AWS: stub kinds whose listings go through the region's
// clients (so a region the fake fails is really unreachable), the stack's outputs, and a recording console.
import { DescribeDBSnapshotsCommand } from "@aws-sdk/client-rds";
import { DescribeSnapshotsCommand } from "@aws-sdk/client-ec2";
import type { ResourceKind } from "../../handlers/catalog";
import type { RecoveryPoint } from "../../handlers/restore/contract";
import { regionClients, type ClientsOf } from "../../tools/lib/clients";
import type { PointsKind } from "../../tools/restore/common-args";
import type { StackOutputs } from "../../tools/lib/stack-outputs";
import { ACCOUNT_ID, type FakeAws } from "./aws-fake";
import { fastRetryStrategy, TEST_CREDENTIALS } from "./aws-clients";
import { fakeRequestHandler } from "./aws-transport";

export const PRIMARY = "us-east-1";
export const DR = "us-west-2";
export const MACHINES = { primary: `arn:aws:states:${PRIMARY}:${ACCOUNT_ID}:stateMachine:restore-prod`, dr: `arn:aws:states:${DR}:${ACCOUNT_ID}:stateMachine:restore-prod-dr` };
export const OUTPUTS: StackOutputs = { regions: { primary: PRIMARY, dr: DR }, restoreStateMachineArns: MACHINES };

export function toolClients(fake: FakeAws): ClientsOf {
  return regionClients({ requestHandler: fakeRequestHandler(fake), credentials: TEST_CREDENTIALS, retryStrategy: () => fastRetryStrategy(2) });
}

/** A kind whose points are a table per region; each listing first calls its service in that region. */
export function stubKind(name: ResourceKind, source: RegExp, point: RegExp, points: RecoveryPoint[] = []): PointsKind & { listed: string[] } {
  const listed: string[] = [];
  return {
    name,
    listed,
    mayBeSource: (id) => source.test(id),
    mayBePoint: (id) => point.test(id),
    async listPoints(clients, stackTag, wanted) {
      const region = await clients.ec2.config.region();
      listed.push(`${region} ${stackTag} ${wanted}`);
      if (name === "ec2") await clients.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }));
      else await clients.rds.send(new DescribeDBSnapshotsCommand({}));
      return points.filter((p) => p.region === region && p.source === wanted && p.kind === name);
    },
  };
}

export const INSTANCE = "i-0123456789abcdef0";

/** ec2 (i-...; snap-...), rds and aurora (DB identifiers; bdr-...), as the real kinds recognise them. */
export function stubKinds(points: RecoveryPoint[] = []): ReturnType<typeof stubKind>[] {
  const db = /^[A-Za-z][A-Za-z0-9-]{0,62}$/;
  return [
    stubKind("ec2", /^i-[0-9a-f]+$/, /^(snap-[0-9a-f]+|arn:aws:ec2:.*:snapshot\/snap-[0-9a-f]+)$/, points),
    stubKind("rds", db, /^(bdr-.+|arn:aws:rds:.*:snapshot:.+)$/, points),
    stubKind("aurora", db, /^(bdr-.+|arn:aws:rds:.*:cluster-snapshot:.+)$/, points),
  ];
}

export interface Console {
  out: string[];
  err: string[];
  write: { out: (text: string) => void; err: (text: string) => void };
}

export function recordingConsole(): Console {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, write: { out: (t) => void out.push(...t.split("\n")), err: (t) => void err.push(...t.split("\n")) } };
}
