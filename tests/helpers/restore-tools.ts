// The operator commands (tools/restore/, tools/drill/) against the fake AWS: stub kinds whose listings go through the
// region's clients (so a region the fake fails is really unreachable), the stack's outputs, a recording console, the
// commands' dependencies with a fixed clock and recorded waits, and the package.json scripts run as a person would.
import { DescribeDBSnapshotsCommand } from "@aws-sdk/client-rds";
import { DescribeSnapshotsCommand } from "@aws-sdk/client-ec2";
import type { ResourceKind } from "../../handlers/catalog";
import type { RecoveryPoint } from "../../handlers/restore/contract";
import { spawn } from "child_process";
import * as path from "path";
import { regionClients, type ClientsOf } from "../../tools/lib/clients";
import type { CommandDeps } from "../../tools/lib/command";
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

/** The clock every command test starts at. */
export const NOW = new Date("2026-12-02T03:00:00.000Z");

/** A command's dependencies over the fake: its console, the outputs it read, and the waits it asked for (none made). */
export function recordingDeps(fake: FakeAws, outputs: StackOutputs, random: string): { console: Console; deps: CommandDeps; sleeps: number[]; outputsRead: string[] } {
  const console = recordingConsole();
  const sleeps: number[] = [];
  const outputsRead: string[] = [];
  const deps: CommandDeps = {
    clientsOf: toolClients(fake),
    outputs: (stack, file) => {
      outputsRead.push(`${stack} ${file ?? ""}`);
      return outputs;
    },
    ...console.write,
    now: () => NOW,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    intervalMs: 5000,
    random: () => random,
  };
  return { console, deps, sleeps, outputsRead };
}

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run -s <script> -- args` without blocking this process (it may be serving the fake AWS). */
export function npmRun(script: string, args: readonly string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", script, "--", ...args], { cwd: path.resolve(__dirname, "..", ".."), env: { ...process.env, AWS_PROFILE: "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** No credentials and nothing listening: any AWS call would fail, so exit 2 with the usage proves none was made. */
export const NO_AWS = { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: "http://127.0.0.1:9" };
