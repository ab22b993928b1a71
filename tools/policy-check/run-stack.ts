// Runs the backup-dr program for one stack under the mock-program harness (its data-source answers and
// computed attributes, tools/mock-program/) with Pulumi.<stack>.yaml as the CLI passes it, and returns
// the resources as the policies see them.
import { deployStack } from "../mock-program/deploy";
import { stackValues } from "../mock-program/stacks";
import type { StackResource } from "./model";

/** `values`: the stack file's config (key -> YAML value); defaults to Pulumi.<stack>.yaml's. */
export async function runStack(stack: string, values: Record<string, unknown> = stackValues(stack)): Promise<StackResource[]> {
  return (await deployStack(stack, values)).captured;
}
