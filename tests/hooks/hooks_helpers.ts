/**
 * What the hook tests share: recorded Claude Code payloads pointed at a test repository, a HOME
 * holding Claude Code's task files and transcripts, and the installed scripts run under a shell
 * with `MPM_BIN` pointing at a wrapper that runs this source tree.
 */
import { join } from "node:path";
import type { Env } from "../../src/cli/env.ts";
import {
  baseEnv,
  MAIN,
  ok,
  type Repo,
  ROOMY_LIMITS,
  runProcess,
  type RunResult,
  withRepo,
  writeMpmProgram,
} from "../helpers.ts";

export const FIXTURES = join(import.meta.dirname!, "..", "fixtures", "claude-code");
export const CLAUDE_SESSION = "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11";
export const SHELLS = ["sh", "bash"] as const;

/**
 * A recorded payload, with its cwd and transcript moved into the test's repository and HOME. A
 * SessionEnd's transcript is made (empty) when there is none and `changes` names no other: only
 * a conversation's end is recorded, and a conversation's transcript is there when it ends
 * (hooks/events/end_decision.ts).
 */
export function payload(
  name: string,
  repo: Repo,
  changes: Record<string, unknown> = {},
): string {
  const data = JSON.parse(Deno.readTextFileSync(join(FIXTURES, "payloads", name)));
  const transcript = join(repo.home, ".claude", "projects", "transcript.jsonl");
  if (data.hook_event_name === "SessionEnd" && !("transcript_path" in changes)) {
    Deno.mkdirSync(join(transcript, ".."), { recursive: true });
    Deno.writeTextFileSync(transcript, "", { append: true });
  }
  return JSON.stringify({ ...data, cwd: repo.path, transcript_path: transcript, ...changes });
}

/** Copies the recorded task list (or the older todo files) and a transcript into HOME. */
export async function seedClaudeHome(
  repo: Repo,
  options: { transcript?: string; tasks?: "tasks" | "todos" | "none" } = {},
): Promise<void> {
  const claude = join(repo.home, ".claude");
  const kind = options.tasks ?? "tasks";
  if (kind !== "none") {
    const from = join(FIXTURES, kind);
    for await (const entry of Deno.readDir(from)) {
      await copyTree(join(from, entry.name), join(claude, kind, entry.name));
    }
  }
  await setTranscript(repo, options.transcript ?? "transcript-72pct.jsonl");
}

export async function setTranscript(repo: Repo, name: string): Promise<void> {
  const target = join(repo.home, ".claude", "projects", "transcript.jsonl");
  await Deno.mkdir(join(target, ".."), { recursive: true });
  await Deno.copyFile(join(FIXTURES, "transcripts", name), target);
}

async function copyTree(from: string, to: string): Promise<void> {
  if ((await Deno.stat(from)).isDirectory) {
    await Deno.mkdir(to, { recursive: true });
    for await (const entry of Deno.readDir(from)) {
      await copyTree(join(from, entry.name), join(to, entry.name));
    }
  } else {
    await Deno.mkdir(join(to, ".."), { recursive: true });
    await Deno.copyFile(from, to);
  }
}

/** An Env for calling `runHook` in this process, with `stdin` as the payload and a fixed clock. */
export function hookEnv(repo: Repo, stdin: string, now: Date): Env & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    cwd: repo.path,
    vars: { HOME: repo.home, ...ROOMY_LIMITS },
    now: () => now,
    warn: (text) => warnings.push(text),
    warnings,
    isTTY: false,
    stderrIsTTY: false,
    color: false,
    readStdin: () => Promise.resolve(stdin),
    execPath: Deno.execPath(),
    mainModule: MAIN,
  };
}

/** A stand-in for the `mpm` binary: this source tree run by deno. Returns its path. */
export function mpmWrapper(dir: string): Promise<string> {
  return writeMpmProgram(join(dir, "mpm-wrapper"));
}

