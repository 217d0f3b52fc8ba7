/**
 * `mpm sync push` sends only the handoffs this machine sealed: a teammate's handoff that B
 * pulled does not go on to another remote as B's, nor does one a repository committed; each is
 * named under "Not pushed" with why, and B's own handoff goes.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { git, mpm, ok, okJson, type Repo, withClones } from "../helpers.ts";

const HANDOFF = (goal: string) => [`goal: "${goal}"`, `next_step: "Do it next"`, ""].join("\n");

async function save(repo: Repo, goal: string): Promise<string> {
  const out = await mpm(["handoff", "save", "--input", "-", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: HANDOFF(goal),
  });
  assertEquals(out.code, 0, out.stderr);
  return JSON.parse(out.stdout).handoff_id;
}

interface Listed {
  kind: string;
  id: string;
  reason?: string;
}

/** The handoff files on `remote`'s refs/mpm/sessions. */
async function remoteHandoffs(cwd: string, remote: string): Promise<string[]> {
  const names = await git(
    cwd,
    "--git-dir",
    remote,
    "ls-tree",
    "-r",
    "--name-only",
    "refs/mpm/sessions",
  );
  return names.split("\n").filter((n) => n.startsWith("handoffs/") && n.endsWith(".json"));
}

Deno.test("sync push sends only the handoffs this machine sealed", async (t) => {
  await using clones = await withClones();
  const { a, b } = clones;
  await ok(a, "pause", "-s", "Payments");
  const pulledId = await save(a, "Alice's handoff");
  await ok(a, "sync", "push");
  await ok(b, "sync", "pull");
  const other = join(clones.remote, "..", "other.git");
  await git(join(clones.remote, ".."), "init", "-q", "--bare", "-b", "main", other);
  await b.git("remote", "add", "other", other);

  await t.step("a pulled handoff is not pushed on to another remote", async () => {
    await ok(b, "pause", "-s", "Bob's work");
    const ownId = await save(b, "Bob's handoff");
    const pushed = await okJson(b, "sync", "push", "other", "--json");
    const ids = (pushed.pushed as Listed[]).filter((m) => m.kind === "handoff").map((m) => m.id);
    assertEquals(ids, [ownId]);
    const held = (pushed.held_back as Listed[]).find((m) => m.id === pulledId);
    assert(held, JSON.stringify(pushed));
    assertStringIncludes(held.reason!, "not written by mpm on this machine");
    assertEquals(await remoteHandoffs(b.path, other), [`handoffs/${ownId}.json`]);
    const text = (await ok(b, "sync", "status", "other")).stdout;
    assertStringIncludes(text, "Not pushed:");
  });

  await t.step("a handoff committed into the repository is not pushed", async () => {
    const committedId = await save(a, "Committed handoff");
    const files = [".json", ".json.sha256"].map((ext) =>
      `.claude-mpm/handoffs/${committedId}${ext}`
    );
    await a.git("add", "-f", ...files);
    await a.git("commit", "-q", "-m", "Commit the handoffs");
    await a.git("push", "-q", "origin", "main");
    await b.git("pull", "-q", "--no-rebase", "origin", "main");
    const pushed = await okJson(b, "sync", "push", "other", "--json");
    const ids = (pushed.pushed as Listed[]).map((m) => m.id);
    assert(!ids.includes(committedId), JSON.stringify(pushed));
    assert(
      (pushed.held_back as Listed[]).some((m) => m.id === committedId),
      JSON.stringify(pushed),
    );
    assert(!(await remoteHandoffs(b.path, other)).includes(`handoffs/${committedId}.json`));
  });
});
