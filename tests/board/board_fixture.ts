/**
 * A team's project as `mpm sync pull` leaves it, made without running mpm: `people` people ×
 * `perPerson` snapshots each over 100 days, person 0's own (sealed with this machine's key, in
 * `home`), the others' pulled (in `.claude-mpm/sessions/` and on `refs/mpm/sessions`, each sent
 * by its person's git identity). Each person's snapshots are lines of work of LINE_LENGTH
 * pauses, each pause changing three files of a shared tree, so lines overlap. The board bench
 * (scripts/bench/history/bench_board.ts) makes 30 × 2,000 of them; the board's tests, a few hundred.
 */
import { join } from "node:path";
import { newSessionId } from "../../src/kernel/ids.ts";
import { checksumLine } from "../../src/kernel/hashing/checksum.ts";
import { serializeSnapshot } from "../../src/kernel/snapshot.ts";
import { buildSnapshot } from "../../src/sessions/store/session/build_snapshot.ts";
import { SEAL_PLACEHOLDER, sealJsonText } from "../../src/kernel/hashing/seal.ts";

const DAY_MS = 86_400_000;
/** This machine's key in the fixture's home: person 0's snapshots are sealed with it. */
const KEY = "ab".repeat(32);
/** Pauses in one line of work. */
export const LINE_LENGTH = 20;
const FILES = Array.from({ length: 400 }, (_, i) => `src/area${i % 20}/file${i}.ts`);

export interface TeamProject {
  /** The temp folder holding both: remove it when done. */
  dir: string;
  root: string;
  home: string;
}

/** Person `p`'s git identity, as git reads it from the environment. */
export function personIdentity(p: number): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: `Person ${p}`,
    GIT_AUTHOR_EMAIL: `p${p}@example.com`,
    GIT_COMMITTER_NAME: `Person ${p}`,
    GIT_COMMITTER_EMAIL: `p${p}@example.com`,
  };
}

/** When person `p` paused for the `i`th time (0 the newest) of `perPerson` over `days` days. */
export function pausedAt(now: Date, perPerson: number, p: number, i: number, days = 100): Date {
  return new Date(now.getTime() - i * ((days * DAY_MS) / perPerson) - p * 1000 - 60_000);
}

/** Pause `i`'s line of work: its key and name. */
export function lineOf(p: number, i: number): { key: string; name: string; line: number } {
  const line = Math.floor(i / LINE_LENGTH);
  return { key: `s-p${p}l${line}`, name: `Person ${p} work ${line}`, line };
}

/** The files person `p`'s pause `i` had uncommitted: two modified, one untracked. */
export function changedAt(p: number, i: number): string[] {
  const { line } = lineOf(p, i);
  return [0, 1, 2].map((k) => FILES[(p * 13 + line * 7 + k * 31 + i) % FILES.length]);
}

/** Pause `i`'s words. */
export function summaryAt(p: number, i: number): string {
  return `Person ${p}, line ${lineOf(p, i).line}: refunds, payouts and the webhook retry ` +
    `queue (${i})`;
}

