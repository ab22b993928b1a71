// Lint rules for the program, handlers, policies and tests: typed rules, no `any`, no `!`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "bin/**", "policies/node_modules/**", "eslint.config.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/explicit-module-boundary-types": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    // Handlers are serialized by Pulumi, whose closure serializer breaks subclasses of built-ins such as
    // Error (the deployed object has no name and no message): build named errors with handlers/lib/errors.ts.
    files: ["handlers/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "ClassDeclaration[superClass], ClassExpression[superClass]", message: "Pulumi cannot serialize subclasses of built-ins; use a factory (see handlers/lib/errors.ts)." },
      ],
    },
  },
  {
    // chai's property assertions (`expect(x).to.be.true`) read as unused expressions.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
);
