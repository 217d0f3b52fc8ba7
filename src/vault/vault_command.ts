/**
 * `mpm vault list | show | prune | sync`: mpm's copies of agent transcripts, kept past Claude
 * Code's cleanup. What kept snapshots point to is handed in by the registry.
 */
import { agentLabel, agentOf } from "../kernel/agent_name.ts";
import { agentNamed } from "../agents/agent.ts";
import { IntegrityError, UsageError } from "../kernel/errors.ts";
import { byteSize } from "../kernel/format/numbers.ts";
import { style } from "../kernel/format/style.ts";
import { printable } from "../kernel/format/text.ts";
import { findProjectRoot, type ProjectPaths, projectPaths } from "../disk/paths.ts";
import { boolFlag, type Command, type Declared, intFlag, type Parsed } from "../cli/command.ts";
import { type Env, homeDir } from "../cli/env.ts";
import { withProgress } from "../cli/progress.ts";
import { json, text } from "../cli/output.ts";
import { lastActivity, mainKey, type Manifest, rawBytes, storedBytes } from "./records/manifest.ts";
import { type KeptReferences, planPrune } from "./copy/plan.ts";
import {
  checkVaultId,
  listVault,
  pickEntry,
  readManifest,
  sealedHere,
  verifyCopy,
} from "./records/store.ts";
import { claudeStillHas, vaultedLines } from "./records/read.ts";
import { dropCopy, syncVaultFully, withVaultLock } from "./copy/copy.ts";
import type { VaultReport } from "./copy/vault_run.ts";
import { readVaultConfig } from "./copy/config.ts";

export interface VaultServices {
  /** What the kept snapshots point to (src/sessions/store/archive/references.ts). */
  keptReferences: (paths: ProjectPaths) => Promise<KeptReferences>;
}

async function open(env: Env) {
  const root = await findProjectRoot(env.cwd);
  const paths = projectPaths(root);
  return { root, paths };
}

const DAY_MS = 86_400_000;

/** One copy as `list --json` and `show --json` give it. */
async function describe(env: Env, root: string, m: Manifest) {
  const key = mainKey(m);
  const has = await claudeStillHas(m, root, homeDir(env), env.vars);
  return {
    id: m.claude_session_id,
    /** Whose conversation: claude-code, codex or gemini. */
    agent: agentOf(m.agent),
    state: m.dropped ? "dropped" : "held",
    session: key,
    keys: m.keys,
    first_entry: m.first_entry,
    last_entry: m.last_entry,
    last_vaulted: m.last_vaulted,
    transcripts: m.files.length,
    lines: m.files.reduce((n, f) => n + f.lines, 0),
    bytes: storedBytes(m),
    raw_bytes: rawBytes(m),
    claude_has_it: has,
    // Continued with its own agent's command: a Codex or Gemini conversation is not Claude's.
    open: has
      ? agentNamed(agentOf(m.agent)).continueCommand(m.claude_session_id)
      : key
      ? `mpm replay ${key}`
      : null,
    cut: m.files.flatMap((f) => f.cut ? [f.cut] : []),
    dropped: m.dropped,
    imported: m.imported ?? null,
    /** Whether this machine's mpm wrote the record (its seal checks out). */
    sealed: sealedHere(m),
  };
}

type Described = Awaited<ReturnType<typeof describe>>;

function isCopy(
  d: Described | { id: string; state: string; error: string | null },
): d is Described {
  return d.state !== "damaged";
}

function when(iso: string | null): string {
  return iso === null ? "no entries" : iso.replace("T", " ").slice(0, 16) + " UTC";
}

