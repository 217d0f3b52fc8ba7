/** `mpm list`: the project's snapshots, newest first. */
import { ago, oneLine, shortTime } from "./render_report.ts";
import { style } from "../kernel/style.ts";
import { listEntries } from "./store.ts";
import { displayPath } from "./store.ts";
import { boolFlag, type Command, intFlag, type Parsed } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { loadEach, openProject } from "./project.ts";

const DEFAULT_LIMIT = 20;

export const listFlags = [
  {
    name: "limit",
    value: "N",
    description: `Show at most N sessions (default ${DEFAULT_LIMIT}; 0 for all).`,
  },
  { name: "all", description: "Include archived sessions, and show all unless --limit is given." },
  { name: "json", description: "Print the list as JSON." },
];

export async function runList(env: Env, parsed: Parsed) {
  const project = await openProject(env);
  const all = boolFlag(parsed, "all") ?? false;
  const limit = intFlag(parsed, "limit") ?? (all ? 0 : DEFAULT_LIMIT);
  const entries = await listEntries(project.paths, {
    locations: all ? ["sessions", "pause", "archive"] : ["sessions", "pause"],
  });
  const shown = limit === 0 ? entries : entries.slice(0, limit);
  const loaded = await loadEach(project, shown);
  const bad = loaded.filter((l) => l.error);
  for (const l of bad) env.warn(`mpm: ${l.error!.message}`);
  if (boolFlag(parsed, "json")) {
    return json(loaded.map((l) => ({
      index: l.index,
      session_id: l.entry.id,
      paused_at: l.snapshot?.paused_at ?? null,
      summary: l.snapshot?.conversation.summary ?? null,
      file: displayPath(project.paths, l.entry.file),
      state: l.snapshot
        ? (l.entry.location === "archive" ? "archived" : l.snapshot.mpm.state)
        : "invalid",
      ...(l.error ? { error: l.error.message } : {}),
    })));
  }
  if (entries.length === 0) {
    return text(['No paused sessions yet. Save one with: mpm pause -s "what you are doing"']);
  }
  const s = style(env.color);
  const now = env.now();
  const lines = [s.bold(`Sessions in ${project.root} (newest first):`), ""];
  for (const l of loaded) {
    if (!l.snapshot) {
      lines.push(
        `  [${l.index}] ${s.red(l.entry.id)} ${s.red("✗ unreadable")}: ${l.error!.message}`,
        "",
      );
      continue;
    }
    const snap = l.snapshot;
    const tags = [
      snap.mpm.name ? snap.mpm.name : "",
      snap.mpm.state !== "paused" ? snap.mpm.state : "",
      l.entry.location === "archive" ? "archived" : "",
      l.entry.location === "pause" ? "legacy" : "",
    ].filter(Boolean);
    const when = `${shortTime(snap.paused_at)} (${ago(new Date(snap.paused_at), now)})`;
    lines.push(
      `  [${l.index}] ${s.cyan(l.entry.id)} - ${when}${tags.length ? ` [${tags.join(", ")}]` : ""}`,
    );
    // A summary of several lines (claude-mpm's markdown sessions have them) stays one row.
    lines.push(`      ${oneLine(snap.conversation.summary)}`, "");
  }
  if (shown.length < entries.length) {
    lines.push(`  … and ${entries.length - shown.length} older (use --limit 0 to see all).`, "");
  }
  lines.push("Resume one with: mpm resume N (or its id)");
  return text(lines);
}

export const listCommand: Command = {
  name: "list",
  summary: "List paused sessions, newest first (the same as `mpm resume --list`).",
  flags: listFlags,
  examples: ["mpm list", "mpm list --limit 5 --json"],
  run: runList,
};
