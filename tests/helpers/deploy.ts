// The tests deploy a stack under mocks through the same function as `npm run bench:artifact`.
export { deployStack, type Deployed } from "../../tools/mock-program/deploy";