const list: Command = {
  name: "list",
  summary: "List the transcripts the vault holds, newest first.",
  json: `- \`mpm vault list --json\`:
  \`[{"id", "agent", "state", "session", "keys", "first_entry", "last_entry",
  "last_vaulted", "transcripts", "lines", "bytes", "raw_bytes", "claude_has_it", "open", "cut",
  "dropped", "imported", "sealed"}]\`,
  latest first; \`agent\` is whose conversation (\`claude-code\`, \`codex\`, \`gemini\`), \`claude_has_it\`
  whether that agent still has it here, \`open\` its own command to continue it (\`claude --resume\`,
  \`codex resume\`, \`gemini -r\`) while it does, else \`mpm replay SESSION\`; \`state\` is \`held\` or (with
  \`--all\`) \`dropped\`; \`sealed\` is whether this machine's mpm wrote the record (its \`seal\` checks
  out); a record that does not parse is \`{"id", "state": "damaged", "error"}\`. \`bytes\` is what its
  files hold, \`raw_bytes\` decompressed.`,
  flags: [
    { name: "all", description: "Also list copies dropped by prune or the size limit." },
    { name: "json", description: "Print the list as JSON." },
  ],
  run: async (env, parsed) => {
    const { root, paths } = await open(env);
    const entries = (await listVault(paths)).filter((e) =>
      boolFlag(parsed, "all") || !e.manifest?.dropped
    );
    entries.sort((a, b) => {
      const [x, y] = [
        a.manifest ? lastActivity(a.manifest) : "",
        b.manifest ? lastActivity(b.manifest) : "",
      ];
      return x < y ? 1 : x > y ? -1 : 0;
    });
    const described = await Promise.all(
      entries.map(async (e) =>
        e.manifest
          ? await describe(env, root, e.manifest)
          : { id: e.id, state: "damaged", error: e.error?.message ?? null }
      ),
    );
    if (boolFlag(parsed, "json")) return json(described);
    const config = await readVaultConfig(paths);
    if (described.length === 0) {
      return text(
        "The vault holds no transcripts yet: mpm copies each Claude Code transcript its hooks see " +
          "at every pause and SessionEnd (`mpm vault sync` copies them now).",
      );
    }
    const s = style(env.color);
    const lines = [s.bold("Transcripts in the vault (newest first):"), ""];
    let held = 0;
    for (const d of described) {
      if (!isCopy(d)) {
        lines.push(`  ${s.red(d.id)}  ${s.red("✗ damaged")}: ${printable(d.error ?? "")}`);
        continue;
      }
      held += d.bytes;
      const subagents = d.transcripts > 1 ? `, ${d.transcripts - 1} subagent(s)` : "";
      // A pulled copy was never in this Claude Code; another agent's is its own to have.
      const agent = agentLabel(d.agent);
      const state = d.state === "dropped"
        ? s.dim(`dropped (${d.dropped?.reason})`)
        : !d.sealed
        ? s.yellow("not written by this machine's mpm (a clone's)")
        : d.imported
        ? `pulled from ${printable(d.imported.from)}` +
          (d.claude_has_it ? `, in ${agent} here too` : `, not in ${agent} here`)
        : d.claude_has_it
        ? `${agent} still has it`
        : s.yellow(`gone from ${agent}: the vault's is the only copy`);
      lines.push(
        `  ${s.cyan(d.id)}  ${when(d.last_entry)}  ${d.session ?? "no session"}`,
        `      ${d.lines} lines${subagents}, ${byteSize(d.bytes)} · ${state}`,
      );
      if (d.cut.length) lines.push(s.yellow(`      ! ${printable(d.cut.join(" "))}`));
    }
    lines.push(
      "",
      `${described.length} transcript(s), ${byteSize(held)} of the vault's ${
        byteSize(config.limitBytes)
      }.`,
      "Show one with: mpm vault show ID",
    );
    return text(lines);
  },
};

