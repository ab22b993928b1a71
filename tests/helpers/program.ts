// The tests run the program through the same mock-program harness as the offline policy check.
export { ACCOUNT_ID, promiseOf, runProgram, type ProgramRun, type Registered, type StackResource } from "../../tools/mock-program/program";
