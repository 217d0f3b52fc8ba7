/**
 * What `mpm status`, `mpm resume` and `mpm return` print, word for word, against the files in
 * tests/fixtures/golden/. One session's day runs in this process on a fixed clock (the Env's
 * `now`), with git's dates fixed too, so every time, "ago" and commit hash is the same on each
 * run; only the random parts (an id's three letters, a session key, the temp folder) are masked.
 *
 * A change to what these commands print shows here as a diff. When it is meant, write the files
 * anew with `MPM_UPDATE_GOLDEN=1 deno test -A tests/cli/golden_test.ts` and review them.
 */
import { join } from "node:path";
import { assertEquals } from "../assert.ts";
import { git, mpm, type Repo, ROOT, type RunResult, withRepo } from "../helpers.ts";

const GOLDEN = join(ROOT, "tests", "fixtures", "golden");
const UPDATE = Deno.env.get("MPM_UPDATE_GOLDEN") === "1";

/** The day's clock: minutes after 09:00 UTC on 2 March 2026. */
function at(minutes: number): Date {
  return new Date(Date.UTC(2026, 2, 2, 9, minutes));
}

/** git's dates for `when`: commits and stashes, the test's and mpm's, get the same hashes. */
function gitDates(when: Date): Record<string, string> {
  const stamp = `${Math.floor(when.getTime() / 1000)} +0000`;
  return { GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp };
}

/** `mpm ARGS` at `minutes` past nine; it must exit with `code`. */
async function mpmAt(repo: Repo, minutes: number, args: string[], code = 0): Promise<RunResult> {
  const now = at(minutes);
  const result = await mpm(args, {
    cwd: repo.path,
    env: { HOME: repo.home, ...gitDates(now) },
    now: () => now,
  });
  assertEquals(result.code, code, `mpm ${args.join(" ")}: ${result.stdout}${result.stderr}`);
  return result;
}

/** A commit of `files` at `minutes` past nine. */
async function commitAt(
  repo: Repo,
  minutes: number,
  message: string,
  files: Record<string, string>,
) {
  for (const [file, text] of Object.entries(files)) await repo.write(file, text);
  await repo.git("add", "-A");
  const out = await new Deno.Command("git", {
    args: ["commit", "-q", "-m", message],
    cwd: repo.path,
    env: gitDates(at(minutes)),
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
}

/** The output with what differs between runs masked: the temp folder, id letters, keys. */
function masked(repo: Repo, text: string): string {
  return text.replaceAll(repo.path, "<repo>")
    .replace(/(session-\d{8}-\d{6}-\d{3})[a-z]{3}\b/g, "$1xxx")
    .replace(/\bs-[0-9a-f]{10}\b/g, "s-<key>");
}

/** Compares `actual` with the golden file `name`.txt (or writes it, with MPM_UPDATE_GOLDEN=1). */
async function golden(name: string, actual: string): Promise<void> {
  const file = join(GOLDEN, `${name}.txt`);
  if (UPDATE) {
    await Deno.mkdir(GOLDEN, { recursive: true });
    await Deno.writeTextFile(file, actual);
    return;
  }
  const expected = await Deno.readTextFile(file).catch(() => `(no golden file ${file})`);
  assertEquals(actual, expected, `${name}: not as tests/fixtures/golden/${name}.txt`);
}

Deno.test("golden: status, resume and return through one session's morning", async (t) => {
  await using repo = await withRepo({ commit: false });
  await commitAt(repo, -60, "Initial commit", { "README.md": "# shop\n", "cart.ts": "v1\n" });
  const show = async (name: string, result: RunResult) => {
    await golden(name, masked(repo, result.stdout + result.stderr));
  };

  await t.step("status: an active session with todos, not saved yet", async () => {
    await mpmAt(repo, 0, ["start", "checkout", "--task", "Wire the cart to the API"]);
    await mpmAt(repo, 1, ["todo", "add", "Write the cart model"]);
    await mpmAt(repo, 2, ["todo", "add", "Call the payments API"]);
    await mpmAt(repo, 15, ["todo", "done", "1"]);
    await show("status-active", await mpmAt(repo, 20, ["status"]));
  });

  await t.step("status: nothing active, the latest pause", async () => {
    await repo.write("cart.ts", "v2\n");
    await mpmAt(repo, 30, [
      "pause",
      "-s",
      "Cart model done, API next",
      "-a",
      "Wrote the cart model",
      "-n",
      "Call the payments API",
    ]);
    await show("status-paused", await mpmAt(repo, 90, ["status"]));
  });

  await t.step("resume: the words, the todos and what changed since the pause", async () => {
    await commitAt(repo, 45, "Add the cart model", { "cart.ts": "v2\n" });
    await repo.write("README.md", "# shop\n\nCheckout is coming.\n");
    await show("resume", await mpmAt(repo, 120, ["resume"]));
  });

  await t.step("status: a child session over a stacked parent", async () => {
    await mpmAt(repo, 125, ["branch", "hotfix", "--git-branch", "fix", "--stash"]);
    await show("status-stack", await mpmAt(repo, 130, ["status"]));
  });

  await t.step("return: the child completed, the parent's branch and work back", async () => {
    await commitAt(repo, 140, "Fix the token refresh", { "auth.ts": "refresh\n" });
    await show(
      "return",
      await mpmAt(repo, 150, ["return", "-s", "Fixed the outage", "-a", "Patched refresh"]),
    );
    await show("status-returned", await mpmAt(repo, 155, ["status"]));
    assertEquals(await git(repo.path, "stash", "list"), "");
  });
});