const show: Command = {
  name: "show",
  summary: "Show one vaulted transcript, checked against its checksums.",
  json:
    `- \`mpm vault show ID --json\`: the same, plus \`"verified"\`, \`"problem"\` (why the copy fails its
  checksums, else \`null\`; exit 4 then) and
  \`"files": [{"source", "data", "lines", "source_bytes",
  "segments", "partial_bytes", "skipped_lines", "cut"}]\`.
  \`--jsonl\` prints the copied main transcript itself.`,
  details: `ID is a Claude Code session id, or its first characters (at least four). Every
segment of the copy is checked against its sha256; a damaged copy is named and exits 4.
--jsonl prints the main transcript itself, redacted, one JSON line per entry.`,
  args: [{ name: "ID", description: "The Claude Code session id (or its start)." }],
  flags: [
    { name: "jsonl", description: "Print the copied transcript (JSONL) instead." },
    { name: "json", description: "Print the details as JSON." },
  ],
  examples: ["mpm vault show cadbfc5a", "mpm vault show cadbfc5a --jsonl > transcript.jsonl"],
  run: async (env, parsed) => {
    checkVaultId(parsed.args[0]);
    const { root, paths } = await open(env);
    const entry = pickEntry(await listVault(paths), parsed.args[0]);
    if (entry.error) throw entry.error;
    const manifest = entry.manifest!;
    if (boolFlag(parsed, "jsonl")) return await printTranscript(env, paths, manifest);
    const problem = manifest.dropped ? null : await verifyCopy(paths, manifest);
    const d = await describe(env, root, manifest);
    const exitCode = problem === null ? 0 : 4;
    if (boolFlag(parsed, "json")) {
      return json({
        ...d,
        verified: problem === null && !manifest.dropped,
        problem,
        files: manifest.files.map((f) => ({
          source: f.source,
          data: f.data,
          lines: f.lines,
          source_bytes: f.source_bytes,
          segments: f.segments.length,
          partial_bytes: f.partial_bytes,
          skipped_lines: f.skipped_lines,
          cut: f.cut,
        })),
      }, exitCode);
    }
    return text(showLines(env, manifest, d, problem), exitCode);
  },
};

function showLines(
  env: Env,
  m: Manifest,
  d: Described,
  problem: string | null,
): string[] {
  const s = style(env.color);
  const lines = [s.bold(`Claude Code session ${m.claude_session_id}`), ""];
  lines.push(`  Session:     ${m.keys.length ? m.keys.join(", ") : "none recorded"}`);
  lines.push(`  Entries:     ${when(m.first_entry)} → ${when(m.last_entry)}`);
  lines.push(`  Copied:      ${when(m.first_vaulted)}, last ${when(m.last_vaulted)}`);
  if (m.transcript) lines.push(`  Source:      ${printable(m.transcript)}`);
  if (m.imported) {
    lines.push(`  Imported:    from ${printable(m.imported.from)}, ${when(m.imported.at)}`);
  }
  for (const f of m.files) {
    lines.push(
      `  ${f === m.files[0] ? "Transcript:" : "Subagent:  "}  ${
        printable(f.source)
      }: ${f.lines} lines, ` +
        `${f.segments.length} segment(s), ${byteSize(f.segments.reduce((n, x) => n + x.bytes, 0))}`,
    );
    if (f.cut) lines.push(s.yellow(`      ! ${printable(f.cut)}`));
    if (f.skipped_lines) {
      lines.push(s.yellow(`      ! ${f.skipped_lines} line(s) too long to copy`));
    }
  }
  if (m.dropped) {
    lines.push(
      "",
      s.dim(`Dropped ${when(m.dropped.at)} (${m.dropped.reason}): the vault holds nothing of it.`),
    );
  } else if (problem !== null) {
    lines.push("", s.red(`✗ ${problem}`));
  } else lines.push("", `${s.green("✓")} Every segment matches its checksum.`);
  if (d.open) lines.push(`Open it with: ${d.open}`);
  return lines;
}

