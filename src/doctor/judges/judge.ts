/** `mpm doctor`'s judgement, without I/O: what the probes found in, checks with their fixes out. */
import type { Style } from "../../kernel/format/style.ts";
import { shellQuote } from "../../kernel/format/text.ts";

export type CheckStatus = "ok" | "warn" | "fail" | "info";

export interface Check {
  /** Stable per kind of check ("permissions", "checksums", "hooks", …); several may share one. */
  id: string;
  status: CheckStatus;
  message: string;
  /** A command or step that fixes it. */
  fix?: string;
}

/** All is well when nothing failed; warnings and notes do not change the exit code. */
export function isHealthy(checks: readonly Check[]): boolean {
  return checks.every((check) => check.status !== "fail");
}

export function octal(mode: number): string {
  return "0" + (mode & 0o777).toString(8).padStart(3, "0");
}

// ---------------------------------------------------------------------------------------------
// Permissions

export interface TreeNode {
  /** Path inside `.claude-mpm/`, "/"-separated; "" for the folder itself. */
  rel: string;
  /** The absolute path, for the fix. */
  path: string;
  kind: "dir" | "file" | "symlink" | "other";
  /** Permission bits (lstat's mode & 0o777). */
  mode: number;
  /** For a symlink: where it leads (resolved), and whether that is inside `.claude-mpm/`. */
  target?: string;
  inside?: boolean;
}

/** Shipped hook scripts are run by Claude Code, so they alone are executable. */
export const HOOK_SCRIPT_FILES = new Set([
  "hooks/pre-session.sh",
  "hooks/post-session.sh",
  "hooks/checkpoint.sh",
  "hooks/on-error.sh",
]);

export function expectedMode(node: Pick<TreeNode, "rel" | "kind">): number | undefined {
  if (node.kind === "dir") return 0o700;
  if (node.kind === "file") return HOOK_SCRIPT_FILES.has(node.rel) ? 0o700 : 0o600;
  return undefined;
}

function shownPath(node: TreeNode): string {
  return node.rel === "" ? ".claude-mpm/" : `.claude-mpm/${node.rel}`;
}

const SHOWN_PER_CHECK = 10;

/** One failing check per kind of offender by mode, one per symlink leaving `.claude-mpm/`. */
export function permissionChecks(nodes: readonly TreeNode[]): Check[] {
  const checks: Check[] = layoutChecks(nodes);
  nodes = nodes.filter((node) => !misplaced(node));
  const groups: { what: string; mode: number; nodes: TreeNode[] }[] = [
    { what: "folder", mode: 0o700, nodes: [] },
    { what: "file", mode: 0o600, nodes: [] },
    { what: "hook script", mode: 0o700, nodes: [] },
  ];
  for (const node of nodes) {
    const wanted = expectedMode(node);
    if (wanted === undefined || node.mode === wanted) continue;
    const group = node.kind === "dir" ? 0 : HOOK_SCRIPT_FILES.has(node.rel) ? 2 : 1;
    groups[group].nodes.push(node);
  }
  for (const { what, mode, nodes: offenders } of groups) {
    if (offenders.length === 0) continue;
    const named = offenders.slice(0, SHOWN_PER_CHECK).map((n) =>
      `${shownPath(n)} (${octal(n.mode)})`
    );
    if (offenders.length > SHOWN_PER_CHECK) {
      named.push(`and ${offenders.length - SHOWN_PER_CHECK} more`);
    }
    const subject = offenders.length === 1
      ? `The ${what} ${named[0]} is not ${octal(mode)}`
      : `${offenders.length} ${what}s are not ${octal(mode)}: ${named.join(", ")}`;
    checks.push({
      id: "permissions",
      status: "fail",
      message: `${subject}; mpm keeps ${what}s under .claude-mpm/ ${octal(mode)}${
        what === "hook script" ? " (executable by you alone)" : " (yours alone)"
      }.`,
      fix: `chmod ${(mode & 0o777).toString(8)} ${
        offenders.map((n) => shellQuote(n.path)).join(" ")
      }`,
    });
  }
  for (const node of nodes) {
    if (node.kind !== "symlink" || node.inside !== false) continue;
    checks.push({
      id: "symlinks",
      status: "fail",
      message: `${shownPath(node)} is a symbolic link to ${
        node.target ?? "somewhere"
      }, outside .claude-mpm/; mpm refuses to write through it.`,
      fix: `Remove the link (the file it points to is kept): rm ${shellQuote(node.path)}`,
    });
  }
  if (checks.length === 0 && nodes.length > 0) {
    checks.push({
      id: "permissions",
      status: "ok",
      message: `Permissions: ${nodes.length} entries under .claude-mpm/, folders 0700, files 0600.`,
    });
  }
  return checks;
}