async function git(
  cwd: string,
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<string> {
  const child = new Deno.Command("git", {
    args,
    cwd,
    env: options.env,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Read while written: a long answer (hash-object's) would otherwise fill the pipe first.
  const output = child.output();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await output;
  if (!out.success) {
    throw new Error(`git ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout).trim();
}

/** `stream` fed to one `git fast-import` in `root`. */
async function fastImport(root: string, stream: Uint8Array[]): Promise<void> {
  const child = new Deno.Command("git", {
    args: ["fast-import", "--quiet"],
    cwd: root,
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  for (const part of stream) await writer.write(part);
  await writer.close();
  const out = await child.output();
  if (!out.success) throw new Error(`git fast-import: ${new TextDecoder().decode(out.stderr)}`);
}

/** Person `p`'s pause `i`, as mpm writes it; person 0's sealed as save_snapshot.ts seals it. */
function snapshotText(root: string, p: number, i: number, at: Date, id: string): string {
  const changed = changedAt(p, i);
  const { key, name, line } = lineOf(p, i);
  const snapshot = buildSnapshot({
    summary: summaryAt(p, i),
    accomplishments: ["Stripe client", "Webhook endpoint"],
    nextSteps: ["Refunds", "Retry queue"],
    todos: [
      { content: "Write the refund tests", status: "pending" },
      { content: "Stripe client", status: "completed" },
    ],
  }, {
    id,
    now: at,
    git: {
      branch: `feature/p${p}-l${line}`,
      head: "0".repeat(40),
      subject: "Work in progress",
      detached: false,
      upstream: null,
      ahead_behind: null,
      modified: changed.slice(0, 2),
      staged: [],
      untracked: changed.slice(2),
      deleted: [],
      renamed: [],
      conflicted: [],
    },
    projectPath: root,
    version: "0.0.0",
    build: "bench",
    session: {
      key,
      name,
      task: null,
      template: null,
      started_at: at.toISOString(),
      adhoc: false,
      resumed_from: null,
      parent: null,
      depth: 0,
      todos: [],
      notes: [],
      dirty: false,
    },
  });
  if (p !== 0) return serializeSnapshot(snapshot);
  const placeholder = { ...snapshot, mpm: { ...snapshot.mpm, seal: SEAL_PLACEHOLDER } };
  return sealJsonText(serializeSnapshot(placeholder), KEY).text;
}

/**
 * The project, in a new temp folder. `days`: how far back the pauses go (100 unless told; the
 * board's growth bench keeps 20 a day and lengthens the history instead).
 */
export async function teamProject(
  people: number,
  perPerson: number,
  now: Date,
  days = 100,
): Promise<TeamProject> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-board-" });
  const root = join(dir, "project");
  const home = join(dir, "home");
  const sessions = join(root, ".claude-mpm", "sessions");
  await Deno.mkdir(sessions, { recursive: true });
  await Deno.mkdir(join(home, ".local", "state", "mpm"), { recursive: true });
  await Deno.writeTextFile(
    join(home, ".local", "state", "mpm", "machine.json"),
    JSON.stringify({ version: 1, key: KEY }) + "\n",
  );
  await git(root, ["init", "-q", "-b", "main"]);
  await git(root, ["commit", "-q", "--allow-empty", "-m", "init"], {
    env: { HOME: home, ...personIdentity(0) },
  });
  // The teammates' pushes, one commit each by their identity on refs/mpm/sessions, made by one
  // `git fast-import` from the bytes written (an index rewritten per push was quadratic).
  const stream: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const add = (text: string) => stream.push(encoder.encode(text));
  let first = true;
  for (let p = 0; p < people; p++) {
    if (p !== 0) {
      const who = `Person ${p} <p${p}@example.com> ${Math.floor(now.getTime() / 1000)} +0000`;
      const message = `mpm sync: person ${p}`;
      add(`commit refs/mpm/sessions\nauthor ${who}\ncommitter ${who}\n`);
      add(`data ${message.length}\n${message}\n`);
      first = false;
    }
    for (let i = 0; i < perPerson; i++) {
      const at = pausedAt(now, perPerson, p, i, days);
      const id = newSessionId(at, new Uint8Array([p % 19, Math.floor(p / 19), i % 19]));
      const text = encoder.encode(snapshotText(root, p, i, at, id));
      const sum = encoder.encode(checksumLine(text, `${id}.json`));
      Deno.writeFileSync(join(sessions, `${id}.json`), text);
      Deno.writeFileSync(join(sessions, `${id}.json.sha256`), sum);
      if (p === 0) continue;
      for (const [name, bytes] of [[`${id}.json`, text], [`${id}.json.sha256`, sum]] as const) {
        add(`M 100644 inline sessions/${name}\ndata ${bytes.length}\n`);
        stream.push(bytes);
        add("\n");
      }
    }
  }
  if (!first) await fastImport(root, stream);
  return { dir, root, home };
}
