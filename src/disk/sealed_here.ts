/** Whether a JSON record this machine keeps is its own, by its `seal` member and the machine key. */
import { jsonSealVerifiesAsync } from "../kernel/hashing/seal.ts";
import { ensureMachineKey } from "./machine_key.ts";

/** Whether this machine sealed `text`; true where no key can be made (nothing is sealed then). */
export async function jsonSealedHere(text: string): Promise<boolean> {
  // Made now where there is none: without one, a clone's record would be read as it is.
  const key = await ensureMachineKey();
  if (key === null) return true;
  let seal: unknown;
  try {
    seal = (JSON.parse(text) as { seal?: unknown } | null)?.seal;
  } catch {
    // A file this machine sealed is JSON: changed bytes break the seal anyway.
    return false;
  }
  return await jsonSealVerifiesAsync(text, seal, key);
}
