/**
 * `mpm sync status` right after a push and a pull that moved nothing (sync/status.ts): their
 * answers stand, so it lists neither side and answers as the status worked out would.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { okJson, type Repo, withClones } from "../../helpers.ts";
import { spawned } from "./spawned.ts";
import { settled } from "./settled.ts";

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

const status = (repo: Repo) => spawned(repo, "sync", "status");
const sync = (repo: Repo, op: "push" | "pull") => spawned(repo, "sync", op);

/** The quiet answers dropped: the status worked out from both sides. */
async function workedOut(repo: Repo) {
  await Deno.remove(join(repo.path, ".claude-mpm", "cache", "sync-quiet.json"));
  return (await status(repo)).report;
}

Deno.test("a status after a push and a pull that moved nothing lists neither side, same answer", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await pause(a, "The ledger schema");
  const spike = await pause(a, "Spike: the private export");
  await Deno.writeTextFile(
    join(a.path, ".claude-mpm", "sync.json"),
    JSON.stringify({ exclude: [spike] }),
  );
  await sync(a, "push");
  await pause(b, "The invoice template");
  await okJson(b, "sync", "push", "--json");
  await sync(a, "pull");
  await settled(a);
  await sync(a, "push");
  await sync(a, "pull");

  const quiet = await status(a);
  assert(!quiet.asked.includes("ls-tree"), quiet.asked.join(" "));
  assertEquals(quiet.report.in_both, 2);
  assertEquals(quiet.report.excluded.map((e: { id: string }) => e.id), [spike]);
  assertEquals(quiet.report, await workedOut(a));
});

Deno.test("a status after a pause or a teammate's push works it out again", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await pause(a, "The ledger schema");
  await settled(a);
  await sync(a, "push");
  await sync(a, "pull");
  assertEquals((await status(a)).report.local_only, []);

  const mine = await pause(a, "The ledger's migration");
  const first = await status(a);
  assertEquals(first.report.local_only.map((m: { id: string }) => m.id), [mine]);
  assert(first.asked.includes("ls-tree"), first.asked.join(" "));

  await okJson(b, "sync", "pull", "--json");
  const theirs = await pause(b, "The invoice template");
  await okJson(b, "sync", "push", "--json");
  const second = await status(a);
  assertEquals(second.report.remote_only.map((m: { id: string }) => m.id), [theirs]);
  assertEquals(second.report.local_only.map((m: { id: string }) => m.id), [mine]);
});
