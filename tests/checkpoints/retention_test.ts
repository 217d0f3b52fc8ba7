/**
 * PreCompact keeps this machine's newest 20 automatic checkpoints and counts nothing else: not a
 * teammate's pulled with `mpm sync pull` (named `auto-2099…` or not), not one a person named,
 * not one that fails its checks — and never removes the one it has just saved.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../assert.ts";
import { mpm, type Repo, withClones, withRepo } from "../helpers.ts";
import { runHook } from "../../src/hooks/events/hook_command.ts";
import { hookEnv, payload } from "../hooks/hooks_helpers.ts";
import { sha256Hex } from "../../src/kernel/hashing/checksum.ts";

const dir = (repo: Repo) => join(repo.path, ".claude-mpm", "checkpoints");

/** A PreCompact hook run in this process at `now`; returns the checkpoint it saved. */
async function compaction(repo: Repo, now: Date): Promise<string> {
  const env = hookEnv(repo, payload("pre-compact-auto.json", repo), now);
  const result = await runHook(env, "checkpoint");
  assertEquals(result.exitCode, undefined, env.warnings.join("\n"));
  // The hook says on stderr which checkpoint it saved.
  const saved = env.warnings
    .map((w) => /saved checkpoint (auto-[0-9-]+)/.exec(w)?.[1]).find(Boolean);
  assert(saved, `no checkpoint saved: ${env.warnings.join("\n")}`);
  return saved;
}

async function names(repo: Repo): Promise<string[]> {
  const found: string[] = [];
  for await (const e of Deno.readDir(dir(repo))) {
    if (e.name.endsWith(".json")) found.push(e.name.slice(0, -5));
  }
  return found.sort();
}

/**
 * Copies checkpoint `from` as `name`, changed as another machine (or a forger) would have it,
 * with a checksum that matches: a file `mpm sync pull` imports as it is.
 */
async function copyAs(repo: Repo, from: string, name: string, changes: Record<string, unknown>) {
  const record = JSON.parse(await Deno.readTextFile(join(dir(repo), `${from}.json`)));
  const text = JSON.stringify({ ...record, name, ...changes }, null, 2) + "\n";
  await Deno.writeTextFile(join(dir(repo), `${name}.json`), text);
  await Deno.writeTextFile(
    join(dir(repo), `${name}.json.sha256`),
    `${sha256Hex(text)}  ${name}.json\n`,
  );
}

const at = (hour: number, minute = 0) =>
  new Date(`2025-10-20T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00Z`);

Deno.test("20 pulled auto-2099 checkpoints of a teammate evict none of the user's own", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const own = [
    await compaction(a, at(10)),
    await compaction(a, at(11)),
    await compaction(a, at(12)),
  ];
  // The teammate's compactions, dated in 2099, from their machine.
  const theirs = await compaction(b, at(9));
  const pulled: string[] = [];
  for (let i = 0; i < 20; i++) {
    const name = `auto-20991231-2359${String(i).padStart(2, "0")}`;
    await copyAs(b, theirs, name, {
      machine: "teammates-box",
      saved_at: `2099-12-31T23:59:${String(i).padStart(2, "0")}.000Z`,
    });
    pulled.push(name);
  }
  await Deno.remove(join(dir(b), `${theirs}.json`));
  await Deno.remove(join(dir(b), `${theirs}.json.sha256`));
  for (const [repo, verb] of [[b, "push"], [a, "pull"]] as const) {
    const run = await mpm(["sync", verb], { cwd: repo.path, env: { HOME: repo.home } });
    assertEquals(run.code, 0, `sync ${verb}: ${run.stdout}${run.stderr}`);
  }
  assertEquals(await names(a), [...own, ...pulled].sort());

  const saved = await compaction(a, at(13));
  assertEquals(await names(a), [...own, saved, ...pulled].sort());
});

Deno.test("this machine's automatic checkpoints are capped at 20; named, forged and damaged ones stay", async () => {
  await using repo = await withRepo();
  const own: string[] = [];
  for (let i = 0; i < 20; i++) own.push(await compaction(repo, at(1, i)));
  const named = await mpm(["checkpoint", "save", "before-refactor"], {
    cwd: repo.path,
    env: { HOME: repo.home },
  });
  assertEquals(named.code, 0, named.stderr);
  // A copy of this machine's own, changed: its checksum matches, its seal no longer does.
  await copyAs(repo, own[5], "auto-20991231-000001", { saved_at: "2099-12-31T00:00:01.000Z" });
  // One that fails its checksum.
  await Deno.writeTextFile(join(dir(repo), "auto-20991231-000000.json"), "{}\n");
  await Deno.writeTextFile(join(dir(repo), "auto-20991231-000000.json.sha256"), "0\n");

  const saved = await compaction(repo, at(5));
  const left = await names(repo);
  assertEquals(
    left,
    [...own.slice(1), saved, "auto-20991231-000000", "auto-20991231-000001", "before-refactor"]
      .sort(),
  );
  const files = await Array.fromAsync(Deno.readDir(dir(repo)), (e) => e.name);
  assert(!files.some((f) => f.startsWith(`${own[0]}.`)), `${own[0]}'s files went too`);
});
