// What the engine would hand an analyzer about a resource, built from the mock monitor's registration
// request (inputs, options, provider, parent, dependencies) and its response (URN, outputs): plain data
// that the policy check evaluates and that tests can also build by hand.
import type { PolicyResourceOptions } from "@pulumi/policy";
import { decodeObject } from "./wire";

export interface StackResource {
  type: string;
  name: string;
  urn: string;
  /** What resource policies see: the inputs the program registered. */
  inputs: Record<string, unknown>;
  /** What stack policies see: the outputs (under mocks, the inputs plus what the mock computes). */
  outputs: Record<string, unknown>;
  opts: PolicyResourceOptions;
  /** URN of the provider resource the resource was registered with. */
  provider?: string;
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

interface Struct {
  toJavaScript(): Record<string, unknown>;
}

/** The fields of the monitor's RegisterResourceRequest the harness reads. */
export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getObject(): Struct | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(callback: (urns: { getUrnsList(): string[] }, key: string) => void): void };
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getDeletebeforereplace(): boolean;
}

export interface RegisterResponse {
  getUrn(): string;
  getObject(): Struct | undefined;
}

/** `urn::id` (a provider reference) -> `urn`. */
const providerUrn = (reference: string): string | undefined => (reference === "" ? undefined : reference.slice(0, reference.lastIndexOf("::")));

export function toStackResource(req: RegisterRequest, res: RegisterResponse): StackResource {
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
