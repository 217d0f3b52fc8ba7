/**
 * A push after pauses alone (sync/push_sources.ts pausedSources): the quiet push's answer stands
 * for every file but the new snapshots, so the push lists neither the record's lines nor the
 * remote's records, sends the new ones, and leaves the remote and the record as the push worked
 * out in full would; `sync status` tells it so. What it cannot vouch for goes the full way.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import {
  git,
  gitWithInput,
  loggingGit,
  mpm,
  okJson,
  type Repo,
  withClones,
} from "../../helpers.ts";
import { spawned } from "./spawned.ts";
import { largeStore } from "../record/large_store.ts";
import { MIN_ENTRIES } from "../../../src/sessions/store/listing/listing_cache.ts";
import {
  claudeEnds,
  claudeStarts,
  promptLine,
  REAL,
  REAL_ID,
  runner,
} from "../../vault/vault_helpers.ts";

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

/** `mpm sync OP --json` as a process (spawned.ts), and whether it listed the remote's whole tree. */
async function sync(repo: Repo, op: "push" | "pull" | "status") {
  const run = await spawned(repo, "sync", op);
  const listedWhole = run.calls.some((c) => / ls-tree -r /.test(c) && !c.includes(" -- "));
  return { ...run, listedWhole };
}

/** The remote's record files, by name. */
async function remoteFiles(remote: string): Promise<string[]> {
  const listed = await git(remote, "ls-tree", "--name-only", "refs/mpm/sessions:sessions");
  return listed.trim().split("\n").sort();
}

/** What this machine knows of its syncs dropped: the next push works everything out. */
async function forget(repo: Repo) {
  const cache = join(repo.path, ".claude-mpm", "cache");
  for (const name of ["sync-quiet.json", "sync-door.json", "sync.json"]) {
    await Deno.remove(join(cache, name)).catch(() => {});
  }
}

/** `a` with a large store, one snapshot excluded by sync.json, in sync with a teammate's push. */
async function inSync(a: Repo, b: Repo): Promise<string> {
  await largeStore(a, MIN_ENTRIES);
  const sessions = join(a.path, ".claude-mpm", "sessions");
  const excluded = [...Deno.readDirSync(sessions)].map((e) => e.name)
    .filter((n) => n.endsWith(".json")).sort()[0].replace(/\.json$/, "");
  await Deno.writeTextFile(
    join(a.path, ".claude-mpm", "sync.json"),
    JSON.stringify({ exclude: [excluded] }),
  );
  await pause(a, "First: the billing export");
  await sync(a, "push");
  await pause(b, "A teammate's: the invoice mailer");
  await sync(b, "push");
  await sync(a, "pull");
  await sync(b, "pull");
  const quiet = await sync(a, "push");
  assertEquals(quiet.report.pushed, []);
  return excluded;
}

/** `sync status` in `repo`, and the status worked out with the quiet answers put aside. */
async function statusBothWays(repo: Repo) {
  const told = await sync(repo, "status");
  const answers = join(repo.path, ".claude-mpm", "cache", "sync-quiet.json");
  await Deno.rename(answers, `${answers}.aside`);
  const workedOut = await sync(repo, "status");
  await Deno.rename(`${answers}.aside`, answers);
  assert(workedOut.listedWhole);
  return { told, workedOut: workedOut.report };
}

const ids = (listed: { id: string }[]) => listed.map((m) => m.id).sort();

