// Fake AWS actions the DR copy function needs (filled in with the copy function's tests).
import type { FakeActions } from "./aws-fake-extensions";

export const COPY_ACTIONS: FakeActions = { ec2: {}, rds: {} };