async function printTranscript(env: Env, paths: ProjectPaths, manifest: Manifest) {
  if (manifest.dropped || manifest.files.length === 0) {
    throw new IntegrityError(
      `The vault holds nothing of Claude session ${manifest.claude_session_id} (it was dropped).`,
    );
  }
  const out: string[] = [];
  for await (const lines of vaultedLines(paths, manifest)) {
    const chunk = lines.map((l) => l + "\n").join("");
    if (env.out) {
      if (!(await env.out(chunk))) break;
    } else out.push(chunk);
  }
  return { stdout: out.join("") };
}

function pruneCommand(services: VaultServices): Command {
  return {
    name: "prune",
    summary: "Remove copies of transcripts last active more than DAYS days ago.",
    json: `- \`mpm vault prune --older-than DAYS --json\`:
  \`{"dry_run", "older_than_days", "removed": [{"id",
  "bytes"}], "kept": [{"id", "reason"}]}\`. A
  kept snapshot — one in \`sessions/\` (archived ones do not count), the active session, the branch
  stack — keeps every copy its session saw, and the one it names; a snapshot that cannot be read
  stops the prune (exit 4).`,
    details: `A copy a kept snapshot points to stays: the snapshot's session saw the Claude
session, or the snapshot names it. Archive old snapshots first (\`mpm prune\`) to let their
transcripts go. A pruned copy is not copied again unless Claude Code writes to the transcript.`,
    flags: [
      {
        name: "older-than",
        value: "DAYS",
        description: "Remove copies last active over DAYS days ago.",
      },
      { name: "dry-run", description: "Say what would be removed; change nothing." },
      { name: "json", description: "Print the report as JSON." },
    ],
    examples: ["mpm vault prune --older-than 90 --dry-run"],
    run: async (env, parsed) => {
      const days = intFlag(parsed, "older-than", 1);
      if (days === undefined) {
        throw new UsageError(
          "`mpm vault prune` needs --older-than DAYS.",
          "For example: mpm vault prune --older-than 90",
        );
      }
      return await prune(env, parsed, services, days);
    },
  };
}

async function prune(env: Env, parsed: Parsed, services: VaultServices, days: number) {
  const { paths } = await open(env);
  const dryRun = boolFlag(parsed, "dry-run") ?? false;
  const now = env.now();
  const held = (await listVault(paths)).flatMap((e) =>
    e.manifest && !e.manifest.dropped ? [e.manifest] : []
  );
  const kept = await services.keptReferences(paths);
  const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
  const plan = planPrune(
    held.map((m) => ({ id: m.claude_session_id, keys: m.keys, activity: lastActivity(m) })),
    cutoff,
    kept,
  );
  const removed = plan.remove.map((id) => {
    const manifest = held.find((m) => m.claude_session_id === id)!;
    return { id, bytes: storedBytes(manifest) };
  });
  if (!dryRun) {
    await withVaultLock(paths, async () => {
      for (const r of removed) {
        // Read again under the lock: a pause may have copied more of it meanwhile.
        const current = await readManifest(paths, r.id);
        if (current && !current.dropped) await dropCopy(paths, current, "prune", now);
      }
    }, { command: "vault prune" });
  }
  if (boolFlag(parsed, "json")) {
    return json({
      dry_run: dryRun,
      older_than_days: days,
      removed: removed.map(({ id, bytes }) => ({ id, bytes })),
      kept: plan.kept,
    });
  }
  const s = style(env.color);
  const lines: string[] = [];
  const freed = byteSize(removed.reduce((n, r) => n + r.bytes, 0));
  if (removed.length === 0) {
    lines.push(
      `No copy was last active more than ${days} ${days === 1 ? "day" : "days"} ago that could go.`,
    );
  } else {
    lines.push(
      dryRun
        ? s.bold(`Would remove ${removed.length} copy(ies), ${freed}:`)
        : `${s.green("✓")} Removed ${removed.length} copy(ies), ${freed}:`,
    );
    for (const r of removed) lines.push(`  ${r.id}`);
  }
  for (const k of plan.kept) lines.push(s.dim(`  kept ${k.id}: ${k.reason}`));
  return text(lines);
}

