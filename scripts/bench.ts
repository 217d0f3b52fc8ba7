/**
 * `deno task bench`: prints the figures DESIGN.md budgets. Nothing here asserts a time; the
 * machines are shared and noisy, so read the table, don't gate on it.
 *
 * Each figure is the median of several runs of the operation inside this process (so Deno's
 * start-up is not counted), next to the git commands it needs run alone.
 */
import { join } from "node:path";
import { checksumLine } from "../src/kernel/checksum.ts";
import { sessionIdFor } from "../src/kernel/ids.ts";
import { buildSnapshot } from "../src/sessions/pause.ts";
import { serializeSnapshot } from "../src/kernel/snapshot.ts";
import { pauseProject } from "../src/sessions/pause_project.ts";
import { detectChanges } from "../src/sessions/detect_changes.ts";
import { runList } from "../src/sessions/list_command.ts";
import type { Env } from "../src/cli/env.ts";
import { runGit } from "../src/git/run.ts";
import { projectPaths } from "../src/disk/paths.ts";
import { listEntries, loadSnapshot } from "../src/sessions/store.ts";
import { extraBenches } from "./bench_extra.ts";
import { makeRepo, median, type Row, sh } from "./bench_lib.ts";

async function addCommits(dir: string, count: number): Promise<void> {
  // fast-import makes a thousand commits in one process.
  const lines: string[] = [];
  const head = new TextDecoder().decode(
    (await new Deno.Command("git", { args: ["rev-parse", "HEAD"], cwd: dir, stdout: "piped" })
      .output()).stdout,
  ).trim();
  for (let i = 0; i < count; i++) {
    const body = `commit ${i}\n`;
    lines.push(
      "commit refs/heads/main",
      `committer Bench <bench@example.com> ${1_700_000_000 + i} +0000`,
      `data ${`Commit ${i}`.length}`,
      `Commit ${i}`,
      ...(i === 0 ? [`from ${head}`] : []),
      `M 100644 inline bench/c${i % 50}.txt`,
      `data ${body.length}`,
      body,
    );
  }
  const child = new Deno.Command("git", {
    args: ["fast-import", "--quiet"],
    cwd: dir,
    stdin: "piped",
  })
    .spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(lines.join("\n") + "\n"));
  await writer.close();
  await child.status;
  await sh(dir, "reset", "-q", "--keep", "main");
}

function benchEnv(cwd: string): Env {
  return {
    cwd,
    vars: {},
    now: () => new Date(),
    warn: () => {},
    isTTY: false,
    stderrIsTTY: false,
    color: false,
    readStdin: () => Promise.resolve(""),
    execPath: Deno.execPath(),
    mainModule: import.meta.url,
  };
}

async function pauseAndResume(files: number): Promise<Row[]> {
  const dir = await makeRepo(files);
  try {
    const gitAlone = await median(() =>
      Promise.all([
        runGit(dir, ["status", "--porcelain=v2", "--branch", "-z", "--find-renames"]),
        runGit(dir, ["log", "-1", "--format=%H%x00%s", "HEAD", "--"]),
      ])
    );
    const pause = await median(() =>
      pauseProject(dir, new Date(), {
        summary: "bench",
        accomplishments: [],
        nextSteps: [],
        todos: [],
      })
    );
    const paths = projectPaths(dir);
    const [entry] = await listEntries(paths);
    const snapshot = await loadSnapshot(paths, entry);
    const resume = await median(() => detectChanges(dir, snapshot));
    return [
      {
        name: `pause, ${files} files`,
        ms: pause,
        baseline: { name: "git status + log -1", ms: gitAlone },
        budget: "≤ 40 ms over git",
      },
      { name: `resume change detection, ${files} files`, ms: resume },
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function resumeAfterCommits(count: number): Promise<Row> {
  const dir = await makeRepo(100);
  try {
    await pauseProject(dir, new Date(), {
      summary: "before",
      accomplishments: [],
      nextSteps: [],
      todos: [],
    });
    await addCommits(dir, count);
    const paths = projectPaths(dir);
    const snapshot = await loadSnapshot(paths, (await listEntries(paths))[0]);
    const changes = await detectChanges(dir, snapshot);
    if (changes?.new_commits.length !== count) throw new Error(`expected ${count} new commits`);
    return {
      name: `resume over ${count} new commits`,
      ms: await median(() => detectChanges(dir, snapshot)),
      budget: "< 150 ms",
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A project folder holding `count` valid snapshots, written directly. */
export async function makeSessions(count: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: `mpm-bench-list-${count}-` });
  const sessions = join(dir, ".claude-mpm/sessions");
  await Deno.mkdir(sessions, { recursive: true });
  const start = Date.UTC(2025, 0, 1);
  const writes: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const id = sessionIdFor(new Date(start + i * 60_000));
    const text = serializeSnapshot(buildSnapshot({
      id,
      now: new Date(start + i * 60_000),
      summary: `Session number ${i}`,
      accomplishments: ["one", "two"],
      nextSteps: ["three"],
      todos: [],
      git: null,
      projectPath: dir,
      version: "0.0.0",
      build: "bench",
    }));
    writes.push(Deno.writeTextFile(join(sessions, `${id}.json`), text));
    writes.push(
      Deno.writeTextFile(join(sessions, `${id}.json.sha256`), checksumLine(text, `${id}.json`)),
    );
    if (writes.length > 500) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  return dir;
}

async function list(count: number): Promise<Row[]> {
  const dir = await makeSessions(count);
  try {
    const env = benchEnv(dir);
    const parsed = (flags: Record<string, string | boolean>) => ({ flags, args: [] });
    return [{
      name: `list, ${count} sessions (default page)`,
      ms: await median(() => runList(env, parsed({ json: true }))),
      budget: "< 150 ms",
    }, {
      name: `list --limit 0, ${count} sessions (reads all)`,
      ms: await median(() => runList(env, parsed({ json: true, limit: "0" })), 3),
    }];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function table(rows: Row[]): string {
  const lines = [
    "| operation | median ms | git alone ms | over git ms | budget |",
    "|---|---:|---:|---:|---|",
  ];
  for (const row of rows) {
    const base = row.baseline ? row.baseline.ms.toFixed(1) : "";
    const over = row.baseline ? (row.ms - row.baseline.ms).toFixed(1) : "";
    lines.push(`| ${row.name} | ${row.ms.toFixed(1)} | ${base} | ${over} | ${row.budget ?? ""} |`);
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const only = Deno.args[0];
  const rows: Row[] = [];
  const want = (name: string) => !only || name.includes(only);
  if (want("pause")) { for (const n of [1_000, 10_000]) rows.push(...await pauseAndResume(n)); }
  if (want("resume")) rows.push(await resumeAfterCommits(1_000));
  if (want("list")) { for (const n of [100, 10_000]) rows.push(...await list(n)); }
  rows.push(...await extraBenches(only));
  console.log(table(rows));
}