Deno.test("a push after pauses sends the new snapshots alone, as the push worked out would", async () => {
  await using clones = await withClones();
  const { a, b, remote } = clones;
  const excluded = await inSync(a, b);
  const before = await remoteFiles(remote);

  const fresh = [await pause(a, "Second: retries"), await pause(a, "Third: the report")];
  // The status tells the same as the status worked out from both sides, listing neither.
  const { told, workedOut } = await statusBothWays(a);
  assert(!told.listedWhole, "the status lists neither side");
  assertEquals(told.report, workedOut);
  assertEquals(ids(told.report.local_only), fresh.sort());
  const paused = await sync(a, "push");
  assert(!paused.listedWhole, "neither side is listed");
  assertEquals(ids(paused.report.pushed), fresh.sort());
  assertEquals(ids(paused.report.excluded), [excluded]);
  const files = fresh.flatMap((id) => [`${id}.json`, `${id}.json.sha256`]);
  assertEquals(await remoteFiles(remote), [...before, ...files].sort());

  // The push kept the next pull's answer too: a status after one more pause lists neither side.
  const later = await pause(a, "Fourth: the ledger");
  const again = await statusBothWays(a);
  assert(!again.told.listedWhole, "the status after the push lists neither side");
  assertEquals(again.told.report, again.workedOut);
  assertEquals(ids(again.told.report.local_only), [later]);
  const last = await sync(a, "push");
  assertEquals([ids(last.report.pushed), last.report.in_both], [
    [later],
    paused.report.in_both + 2,
  ]);

  // The pull after the push comes in by the quiet door, from what the push kept.
  const pulled = await sync(a, "pull");
  assertEquals(pulled.asked.filter((c) => c !== "config"), ["ls-remote"]);
  // A push and a pull that work it all out again agree: nothing to send or take.
  await forget(a);
  const whole = await sync(a, "push");
  assert(whole.listedWhole);
  const { pushed, in_both, excluded: left } = whole.report;
  assertEquals([pushed, in_both, left], [[], last.report.in_both + 1, paused.report.excluded]);
  await forget(a);
  const pulledWhole = await sync(a, "pull");
  assert(pulledWhole.listedWhole);
  assertEquals(pulledWhole.report, pulled.report);
  // The teammate's pull takes the new snapshots.
  const taken = await sync(b, "pull");
  assertEquals(ids(taken.report.imported), [...fresh, later].sort());
});

Deno.test("a push after pauses it cannot vouch for is worked out in full", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const excluded = await inSync(a, b);

  // A new snapshot sync.json excludes: listed with the rest, never sent.
  const config = join(a.path, ".claude-mpm", "sync.json");
  const skipped = await pause(a, "Skipped: a spike");
  await Deno.writeTextFile(config, JSON.stringify({ exclude: [excluded, skipped] }));
  const first = await sync(a, "push");
  assert(first.listedWhole);
  assertEquals(first.report.pushed, []);
  assertEquals(
    first.report.excluded.map((e: { id: string }) => e.id).sort(),
    [excluded, skipped].sort(),
  );

  // A teammate pushed since: the answer was kept at another commit.
  await sync(a, "push");
  await pause(b, "A teammate's second: the dunning run");
  await sync(b, "push");
  const fresh = await pause(a, "Fourth: the ledger");
  const second = await sync(a, "push");
  assert(second.listedWhole);
  assertEquals(second.report.pushed.map((m: { id: string }) => m.id), [fresh]);
});

