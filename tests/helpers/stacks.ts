// The tests read stack files the way the offline policy check does.
export { ROOT, asCliConfig, stackFiles, stackValues } from "../../tools/mock-program/stacks";
