// asl-validator (a pinned devDependency without type declarations), typed for the tests.
import { createRequire } from "module";

export interface AslValidation {
  isValid: boolean;
  errorsText: (separator?: string) => string;
}

const load = createRequire(__filename);

const validator = load("asl-validator") as (definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }) => AslValidation;

/**
 * Validates a States Language definition: the JSON schema, transitions, terminal states, paths. On a copy: the
 * validator writes a QueryLanguage into every state it reads.
 */
export function validateAsl(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): AslValidation {
  return validator(JSON.parse(JSON.stringify(definition)), options);
}
