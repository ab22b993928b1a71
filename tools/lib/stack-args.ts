// `--stack <stack>`, which every operator command takes: a Pulumi stack name, plain or fully qualified (org/project/stack).

const STACK = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

/** The problems of `--stack` (none when fine). */
export function stackProblems(stack: string | undefined): string[] {
  if (stack === undefined) return ["--stack: required (the Pulumi stack, e.g. prod)"];
  return STACK.test(stack) ? [] : [`--stack: ${JSON.stringify(stack)} is not a stack name`];
}
