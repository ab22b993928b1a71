// Records what the engine would hand an analyzer about each resource while the program runs under
// the test suite's mocks: from the registration request its inputs, options, provider, parent and
// dependencies; from the mock's response its URN and outputs. It wraps the mock monitor's
// registerResource, as tests/helpers/program.ts itself does to read resource options.
import * as pulumi from "@pulumi/pulumi";
import type { StackResource } from "./model";
import { decodeObject } from "./wire";

interface Struct {
  toJavaScript(): Record<string, unknown>;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getProtect(): boolean;
  getObject(): Struct | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(callback: (urns: { getUrnsList(): string[] }, key: string) => void): void };
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getDeletebeforereplace(): boolean;
}

interface RegisterResponse {
  getUrn(): string;
  getObject(): Struct | undefined;
}

type Callback = (err: unknown, res: RegisterResponse | undefined) => void;

interface Monitor {
  registerResource(req: RegisterRequest, callback: Callback): unknown;
}

/** `urn::id` (a provider reference) -> `urn`. */
const providerUrn = (reference: string): string | undefined => (reference === "" ? undefined : reference.slice(0, reference.lastIndexOf("::")));

function toResource(req: RegisterRequest, res: RegisterResponse): StackResource {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((urns, key) => {
    propertyDependencies[key] = urns.getUrnsList();
  });
  return {
    type: req.getType(),
    name: req.getName(),
    urn: res.getUrn(),
    inputs: decodeObject(req.getObject()?.toJavaScript() ?? {}),
    outputs: decodeObject(res.getObject()?.toJavaScript() ?? {}),
    opts: {
      protect: req.getProtect(),
      ignoreChanges: req.getIgnorechangesList(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      ...(req.getParent() === "" ? {} : { parent: req.getParent() }),
    },
    provider: providerUrn(req.getProvider()),
    parent: req.getParent() === "" ? undefined : req.getParent(),
    dependencies: req.getDependenciesList(),
    propertyDependencies,
  };
}

export class Capture {
  private readonly recorded: StackResource[] = [];

  /** Starts recording; call inside the program callback, before the program registers anything. */
  attach(): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor | undefined;
    if (monitor === undefined) throw new Error("no Pulumi monitor: run the program under mocks first");
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
      register(req, (err, res) => {
        if (err === null && res !== undefined) this.recorded.push(toResource(req, res));
        callback(err, res);
      });
  }

  get resources(): StackResource[] {
    return [...this.recorded];
  }
}
