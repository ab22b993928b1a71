// Fake AWS actions the cleanup function needs (filled in with the cleanup function's tests).
import type { FakeActions } from "./aws-fake-extensions";

export const CLEANUP_ACTIONS: FakeActions = { ec2: {}, rds: {} };
