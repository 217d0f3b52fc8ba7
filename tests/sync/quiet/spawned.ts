/**
 * `mpm ARGS --json` in a clone as a process, and the git calls it made: the answers a sync keeps
 * are trusted by the build that kept them, so the tests of what a sync keeps run every sync so.
 */
import { assertEquals } from "../../assert.ts";
import { loggingGit, mpm, type Repo } from "../../helpers.ts";

export async function spawned(repo: Repo, ...args: string[]) {
  const { bin, log } = await loggingGit(repo.home);
  await Deno.remove(log).catch(() => {});
  const env = { HOME: repo.home, PATH: `${bin}:${Deno.env.get("PATH") ?? ""}` };
  const run = await mpm([...args, "--json"], { cwd: repo.path, env, spawn: true });
  assertEquals(run.code, 0, run.stderr);
  /** Each git call's arguments, as one line. */
  const calls = (await Deno.readTextFile(log)).trim().split("\n");
  /** Each git call's subcommand. */
  const asked = calls.map((line) => line.split(" ").find((w) => /^[a-z][a-z-]+$/.test(w)));
  return { report: JSON.parse(run.stdout), calls, asked };
}
