/**
 * Whether a JSON record this machine keeps is its own, by the record's `seal` member
 * (kernel/hashing/seal.ts) and this machine's key (machine_key.ts). Apart from the key's module,
 * which every run loads, so that the seal's code loads only where a record is judged.
 */
import { jsonSealVerifiesAsync } from "../kernel/hashing/seal.ts";
import { ensureMachineKey } from "./machine_key.ts";

/**
 * Whether this machine sealed `text`, a JSON record whose `seal` member is its seal
 * (kernel/hashing/seal.ts): the test a record this machine keeps must pass to be the person's.
 * True where no key can be made here (then nothing is sealed, and files read as they are).
 */
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
