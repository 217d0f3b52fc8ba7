import { assert, assertEquals, assertMatch } from "../../../tests/assert.ts";
import { DENO_DIR, tempDir, withRepo } from "../../../tests/helpers.ts";
import { gitFailure, gitVersion, isNotRepo, isSpawnNotFound, runGit } from "./run.ts";

/**
 * Runs a snippet in a child process with `env` added: changing PATH or GIT_DIR in this process
 * would leak into test modules running in parallel.
 */
async function inChild(code: string, env: Record<string, string>): Promise<unknown> {
  const here = new URL(".", import.meta.url).href;
  const script = `const here = ${JSON.stringify(here)};\n${code}`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", script],
    env: { DENO_DIR, ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  if (out.code !== 0) throw new Error(text.decode(out.stderr));
  return JSON.parse(text.decode(out.stdout));
}

Deno.test("without git installed, readers return null instead of throwing", async () => {
  await using repo = await withRepo();
  await using empty = await tempDir();
  const results = await inChild(
    `
    const { runGit, gitVersion } = await import(here + "run.ts");
    const { readGitState } = await import(here + "../tree/status.ts");
    const { readHistorySince } = await import(here + "../history/history.ts");
    const root = ${JSON.stringify(repo.path)};
    console.log(JSON.stringify([
      await runGit(root, ["status"]),
      await readGitState(root),
      await readHistorySince(root, null),
      await gitVersion(),
    ]));`,
    { PATH: empty.path },
  );
  assertEquals(results, [null, null, null, null]);
  assertMatch((await gitVersion())!, /^git version \d/);
});

Deno.test("isSpawnNotFound is true only for a missing program or folder", () => {
  assert(isSpawnNotFound(new Deno.errors.NotFound("entity not found")));
  assert(!isSpawnNotFound(new Deno.errors.PermissionDenied("no")));
  assert(!isSpawnNotFound(new Error("other")));
});

Deno.test("runGit returns null when the folder does not exist", async () => {
  assertEquals(await runGit("/nonexistent/mpm/folder", ["status"]), null);
});

Deno.test("isNotRepo recognises git's refusal outside a repository", async () => {
  await using dir = await tempDir();
  const out = await runGit(dir.path, ["status"]);
  assert(out !== null && isNotRepo(out), out?.stderr);
  await using repo = await withRepo();
  const inside = await runGit(repo.path, ["status"]);
  assert(inside !== null && inside.code === 0 && !isNotRepo(inside));
});

Deno.test("runGit does not follow an inherited GIT_DIR to another repository", async () => {
  await using a = await withRepo({ name: "a" });
  await using b = await withRepo({ name: "b" });
  await b.commit("only in b");
  const subject = await inChild(
    `
    const { runGit } = await import(here + "run.ts");
    const out = await runGit(${JSON.stringify(a.path)}, ["log", "-1", "--format=%s"]);
    console.log(JSON.stringify(out?.stdout.trim()));`,
    { GIT_DIR: `${b.path}/.git`, PATH: Deno.env.get("PATH") ?? "" },
  );
  assertEquals(subject, "Initial commit");
});

Deno.test("gitFailure names the subcommand and git's first line, with a hint", () => {
  const error = gitFailure(["-c", "x=y", "commit", "-m", "m"], {
    code: 128,
    stdout: "",
    stderr: "\nfatal: unable to auto-detect email address\nmore\n",
  }, "Set user.email.");
  assertEquals(error.message, "git commit failed: fatal: unable to auto-detect email address");
  assertEquals((error as { hint?: string }).hint, "Set user.email.");
});