/** The sync report as a few lines: what was copied, what waits, what went, what is wrong. */
export function reportLines(report: VaultReport, env: Env): string[] {
  const s = style(env.color);
  const lines: string[] = [];
  const copied = report.copied.reduce((n, c) => n + c.bytes, 0);
  if (report.copied.length > 0) {
    lines.push(
      `${s.green("✓")} Copied ${report.copied.length} transcript(s) into the vault (${
        byteSize(copied)
      } of transcript).`,
    );
    for (const c of report.copied) {
      const how = c.how === "append"
        ? "new lines"
        : c.how === "again"
        ? "again, from the start"
        : "new";
      lines.push(`  ${c.id} (${how}, ${byteSize(c.bytes)})`);
    }
  } else if (!report.busy) lines.push("The vault was already up to date.");
  if (report.missing.length > 0) {
    lines.push(
      s.yellow(
        `! ${report.missing.length} transcript(s) the hooks saw are gone from Claude Code and were never copied: ${
          report.missing.join(", ")
        }.`,
      ),
    );
  }
  for (const r of report.repaired) {
    lines.push(`${s.green("✓")} ${r}: a damaged copy was copied again.`);
  }
  for (const d of report.damaged) lines.push(s.red(`✗ ${printable(d.problem)}`));
  for (const message of report.messages) lines.push(message);
  return lines;
}

const sync: Command = {
  name: "sync",
  summary: "Copy every transcript the hooks saw into the vault now, in full.",
  json: `- \`mpm vault sync --json\`:
  \`{"copied": [{"id", "bytes", "how"}], "unchanged", "pending", "missing",
  "cut", "dropped", "limit_bytes", "held_bytes", "repaired", "damaged", "busy", "messages"}\`:
  \`how\` is \`new\`, \`append\` or \`again\` (from the start); \`pending\` \`[{"id", "bytes"}]\` what a budget
  left; \`missing\` transcripts seen but gone before they were copied; \`dropped\` copies the limit
  removed; \`damaged\` copies that fail their checksums and whose source is gone (exit 4).`,
  details: `Pauses and SessionEnd copy what is new of each transcript within a budget, so
Claude Code never waits; this copies everything that waits, checks every copy against its
checksums, and copies a damaged one again while Claude Code still has it. \`mpm doctor --fix\`
runs it too.`,
  flags: [{ name: "json", description: "Print the report as JSON." }],
  run: async (env, parsed) => {
    const { paths } = await open(env);
    const report = await withProgress(
      env,
      "syncing the vault",
      boolFlag(parsed, "json"),
      () => syncVaultFully(paths, { now: env.now(), home: homeDir(env), vars: env.vars }),
    );
    const exitCode = report.damaged.length > 0 ? 4 : 0;
    if (boolFlag(parsed, "json")) return json(report, exitCode);
    return text(reportLines(report, env), exitCode);
  },
};

export function vaultCommandWith(services: VaultServices): Declared {
  return {
    details: `Claude Code deletes transcripts older than cleanupPeriodDays (30 days unless set)
without a word. At every pause and session end mpm copies each conversation its hooks saw here
(Claude Code's transcripts and their subagents', Codex CLI's rollouts, Gemini CLI's chats) into
.claude-mpm/vault/: redacted, compressed, appended to as it grows, each segment checked by
sha256. \`mpm replay\`, \`summary\` and \`search\` read the copy once the agent's file is gone;
\`mpm sync\` carries copies with their snapshots. The vault keeps at most "vault":
{"limit_mb": 200} of .claude-mpm/config.json, dropping the copies idle longest first.`,
    subcommands: [list, show, pruneCommand(services), sync],
    examples: ["mpm vault list", "mpm vault show cadbfc5a", "mpm vault prune --older-than 90"],
  };
}
