// Runs the Pulumi program under mocks and records every resource it registers, with its options, and
// what an analyzer would be handed about it. The one mock-program harness: the infra tests and the
// offline policy check (tools/policy-check) both run the program through it. The mock `call` knows
// only the data sources the program is meant to use; anything else fails the run.
import * as pulumi from "@pulumi/pulumi";
import { toStackResource, type RegisterRequest, type RegisterResponse, type StackResource } from "./capture";

export type { StackResource } from "./capture";

export const ACCOUNT_ID = "123456789012";

export interface Registered {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, unknown>;
  /** `urn::id` of the provider, as the engine would see it. */
  provider: string;
  parent: string;
  protect: boolean;
  retainOnDelete: boolean;
  dependsOn: string[];
}

export interface ProgramRun<T> {
  resources: Registered[];
  /** The same resources as the engine would hand an analyzer (inputs, outputs, options, links). */
  captured: StackResource[];
  /** Data-source calls made, as `token@provider`. */
  calls: string[];
  result: T;
}

/** Provider-computed attributes the program reads; everything else echoes the inputs. */
function computed(type: string, name: string, inputs: Record<string, unknown>, region: string): Record<string, unknown> {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${ACCOUNT_ID}:${resource}`;
  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = typeof inputs.bucket === "string" ? inputs.bucket : `${name}-1a2b3c4`;
      return { bucket, arn: `arn:aws:s3:::${bucket}` };
    }
    case "aws:kms/key:Key":
      return { keyId: `${name}-key-id`, arn: arn("kms", `key/${name}-key-id`) };
    case "aws:sns/topic:Topic":
      return { name, arn: arn("sns", name) };
    case "aws:iam/role:Role":
      return { name, id: name, arn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}` };
    case "aws:sqs/queue:Queue":
      return { name, arn: arn("sqs", name), url: `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${name}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: arn("logs", `log-group:${String(inputs.name)}`) };
    case "aws:lambda/function:Function":
      return { name, arn: arn("lambda", `function:${name}`) };
    case "aws:cloudwatch/eventRule:EventRule":
      return { name, arn: arn("events", `rule/${name}`) };
    case "aws:sfn/stateMachine:StateMachine":
      return { name, arn: arn("states", `stateMachine:${name}`) };
    case "aws:scheduler/schedule:Schedule":
      return { arn: arn("scheduler", `schedule/default/${name}`) };
    default:
      return {};
  }
}

/** What a data source returns, from its inputs. */
type KnownCall = Record<string, unknown> | ((inputs: Record<string, unknown>) => Record<string, unknown>);

const KNOWN_CALLS: Record<string, KnownCall> = {
  "aws:index/getCallerIdentity:getCallerIdentity": {
    accountId: ACCOUNT_ID,
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/deployer`,
    userId: "AIDAEXAMPLE",
    id: ACCOUNT_ID,
  },
  "aws:index/getPartition:getPartition": { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" },
  // The restore instance profile (backup-dr:restore): its role is `<profile name>-role`.
  "aws:iam/getInstanceProfile:getInstanceProfile": (inputs) => {
    const name = String(inputs.name);
    return {
      name,
      arn: `arn:aws:iam::${ACCOUNT_ID}:instance-profile/${name}`,
      path: "/",
      roleName: `${name}-role`,
      roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}-role`,
      roleId: "AROAEXAMPLE",
      id: name,
    };
  },
};

interface PatchableMonitor {
  registerResource(req: RegisterRequest, callback: (err: unknown, res: RegisterResponse | undefined) => void): unknown;
}

type SerializeFunction = typeof pulumi.runtime.serializeFunction;
type SerializeArgs = Parameters<SerializeFunction>[1];

/**
 * Pulumi serializes each function's closure anew on every program run (seconds each, through the V8 inspector); a
 * process running the program many times (the specs, the bench) serializes each handler once. Keyed by the handler
 * itself and the options that shape the text: the same handler with the same options serializes to the same text.
 */
function memoizeSerialization(): void {
  const runtime = pulumi.runtime as { serializeFunction: SerializeFunction & { memoized?: true } };
  if (runtime.serializeFunction.memoized === true) return;
  const serialize = runtime.serializeFunction;
  const cache = new WeakMap<object, Map<string, ReturnType<SerializeFunction>>>();
  const memoized = (func: Parameters<SerializeFunction>[0], args?: SerializeArgs): ReturnType<SerializeFunction> => {
    const key = JSON.stringify({ exportName: args?.exportName, isFactoryFunction: args?.isFactoryFunction, allowSecrets: args?.allowSecrets, serialize: args?.serialize?.toString() });
    const byArgs = cache.get(func) ?? new Map<string, ReturnType<SerializeFunction>>();
    cache.set(func, byArgs);
    const known = byArgs.get(key);
    if (known !== undefined) return known;
    const made = serialize(func, args);
    byArgs.set(key, made);
    made.catch(() => byArgs.delete(key));
    return made;
  };
  runtime.serializeFunction = Object.assign(memoized, { memoized: true as const });
}

/** Runs `program` as stack `stack` of project backup-dr with the given config (full key -> string). */
export async function runProgram<T>(stack: string, config: Record<string, string>, program: () => T): Promise<ProgramRun<T>> {
  const resources: Registered[] = [];
  const captured: StackResource[] = [];
  const calls: string[] = [];
  const options = new Map<string, Pick<Registered, "parent" | "protect" | "retainOnDelete" | "dependsOn">>();
  const providerRegions = new Map<string, string>();
  let nextId = 0;
  memoizeSerialization();

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = `${args.name}-id-${nextId++}`;
        const inputs = args.inputs as Record<string, unknown>;
        const urn = `urn:pulumi:${stack}::backup-dr::${args.type}::${args.name}`;
        if (args.type === "pulumi:providers:aws") providerRegions.set(`${urn}::${id}`, String(inputs.region));
        const region = providerRegions.get(args.provider ?? "") ?? "unknown-region";
        const opts = options.get(`${args.type}::${args.name}`);
        resources.push({
          type: args.type,
          name: args.name,
          urn,
          inputs,
          provider: args.provider ?? "",
          parent: opts?.parent ?? "",
          protect: opts?.protect ?? false,
          retainOnDelete: opts?.retainOnDelete ?? false,
          dependsOn: opts?.dependsOn ?? [],
        });
        return { id, state: { ...inputs, ...computed(args.type, args.name, inputs, region) } };
      },
      call(args) {
        calls.push(`${args.token}@${args.provider ?? ""}`);
        const result = KNOWN_CALLS[args.token];
        if (!result) throw new Error(`unexpected data source call ${args.token}`);
        return typeof result === "function" ? result(args.inputs as Record<string, unknown>) : result;
      },
    },
    "backup-dr",
    stack,
    false,
  );
  // The one patch of the mock monitor: it does not pass resource options to newResource, so read them
  // off the request; and record the request with its response as an analyzer would see them.
  const monitor = pulumi.runtime.getMonitor() as unknown as PatchableMonitor | undefined;
  if (monitor === undefined) throw new Error("no Pulumi monitor after setMocks");
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    options.set(`${req.getType()}::${req.getName()}`, {
      parent: req.getParent(),
      protect: req.getProtect(),
      retainOnDelete: req.getRetainondelete(),
      dependsOn: req.getDependenciesList(),
    });
    return register(req, (err, res) => {
      if (err === null && res !== undefined) captured.push(toStackResource(req, res));
      callback(err, res);
    });
  };
  pulumi.runtime.setAllConfig(config);

  // Source positions: Pulumi records where each resource was constructed (Resource.callsites parses `new Error().stack`
  // with no frame limit, and every debuggable promise keeps a stack), which under ts-node's source-map support maps
  // every frame of every stack: about a third of a mocked stack run. The mock monitor never reads them, so the run
  // records none; a real `pulumi up` (no mocks) is untouched.
  const resourceClass = pulumi.Resource as unknown as { callsites: () => unknown[] };
  const callsites = resourceClass.callsites;
  const stackTraceLimit = Error.stackTraceLimit;
  resourceClass.callsites = () => [];
  Error.stackTraceLimit = 0;
  try {
    const result = program();
    await pulumi.runtime.disconnect();
    return { resources, captured, calls, result };
  } finally {
    resourceClass.callsites = callsites;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Resolves an Output in a mocked run. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