Deno.test("a push after pauses beaten to the remote is worked out in full at its next attempt", async () => {
  await using clones = await withClones();
  const { a, b, remote } = clones;
  await inSync(a, b);
  const ref = "refs/mpm/sessions";
  const start = (await git(remote, "rev-parse", ref)).trim();
  // The teammate's push lands between A's fetch and A's push: made now, put back at A's push.
  const theirs = await pause(b, "A teammate's second: the dunning run");
  await sync(b, "push");
  const landed = (await git(remote, "rev-parse", ref)).trim();
  await git(remote, "update-ref", ref, start);
  const fresh = await pause(a, "Fourth: the ledger");
  const marker = join(a.home, "raced");
  const { bin, log } = await loggingGit(a.home, {
    before: `case "$*" in *"push --porcelain"*) [ -e '${marker}' ] || { touch '${marker}'; ` +
      `git --git-dir='${remote}' update-ref ${ref} ${landed}; } ;; esac`,
  });
  await Deno.remove(log).catch(() => {});
  const env = { HOME: a.home, PATH: `${bin}:${Deno.env.get("PATH") ?? ""}` };
  const run = await mpm(["sync", "push", "--json"], { cwd: a.path, env, spawn: true });
  assertEquals(run.code, 0, run.stderr);
  // The first attempt listed neither side; the second, after the fetch, the remote whole.
  const calls = (await Deno.readTextFile(log)).trim().split("\n");
  const whole = calls.map((c) => / ls-tree -r /.test(c) && !c.includes(" -- "));
  const pushes = calls.flatMap((c, i) => c.includes("push --porcelain") ? [i] : []);
  assertEquals([pushes.length, whole.indexOf(true) > pushes[0]], [2, true]);
  const report = JSON.parse(run.stdout);
  assertEquals([report.attempts, report.pushed.map((m: { id: string }) => m.id)], [2, [fresh]]);
  const files = await remoteFiles(remote);
  assert(files.includes(`${theirs}.json`) && files.includes(`${fresh}.json`), files.join(" "));
  const parents = (await git(remote, "rev-list", "--parents", "-n", "1", ref)).trim().split(" ");
  assert(parents.includes(landed), "the teammate's push is kept");
});

Deno.test("a push after a Claude session's end sends its snapshot and copy, listing neither side", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await inSync(a, b);
  await runner(a).ok(["start", "payments"]);
  const session = await claudeStarts(a, REAL_ID, REAL);
  await claudeEnds(a, REAL_ID);
  const { told, workedOut } = await statusBothWays(a);
  assert(!told.listedWhole, "the status lists neither side though the vault changed");
  assertEquals(told.report, workedOut);
  const sent = await sync(a, "push");
  assert(!sent.listedWhole, "neither side is listed though the vault changed");
  assertEquals([sent.report.pushed.length, sent.report.transcripts.moved], [1, [REAL_ID]]);

  // The conversation's copy grows while another line of work pauses: the copy goes with no new
  // snapshot, so the push is worked out in full, and sends it.
  const line = promptLine(REAL_ID, "and the refund emails");
  await Deno.writeTextFile(session.transcript, `${line}\n`, { append: true });
  await runner(a).ok(["vault", "sync"]);
  await runner(a).ok(["start", "invoices"]);
  const other = await pause(a, "Invoices: the PDF layout");
  const full = await sync(a, "push");
  assert(full.listedWhole, "a copy of an earlier snapshot's session grew");
  assertEquals(ids(full.report.pushed), [other]);
  assertEquals(full.report.transcripts.moved, [REAL_ID]);
});

Deno.test("a remote's blob named as the vault's folder is kept once by a push after pauses", async () => {
  await using clones = await withClones();
  const { a, b, remote } = clones;
  await inSync(a, b);
  // Someone's plain git push: a file where the vault's copies would be a folder.
  const ref = "refs/mpm/sessions";
  const blob = (await gitWithInput(remote, ["hash-object", "-w", "--stdin"], "a file\n")).trim();
  const listing = await git(remote, "ls-tree", ref);
  const tree = (await gitWithInput(remote, ["mktree"], `${listing}100644 blob ${blob}\tvault\n`))
    .trim();
  const head = (await git(remote, "rev-parse", ref)).trim();
  const forged = (await git(remote, "commit-tree", "-p", head, "-m", "by hand", tree)).trim();
  await git(remote, "update-ref", ref, forged);
  await sync(a, "pull");
  await sync(a, "push");

  const fresh = await pause(a, "Fifth: the tax report");
  const sent = await sync(a, "push");
  assert(!sent.listedWhole, "neither side is listed");
  assertEquals(ids(sent.report.pushed), [fresh]);
  const top = (await git(remote, "ls-tree", ref)).trim().split("\n");
  assertEquals(top.filter((line) => line.endsWith("\tvault")), [`100644 blob ${blob}\tvault`]);
});
