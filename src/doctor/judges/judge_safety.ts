/** `mpm doctor`'s safety checks: links out, leftover temp files, secret-looking names. Pure. */
import { holdsSecret } from "../../kernel/safe_text/record_text.ts";
import type { Snapshot } from "../../kernel/snapshot.ts";
import type { Check } from "./judge.ts";
import { shellQuote } from "../../kernel/format/text.ts";

export function linkedStoreCheck(base: string, target: string): Check {
  return {
    id: "symlinks",
    status: "fail",
    message:
      `${base} is a symbolic link to ${target}, outside the project; every mpm command refuses it.`,
    fix: `Remove the link (what it points to is kept): rm ${shellQuote(base)}`,
  };
}

const SHOWN = 10;

/** Temp files of atomic writes whose writer is gone (disk/sweep.ts decides which). */
export function leftoverCheck(paths: readonly string[]): Check | undefined {
  if (paths.length === 0) return undefined;
  const n = paths.length;
  return {
    id: "leftovers",
    status: "warn",
    message: `${n} temp file${n === 1 ? "" : "s"} left by interrupted mpm commands ${
      n === 1 ? "is" : "are"
    } under .claude-mpm/ (the next command that finds a crashed one's lock removes them).`,
    fix: `rm ${paths.map(shellQuote).join(" ")}`,
  };
}

/** The names a snapshot stores as they are: redacting them would break resume and return. */
function storedNames(snapshot: Snapshot): { field: string; value: string }[] {
  const git = snapshot.git_context;
  const names = [{ field: "project path", value: snapshot.project_path }];
  if (!git) return names;
  if (git.branch) names.push({ field: "branch", value: git.branch });
  if (git.upstream) names.push({ field: "upstream", value: git.upstream });
  const { status } = git;
  const paths = [
    ...status.modified,
    ...status.staged,
    ...status.untracked,
    ...status.deleted,
    ...status.conflicted,
    ...status.renamed.flatMap((r) => [r.from, r.to]),
  ];
  for (const path of paths) names.push({ field: "file path", value: path });
  return names;
}

/** Snapshots whose names redact differently: named, never printed (`mpm sync push` holds them). */
export function secretNameCheck(
  snapshots: readonly { id: string; snapshot: Snapshot }[],
): Check | undefined {
  const found: string[] = [];
  for (const { id, snapshot } of snapshots) {
    const fields = new Set(
      storedNames(snapshot).filter((n) => holdsSecret(n.value)).map((n) => n.field),
    );
    if (fields.size > 0) found.push(`${id} (${[...fields].join(", ")})`);
  }
  if (found.length === 0) return undefined;
  const shown = found.slice(0, SHOWN).join(", ") +
    (found.length > SHOWN ? `, and ${found.length - SHOWN} more` : "");
  return {
    id: "secrets",
    status: "warn",
    message: `${found.length} snapshot${
      found.length === 1 ? " records" : "s record"
    } a name that looks like a secret, kept as is so resume works and never pushed by \`mpm sync push\`: ${shown}.`,
    fix: "Rename the branch (git branch -m) or file; pauses after that record the new name.",
  };
}
