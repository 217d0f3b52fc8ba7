/**
 * `mpm doctor`'s view of the vault (pure): copies failing their checksums, transcripts it does not
 * wholly hold (with the days Claude Code's cleanup leaves them), and its size against the limit.
 */
import { byteSize } from "../../kernel/format/numbers.ts";
import { type Check, plural } from "./judge.ts";
import { shellQuote } from "../../kernel/format/text.ts";
import { smallest } from "../../kernel/lists.ts";

export interface SeenFacts {
  id: string;
  /** Claude Code still has the main transcript. */
  there: boolean;
  /** Its modification time (ISO), what Claude Code's cleanup goes by. */
  mtime: string | null;
  /** Bytes of its transcripts (subagents' included) the vault does not hold yet. */
  pending: number;
  /** The vault holds a copy (perhaps not all of it). */
  copied: boolean;
  /** The copy was dropped (prune, limit) and the transcript has not grown since. */
  dropped: boolean;
}

export interface CopyFacts {
  id: string;
  bytes: number;
  /** Why it fails its checks, or null. */
  problem: string | null;
  /** Claude Code still has the transcript, so `mpm vault sync` can copy it again. */
  sourceThere: boolean;
  /** The vault files of this copy, for the fix that removes a damaged one. */
  files: string[];
}

export interface VaultFacts {
  now: Date;
  retention: { days: number; source: string | null };
  seen: SeenFacts[];
  copies: CopyFacts[];
  limitBytes: number;
  configProblem: string | null;
}

const DAY_MS = 86_400_000;

/** Whole days before Claude Code's cleanup deletes a file last written at `mtime`. */
export function daysLeft(mtime: string | null, days: number, now: Date): number | null {
  if (mtime === null) return null;
  const deadline = Date.parse(mtime) + days * DAY_MS;
  return Math.max(0, Math.floor((deadline - now.getTime()) / DAY_MS));
}

export function vaultChecks(facts: VaultFacts): Check[] {
  const checks: Check[] = [];
  if (facts.configProblem) {
    checks.push({ id: "vault", status: "warn", message: facts.configProblem });
  }
  for (const copy of facts.copies) {
    if (copy.problem === null) continue;
    checks.push({
      id: "vault",
      status: "fail",
      message: `${copy.problem} mpm does not read it as good.`,
      fix: copy.sourceThere
        ? "mpm vault sync (copies it again from Claude Code's transcript)"
        : `Claude Code no longer has the transcript; remove the damaged copy: rm ${
          copy.files.map(shellQuote).join(" ")
        }`,
    });
  }
  const waiting = facts.seen.filter((s) => s.there && s.pending > 0 && !s.dropped);
  if (waiting.length > 0) {
    const bytes = waiting.reduce((n, s) => n + s.pending, 0);
    const left = waiting.map((s) => daysLeft(s.mtime, facts.retention.days, facts.now))
      .filter((d): d is number => d !== null);
    const soonest = left.length ? smallest(left) : null;
    const setting = facts.retention.source === null
      ? `cleanupPeriodDays ${facts.retention.days}, Claude Code's default`
      : `cleanupPeriodDays ${facts.retention.days} in ${facts.retention.source}`;
    const notCopied = waiting.filter((s) => !s.copied).length;
    const what = notCopied === waiting.length
      ? `${plural(waiting.length, "transcript")} the hooks saw ${
        waiting.length === 1 ? "is" : "are"
      } not in the vault`
      : `${plural(waiting.length, "transcript")} the hooks saw ${
        waiting.length === 1 ? "is" : "are"
      } not wholly in the vault`;
    const when = soonest === null
      ? ""
      : soonest === 0
      ? "; Claude Code's cleanup deletes the oldest at its next start"
      : `; Claude Code's cleanup deletes the oldest in ${plural(soonest, "day")}`;
    checks.push({
      id: "vault",
      status: "warn",
      message: `${what} (${byteSize(bytes)} to copy)${when} (${setting}).`,
      fix: "mpm vault sync (or mpm doctor --fix)",
    });
  }
  const lost = facts.seen.filter((s) => !s.there && !s.copied);
  if (lost.length > 0) {
    checks.push({
      id: "vault",
      status: "info",
      message: `${plural(lost.length, "transcript")} the hooks saw ${
        lost.length === 1 ? "was" : "were"
      } gone from Claude Code before mpm could copy ${lost.length === 1 ? "it" : "them"}.`,
    });
  }
  const good = facts.copies.filter((c) => c.problem === null);
  if (good.length > 0 && !checks.some((c) => c.status === "fail" || c.status === "warn")) {
    const held = good.reduce((n, c) => n + c.bytes, 0);
    checks.push({
      id: "vault",
      status: "ok",
      message: `Vault: ${plural(good.length, "transcript")}, ${byteSize(held)} of ${
        byteSize(facts.limitBytes)
      }, every segment verified; all the hooks saw is copied.`,
    });
  }
  return checks;
}

/** What `mpm doctor --fix` did to the vault (`mpm vault sync`), as one check. */
export function vaultFixCheck(report: {
  copied: { bytes: number }[];
  repaired: string[];
  damaged: unknown[];
  busy: boolean;
  messages: string[];
}): Check {
  if (report.busy) {
    return { id: "vault-fix", status: "info", message: `--fix: ${report.messages.join(" ")}` };
  }
  const bytes = report.copied.reduce((n, c) => n + c.bytes, 0);
  const parts = [
    report.copied.length > 0
      ? `copied ${plural(report.copied.length, "transcript")} into the vault (${byteSize(bytes)})`
      : "the vault was already up to date",
    ...(report.repaired.length > 0
      ? [`copied ${plural(report.repaired.length, "damaged copy", "damaged copies")} again`]
      : []),
  ];
  return {
    id: "vault-fix",
    status: "ok",
    message: `--fix: ${parts.join(", ")}.${
      report.messages.length ? " " + report.messages.join(" ") : ""
    }`,
  };
}
