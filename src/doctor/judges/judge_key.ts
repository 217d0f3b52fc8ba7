/**
 * `mpm doctor` on this machine's key: without it nothing is sealed as the person's, and a key git
 * can see may be committed, letting whoever reads it seal records as theirs. Pure.
 */
import { dirname, join } from "../../kernel/path.ts";
import { machineKeyMissing } from "../../kernel/errors.ts";
import { shellQuote } from "../../kernel/format/text.ts";
import type { Check } from "./judge.ts";

/** What the probe found of the key (`disk/machine_key.ts`). */
export interface KeyProbe {
  /** The key file; null without a home folder. */
  file: string | null;
  /** Whether a usable key is there. */
  present: boolean;
  /** Where it is not: what making a file where it would be made threw, if anything. */
  failure?: unknown;
  /** Whether the key's folder holds a `.gitignore`. */
  ignored: boolean;
  /** The git work tree the key's folder lies in, looked for only when it holds no `.gitignore`. */
  repository?: string;
}

/** One check: fail where no key can be made, warn when git could commit it, else where it is. */
export function keyCheck(probe: KeyProbe): Check {
  if (probe.file === null || (!probe.present && probe.failure !== undefined)) {
    const missing = machineKeyMissing(probe.file, probe.failure);
    return { id: "machine-key", status: "fail", message: missing.message, fix: missing.hint };
  }
  if (!probe.present) {
    return {
      id: "machine-key",
      status: "info",
      message:
        `This machine has no key yet: the first command that seals makes it at ${probe.file}.`,
    };
  }
  if (!probe.ignored && probe.repository !== undefined) {
    return {
      id: "machine-key",
      status: "warn",
      message: `This machine's key ${probe.file} lies in the git work tree ${probe.repository} ` +
        "with no .gitignore beside it: `git add -A` there would commit it, and whoever has it " +
        "can seal records as yours.",
      fix: `printf '*\\n' > ${shellQuote(join(dirname(probe.file), ".gitignore"))}`,
    };
  }
  return { id: "machine-key", status: "ok", message: `This machine's key: ${probe.file}.` };
}
