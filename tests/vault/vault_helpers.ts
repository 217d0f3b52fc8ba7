/**
 * What the vault and search tests share: a Claude Code session as the hooks see it — its
 * transcript (a fixture, moved in time into the session) where Claude Code keeps it, with its
 * subagent's transcript beside it — and mpm run as a user would, with a clock-free environment.
 */
import { dirname, join } from "node:path";
import { mpm, type Repo, type RunResult } from "../helpers.ts";
import { retime, TRANSCRIPTS } from "../replay/replay_helpers.ts";

export { REAL, REAL_ID } from "../replay/replay_helpers.ts";
export const SUBAGENT = join(TRANSCRIPTS, "subagent-agent-a1b2c3d4e5f60718.jsonl");
export const SUBAGENT_NAME = "agent-a1b2c3d4e5f60718.jsonl";
/** The 2.1.330 transcript the restore was tested with, and its session, checkout and HOME. */
export const FIXTURE = join(TRANSCRIPTS, "real-2.1.330-bash-failure.jsonl");
export const FIXTURE_ID = "af3aa435-9fc1-43d6-918b-eb5499a83cf5";
export const FIXTURE_CWD = "/tmp/mpm-claude-project-31deb3ff2e5b567a";
/** The recording machine's HOME (in Claude Code's folder for FIXTURE_CWD in the system prompt). */
export const FIXTURE_HOME = "/tmp/mpm-claude-de72bccabb90b3aa/home";
/** Claude Code's folder name for a checkout. */
export const dashed = (path: string) => path.replace(/[^A-Za-z0-9]/g, "-");

/** A fake `claude` first on PATH that answers `--version` with `version`; the PATH. */
export async function fakeClaude(dir: string, version = "2.1.330"): Promise<string> {
  const bin = join(dir, `bin-${version}`);
  await Deno.mkdir(bin, { recursive: true });
  await Deno.writeTextFile(join(bin, "claude"), `#!/bin/sh\necho "${version} (Claude Code)"\n`, {
    mode: 0o755,
  });
  return `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`;
}

/**
 * The 2.1.330 transcript as if it ran in `repo` on its machine (its HOME's Claude Code folder in
 * the system prompt Claude Code records) as Claude session `id`, then `more` (JSON lines), in a
 * file in `dir`.
 */
export async function conversationIn(
  repo: Repo,
  dir: string,
  id = FIXTURE_ID,
  more = "",
): Promise<string> {
  const text = (await Deno.readTextFile(FIXTURE)).replaceAll(FIXTURE_HOME, repo.home)
    .replaceAll(FIXTURE_CWD, repo.path).replaceAll(dashed(FIXTURE_CWD), dashed(repo.path))
    .replaceAll(FIXTURE_ID, id) + more;
  const file = join(dir, `${id}.jsonl`);
  await Deno.writeTextFile(file, text);
  return file;
}

export function runner(repo: Repo, extra: Record<string, string> = {}) {
  const env = { HOME: repo.home, TZ: "UTC", ...extra };
  const run = (args: string[], stdin?: string) => mpm(args, { cwd: repo.path, env, stdin });
  const ok = async (args: string[], stdin?: string): Promise<RunResult> => {
    const result = await run(args, stdin);
    if (result.code !== 0) {
      throw new Error(
        `mpm ${args.join(" ")} exited ${result.code}: ${result.stderr}${result.stdout}`,
      );
    }
    return result;
  };
  return { run, ok };
}

/** Where Claude Code keeps a transcript of this project (its path, non-alphanumerics as -). */
export function transcriptPath(repo: Repo, id: string): string {
  return join(
    repo.home,
    ".claude",
    "projects",
    repo.path.replace(/[^A-Za-z0-9]/g, "-"),
    `${id}.jsonl`,
  );
}

export function payload(repo: Repo, event: string, id: string, extra: Record<string, string>) {
  return JSON.stringify({
    session_id: id,
    transcript_path: transcriptPath(repo, id),
    cwd: repo.path,
    hook_event_name: event,
    ...extra,
  });
}

export interface ClaudeSession {
  id: string;
  transcript: string;
  subagent: string;
}

/**
 * Claude Code starts (SessionStart is recorded), then writes the transcript `fixture` — its
 * times spread from `from` (default: once SessionStart is recorded) to `to` (default: then) —
 * with the subagent's transcript beside it.
 */
