/** `mpm doctor` on where mpm cannot write: one failing check per cause. Pure. */
import { shellQuote } from "../../kernel/format/text.ts";
import type { Check } from "./judge.ts";

/** A folder under `.claude-mpm/` where the probe's file could not be made, or not removed. */
export interface WriteProbe {
  /** Its path inside `.claude-mpm/`, "/"-separated; "" for the folder itself. */
  rel: string;
  /** Its absolute path, for the fix. */
  path: string;
  /** The system's code (EROFS, EACCES, EPERM…), null for anything else. */
  code: string | null;
  /** The failure in one sentence. */
  text: string;
  /** What mpm says to do of that fault elsewhere (kernel/errors.ts), where it has a word. */
  hint?: string;
  /** The probe file made but not removed: the folder lets files be added, not removed. */
  left?: string;
}

const SHOWN = 10;

function shown(probe: WriteProbe): string {
  return probe.rel === "" ? ".claude-mpm/" : `.claude-mpm/${probe.rel}`;
}

function named(probes: readonly WriteProbe[]): string {
  const names = probes.slice(0, SHOWN).map(shown);
  if (probes.length > SHOWN) names.push(`and ${probes.length - SHOWN} more`);
  return names.join(", ");
}

const quoted = (probes: readonly WriteProbe[]) => probes.map((p) => shellQuote(p.path)).join(" ");

const SAVES = "so every command that saves (pause, todo, checkpoint, handoff…) fails";

/** Each cause: what it is, in words, and the fix for `probes`. */
const CAUSES: Record<string, { why: string; fix: (probes: readonly WriteProbe[]) => string }> = {
  EROFS: {
    why: "the file system is read-only",
    fix: () => "Remount it read-write, or work in a copy of the project that can be written.",
  },
  EACCES: {
    why: "permission was denied (`ls -ld` shows the owner and mode)",
    fix: (p) =>
      `Make ${p.length === 1 ? "it" : "them"} yours and writable: sudo chown -R "$(id -un)" ${
        quoted(p)
      }; chmod 700 ${quoted(p)}`,
  },
  ENOSPC: {
    why: "the disk is full",
    fix: () => "Free some space on that disk.",
  },
  EDQUOT: {
    why: "your disk quota is used up",
    fix: () => "Free some space within your quota.",
  },
  EPERM: {
    why:
      "the system does not permit it: an immutable or append-only flag (`lsattr -d` shows i or a)",
    fix: (p) => `Take the flag off, as root: chattr -i -a ${quoted(p)}`,
  },
};

/** The probe's file and its temp file (`.NAME.PID.RANDOM.tmp`) left behind, as a glob. */
function leftovers(probe: WriteProbe): string {
  const at = Math.max(probe.left!.lastIndexOf("/"), probe.left!.lastIndexOf("\\")) + 1;
  const temp = `${probe.left!.slice(0, at)}.${probe.left!.slice(at)}`;
  return `${shellQuote(probe.left!)} ${shellQuote(temp)}.*.tmp`;
}

/** The failing checks for what the probe found; none when every folder can be written. */
export function writableChecks(probes: readonly WriteProbe[]): Check[] {
  const checks: Check[] = [];
  const stuck = probes.filter((p) => p.left !== undefined);
  const groups = new Map<string, WriteProbe[]>();
  for (const probe of probes) {
    if (probe.left !== undefined) continue;
    const key = probe.code ?? `other:${probe.text}`;
    groups.set(key, [...(groups.get(key) ?? []), probe]);
  }
  for (const [key, group] of groups) {
    const cause = Object.hasOwn(CAUSES, key) ? CAUSES[key] : undefined;
    const one = group.length === 1;
    const where = `mpm cannot write in ${named(group)}`;
    checks.push({
      id: "writable",
      status: "fail",
      message: cause
        ? `${where}: ${cause.why}, ${SAVES} there.`
        : `${where} (${one ? group[0].text.replace(/\.$/, "") : group[0].code}), ${SAVES} there.`,
      fix: cause ? cause.fix(group) : group[0].hint ??
        `Make ${one ? "it" : "them"} writable by you (\`ls -ld\` shows the owner and mode).`,
    });
  }
  if (stuck.length > 0) {
    checks.push({
      id: "writable",
      status: "fail",
      message:
        `mpm can add files to ${
          named(stuck)
        } but not remove or replace them (an append-only flag: \`lsattr -d\` shows a), ${SAVES} ` +
        "there; doctor's probe file could not be removed either.",
      fix: `As root: chattr -a ${quoted(stuck)}; then rm -f ${stuck.map(leftovers).join(" ")}`,
    });
  }
  return checks;
}
