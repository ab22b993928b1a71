// IAM policy documents as the policies read them: a JSON string or an object, statements normalized.
export interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The statements of a policy document, or undefined when the value is not a readable document. */
export function statementsOf(document: unknown): Statement[] | undefined {
  let parsed = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document) as unknown;
    } catch {
      return undefined;
    }
  }
  if (!isObject(parsed)) return undefined;
  const statements = parsed.Statement;
  if (Array.isArray(statements)) return statements.filter(isObject);
  return isObject(statements) ? [statements] : [];
}

/** A string-or-list field as a list of strings. */
export function listOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** How a message names a statement: its Sid, else its position. */
export function statementLabel(statement: Statement, index: number): string {
  return typeof statement.Sid === "string" && statement.Sid !== "" ? `"${statement.Sid}"` : `#${index + 1}`;
}

export const isAllow = (s: Statement): boolean => s.Effect === "Allow";

/** True when the statement carries at least one condition. */
export function hasCondition(s: Statement): boolean {
  return isObject(s.Condition) && Object.values(s.Condition).some((c) => isObject(c) && Object.keys(c).length > 0);
}

/** True when a principal is everyone: `"*"`, or `{ AWS: "*" }` / `{ AWS: [..., "*"] }`. */
export function isEveryone(principal: unknown): boolean {
  if (principal === "*") return true;
  return isObject(principal) && listOf(principal.AWS).includes("*");
}

/** The value a statement's condition tests `key` against with `operator` (e.g. Bool, aws:SecureTransport). */
export function conditionValue(s: Statement, operator: string, key: string): unknown {
  const block = isObject(s.Condition) ? s.Condition[operator] : undefined;
  return isObject(block) ? block[key] : undefined;
}
