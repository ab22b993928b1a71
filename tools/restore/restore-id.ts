// A restore's id: the Step Functions execution name, tagged backup-dr:restore-id on everything the restore creates.
// Readable and unique: 8 random hex characters first (the restore's default names use the first 8 characters as
// the short id), then the source and the UTC start time, at most 80 characters of [A-Za-z0-9_-].
import { compactUtc, randomHex } from "../lib/execution-name";

/** The function's own rule (an execution name). */
export { RESTORE_ID } from "../../handlers/restore/event";

const MAX = 80;

/** e.g. `3f9a1c2e-i-0123456789abcdef0-20261202T031700Z`. */
export function newRestoreId(source: string, now: Date, random: () => string = () => randomHex(8)): string {
  const stamp = compactUtc(now);
  const prefix = random().slice(0, 8);
  const room = MAX - prefix.length - stamp.length - 2;
  const safeSource = source.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, room);
  return `${prefix}-${safeSource}-${stamp}`;
}