/** A fake `claude` that answers `--version` with `version`, in a folder of its own. */
export async function fakeClaude(dir: string, version: string): Promise<string> {
  const bin = join(dir, `claude-${version}`);
  await Deno.mkdir(bin, { recursive: true });
  await Deno.writeTextFile(join(bin, "claude"), `#!/bin/sh\necho '${version} (Claude Code)'\n`);
  await Deno.chmod(join(bin, "claude"), 0o755);
  return bin;
}

export interface ScriptRun extends RunResult {
  /** stdout parsed as JSON, when it is not empty. */
  json?: Record<string, unknown>;
}

/** Runs an installed hook script the way Claude Code does: payload on stdin, in the project. */
export async function runScript(
  shell: string,
  repo: Repo,
  script: string,
  stdin: string,
  env: Record<string, string> = {},
): Promise<ScriptRun> {
  const out = await runProcess(shell, [join(repo.path, ".claude-mpm", "hooks", `${script}.sh`)], {
    cwd: repo.path,
    env: {
      ...baseEnv(repo.home),
      MPM_BIN: await mpmWrapper(join(repo.home, "..")),
      CLAUDE_PROJECT_DIR: repo.path,
      ...env,
    },
    stdin,
  });
  return { ...out, ...(out.stdout.trim() ? { json: JSON.parse(out.stdout) } : {}) };
}

/** Every file under `dir`, as paths relative to it, sorted. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(dir, prefix))) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory) files.push(...await listFiles(dir, rel));
      else files.push(rel);
    }
  } catch {
    // No folder: no files.
  }
  return files.sort();
}

/** A repository with mpm's hooks installed and a Claude Code home seeded (see seedClaudeHome). */
export async function installed(
  options: Parameters<typeof seedClaudeHome>[1] = {},
): Promise<Repo> {
  const repo = await withRepo();
  await ok(repo, "hooks", "install");
  await seedClaudeHome(repo, options);
  return repo;
}

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** The snapshots on disk, newest first. */
export async function snapshots(repo: Repo): Promise<Json[]> {
  const dir = join(repo.path, ".claude-mpm", "sessions");
  const names = (await listFiles(dir)).filter((name) => /^session-\d{8}-\d{6}.*\.json$/.test(name));
  const records = names.map((name) => JSON.parse(Deno.readTextFileSync(join(dir, name))));
  return records.sort((a, b) => b.paused_at.localeCompare(a.paused_at));
}

/** Claude Code's own files, as after `claude plugin install mpm@mpm` (user scope). */
export async function enablePlugin(repo: Repo): Promise<void> {
  const claude = join(repo.home, ".claude");
  await Deno.mkdir(join(claude, "plugins"), { recursive: true });
  const fixture = (name: string) => Deno.readTextFileSync(join(FIXTURES, "plugins", name));
  await Deno.writeTextFile(
    join(claude, "plugins", "installed_plugins.json"),
    fixture("installed_plugins.json").replaceAll("HOME", repo.home)
      .replaceAll("PROJECT", repo.path),
  );
  await Deno.writeTextFile(join(claude, "settings.json"), fixture("settings.user.json"));
}

/**
 * Every file of `root`'s `.claude-mpm/` with its text, by relative path: two reads equal mean the
 * store is byte-identical (nothing written, removed or added).
 */
export async function storeContents(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string, rel: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory) await walk(join(dir, entry.name), path);
      else out[path] = await Deno.readTextFile(join(dir, entry.name)).catch(() => "(unreadable)");
    }
  };
  await walk(join(root, ".claude-mpm"), "");
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** Where Codex keeps the rollout of conversation `session` under the test HOME. */
export function codexRollout(repo: Repo, session: string, stamp = "2026-11-26T14-00-00"): string {
  const [year, month, day] = stamp.slice(0, 10).split("-");
  return join(
    repo.home,
    ".codex",
    "sessions",
    year,
    month,
    day,
    `rollout-${stamp}-${session}.jsonl`,
  );
}

/** Writes a Codex rollout of `session` holding only its first line; its path. */
export async function writeCodexRollout(
  repo: Repo,
  session: string,
  stamp?: string,
): Promise<string> {
  const path = codexRollout(repo, session, stamp);
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, `{"type":"session_meta"}\n`);
  return path;
}