export async function claudeStarts(
  repo: Repo,
  id: string,
  fixture: string,
  options: { from?: Date; to?: Date; extraLines?: string[] } = {},
): Promise<ClaudeSession> {
  const { ok } = runner(repo);
  const transcript = transcriptPath(repo, id);
  const subagent = join(dirname(transcript), id, "subagents", SUBAGENT_NAME);
  await Deno.mkdir(dirname(subagent), { recursive: true });
  await ok(["hook", "session-start"], payload(repo, "SessionStart", id, { source: "startup" }));
  // The entries fall between SessionStart and now, or at most 10 ms ahead: SessionEnd, which
  // comes next (a process of its own, started later), pauses after every one of them, as it does
  // for Claude Code.
  const from = options.from ?? new Date();
  const to = options.to ?? new Date(Math.max(Date.now(), from.getTime() + 10));
  const text = retime(await Deno.readTextFile(fixture), from, to);
  await Deno.writeTextFile(
    transcript,
    text + (options.extraLines ?? []).map((l) => l + "\n").join(""),
  );
  await Deno.writeTextFile(subagent, retime(await Deno.readTextFile(SUBAGENT), from, to));
  return { id, transcript, subagent };
}

/** Claude Code exits: SessionEnd pauses and copies the transcripts into the vault. */
export async function claudeEnds(repo: Repo, id: string, env: Record<string, string> = {}) {
  // Past SessionEnd's 3 s the pause stays queued and no summary is written: a loaded test
  // machine can take that long, and session_end_deadline_test.ts shows the deadline itself.
  return await runner(repo, { MPM_HOOK_DEADLINE_MS: "60000", ...env }).ok(
    ["hook", "session-end"],
    payload(repo, "SessionEnd", id, { reason: "prompt_input_exit" }),
  );
}

/** A user prompt line as Claude Code writes it. */
export function promptLine(id: string, text: string, time = new Date()): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    type: "user",
    message: { role: "user", content: text },
    uuid: crypto.randomUUID(),
    timestamp: time.toISOString(),
    cwd: "/home/dev/shop",
    sessionId: id,
    version: "2.1.330",
  });
}

export function vaultDir(repo: Repo): string {
  return join(repo.path, ".claude-mpm", "vault");
}

// deno-lint-ignore no-explicit-any
export async function manifest(repo: Repo, id: string): Promise<any> {
  return JSON.parse(await Deno.readTextFile(join(vaultDir(repo), `${id}.json`)));
}

async function gitIn(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const out = await new Deno.Command("git", {
    args,
    cwd,
    env: { GIT_CONFIG_NOSYSTEM: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout).trim();
}

/**
 * What a teammate who can push `refs/mpm/sessions` can put there without mpm: the files given
 * (paths in the ref's tree, `vault/<id>.json`…) written over the ref `repo` last pushed, in a
 * commit authored by `email`, pushed to its origin.
 */
export async function pushCrafted(
  repo: Repo,
  files: Record<string, string | Uint8Array>,
  email: string,
): Promise<void> {
  const index = join(repo.path, ".git", "mpm-test-crafted-index");
  const who = { GIT_AUTHOR_NAME: "Crafter", GIT_AUTHOR_EMAIL: email };
  const env = {
    GIT_INDEX_FILE: index,
    ...who,
    GIT_COMMITTER_NAME: "C",
    GIT_COMMITTER_EMAIL: email,
  };
  await gitIn(repo.path, ["read-tree", "refs/mpm/sessions"], env);
  for (const [path, data] of Object.entries(files)) {
    const file = join(repo.path, ".git", "mpm-test-blob");
    await Deno.writeFile(file, typeof data === "string" ? new TextEncoder().encode(data) : data);
    const sha = await gitIn(repo.path, ["hash-object", "-w", file], env);
    await gitIn(repo.path, ["update-index", "--add", "--cacheinfo", `100644,${sha},${path}`], env);
  }
  const tree = await gitIn(repo.path, ["write-tree"], env);
  const commit = await gitIn(
    repo.path,
    ["commit-tree", tree, "-p", "refs/mpm/sessions", "-m", "crafted"],
    env,
  );
  await gitIn(repo.path, ["update-ref", "refs/mpm/sessions", commit], env);
  await gitIn(repo.path, ["push", "-q", "origin", "refs/mpm/sessions:refs/mpm/sessions"], env);
  await Deno.remove(index).catch(() => {});
}

/**
 * What a repository someone clones can hold: `files` (paths in the work tree) committed by
 * `from` and pushed to `main`, then pulled by `into`.
 */
export async function commitAndPull(
  from: Repo,
  into: Repo,
  files: Record<string, string | Uint8Array>,
): Promise<void> {
  for (const [path, data] of Object.entries(files)) {
    const full = join(from.path, path);
    await Deno.mkdir(dirname(full), { recursive: true });
    await Deno.writeFile(full, typeof data === "string" ? new TextEncoder().encode(data) : data);
    await gitIn(from.path, ["add", "-f", path]);
  }
  await gitIn(from.path, ["commit", "-q", "-m", "commit the vault"]);
  await gitIn(from.path, ["push", "-q", "origin", "main"]);
  await gitIn(into.path, ["pull", "-q", "--no-rebase", "origin", "main"]);
}

/** Every file under `dir` (relative paths), none when it is not there. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string, rel: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(at));
    } catch {
      return;
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(join(at, e.name), child);
      else out.push(child);
    }
  };
  await walk(dir, "");
  return out.sort();
}
