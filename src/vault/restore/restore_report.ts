/** A restore's report: what was written, from whom, and the command that continues it. */
import { style } from "../../kernel/format/style.ts";
import { printable } from "../../kernel/format/text.ts";
import type { Env } from "../../cli/env.ts";
import type { RestoreReport } from "./restore_types.ts";

/** The report as lines: what was written, from where, and the command to continue. */
export function restoreLines(env: Env, report: RestoreReport): string[] {
  const s = style(env.color);
  const from = report.origin === "here"
    ? "this vault's own copy"
    : report.origin === "you"
    ? `your copy from another machine (${printable(report.sender ?? "")})`
    : report.origin === "elsewhere"
    ? "a copy this machine's mpm did not write"
    : `a teammate's copy (${printable(report.sender ?? "unknown author")})`;
  const lines = [
    report.status === "already"
      ? `${s.green("✓")} Claude Code already has Claude session ${report.id} as the vault holds it.`
      : report.status === "dry-run"
      ? s.bold(`Would restore Claude session ${report.id} (${from}):`)
      : `${s.green("✓")} Restored Claude session ${report.id} (${from}).`,
    `  Transcript: ${printable(report.transcript)}`,
  ];
  if (report.moved.from !== report.moved.to) {
    lines.push(`  Paths:      ${printable(report.moved.from)} → ${printable(report.moved.to)}`);
  }
  if (report.claude_config) {
    lines.push(
      `  Claude:     ${printable(report.claude_config.from)} → ${
        printable(report.claude_config.to)
      }`,
    );
  }
  const subagents = report.files.length - 1;
  if (subagents > 0) lines.push(`  Subagents:  ${subagents} transcript(s) beside it`);
  lines.push("", `Continue it with: ${printable(report.command)}`);
  return lines;
}