/**
 * What `mpm doctor --fix` sets back to mpm's modes: every folder and file whose mode differs, where
 * mpm keeps one of its kind; folders first, outermost first, so each is the person's alone before
 * anything in it is changed.
 */
export function modeFixes(
  nodes: readonly TreeNode[],
): { path: string; kind: "dir" | "file"; mode: number }[] {
  const depth = (node: TreeNode) => node.rel === "" ? 0 : node.rel.split("/").length;
  return nodes.filter((node) => !misplaced(node))
    .flatMap((node) => {
      const mode = expectedMode(node);
      return (node.kind === "dir" || node.kind === "file") && mode !== undefined &&
          node.mode !== mode
        ? [{ node, kind: node.kind, mode }]
        : [];
    })
    .sort((a, b) =>
      (a.kind === b.kind ? 0 : a.kind === "dir" ? -1 : 1) || depth(a.node) - depth(b.node)
    )
    .map(({ node, kind, mode }) => ({ path: node.path, kind, mode }));
}

/** What `--fix` did to the modes: how many it set, and those it left (not what the scan saw). */
export function modesFixCheck(set: number, left: number): Check {
  const entries = (n: number) => `${n} ${n === 1 ? "entry" : "entries"}`;
  return {
    id: "permissions-fix",
    status: left === 0 ? "ok" : "fail",
    message: `--fix: set ${entries(set)} under .claude-mpm/ back to 0700 (folders) and 0600 ` +
      `(files)${left === 0 ? "" : `; ${entries(left)} changed meanwhile, left as they are`}.`,
  };
}

/** The folders under `.claude-mpm/`: anything else in one's place stops every command there. */
const STORE_FOLDERS = new Set([
  "",
  "sessions",
  "sessions/archive",
  "sessions/pause",
  "checkpoints",
  "hooks",
  "templates",
  "errors",
  "threads",
  "vault",
  "backups",
  "cache",
  "hooks-state",
  "handoffs",
  "handoffs/given",
  "spool",
]);

function misplaced(node: TreeNode): boolean {
  return (STORE_FOLDERS.has(node.rel) && node.kind !== "dir" && node.kind !== "symlink") ||
    node.kind === "other";
}

/** A non-folder where mpm keeps a folder, and any FIFO, socket or device anywhere. */
function layoutChecks(nodes: readonly TreeNode[]): Check[] {
  return nodes.filter(misplaced).map((node): Check => {
    const shown = shownPath(node).replace(/\/$/, "");
    if (!STORE_FOLDERS.has(node.rel)) {
      return {
        id: "layout",
        status: "fail",
        message: `${shown} is not a regular file (a FIFO, a socket or a device): mpm reads and ` +
          "writes only regular files there, and refuses this one.",
        fix: `Remove it (mpm writes the file again where it keeps one): rm ${
          shellQuote(node.path)
        }`,
      };
    }
    return {
      id: "layout",
      status: "fail",
      message: `${shown} is a ${
        node.kind === "file" ? "file" : "special file"
      } where mpm keeps a folder: no command can read or write what belongs in it.`,
      fix: `Move it away (mpm makes the folder again): mv ${shellQuote(node.path)} ${
        shellQuote(`${node.path}.moved`)
      }`,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The report

export interface DoctorReport {
  ok: boolean;
  version: { version: string; build: string; target: string; deno: string };
  executable: { path: string; main_module: string };
  project_root: string;
  checks: Check[];
}

const MARK: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗", info: "·" };

export function renderDoctor(report: DoctorReport, s: Style): string {
  const paint: Record<CheckStatus, (t: string) => string> = {
    ok: s.green,
    warn: s.yellow,
    fail: s.red,
    info: s.dim,
  };
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${paint[check.status](MARK[check.status])} ${check.message}`);
    if (check.fix && check.status !== "ok") lines.push(`    ${s.dim("fix:")} ${check.fix}`);
  }
  const count = (status: CheckStatus) => report.checks.filter((c) => c.status === status).length;
  const failed = count("fail");
  const warned = count("warn");
  lines.push("");
  if (failed > 0) {
    lines.push(
      s.red(`${plural(failed, "problem")} found`) +
        (warned > 0 ? `, and ${plural(warned, "warning")}` : "") + ".",
    );
  } else if (warned > 0) lines.push(s.yellow(`All is well, with ${plural(warned, "warning")}.`));
  else lines.push(s.green("All is well."));
  return lines.join("\n") + "\n";
}

/** `1 day`, `3 days`: a count and its noun. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
