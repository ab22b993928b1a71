// A drill's id: the Step Functions execution name, tagged backup-dr:drill-id on everything its restores create (each
// restore's id is `<drillId>-r<n>`). Readable and unique: `drill-`, the UTC start, 4 random hex characters; 27
// characters, well inside MAX_DRILL_ID.
import { MAX_DRILL_ID } from "../../handlers/drill/contract";
import { compactUtc, randomHex } from "../lib/execution-name";

/** e.g. `drill-20261202T031700Z-3f9a`. */
export function newDrillId(now: Date, random: () => string = () => randomHex(4)): string {
  const id = `drill-${compactUtc(now)}-${random().slice(0, 4)}`;
  if (id.length > MAX_DRILL_ID || !/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`not a drill id: ${id}`);
  return id;
}
