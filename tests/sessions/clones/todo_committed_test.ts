/**
 * A clone whose `.claude-mpm/` was committed by its author: `mpm todo` and the todo service
 * `mpm mcp`'s tools share (src/sessions/todo/todo_change.ts) leave the tracked `state.json` as it
 * is and say to start a session of one's own; after `mpm start`, todos are the person's.
 */
import { join } from "node:path";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../../assert.ts";
import { git, mpm, ok, type Repo, repoAt, withRepo } from "../../helpers.ts";
import { connect, envOf } from "../../mcp/mcp_helpers.ts";
import { addTodoToWork, changeTodos } from "../../../src/sessions/todo/todo_change.ts";
import { MpmError } from "../../../src/kernel/errors.ts";

const REFUSED = ".claude-mpm/state.json came with the repository (git tracks it) and is not " +
  "your session, so mpm leaves it unchanged and changes no todo.";

/** `upstream`'s author starts a session with a todo and commits all of `.claude-mpm/`; cloned. */
async function clonedWithMpm(upstream: Repo): Promise<Repo> {
  const author = { cwd: upstream.path, env: { HOME: join(upstream.path, "..", "author-home") } };
  await Deno.mkdir(author.env.HOME, { recursive: true });
  for (const args of [["start", "theirs"], ["todo", "add", "their todo"]]) {
    const result = await mpm(args, author);
    assertEquals(result.code, 0, result.stderr);
  }
  await upstream.git("add", "-f", ".claude-mpm");
  await upstream.git("commit", "-q", "-m", "Add mpm's files");
  const path = join(upstream.path, "..", "clone");
  await git(join(upstream.path, ".."), "clone", "-q", upstream.path, path);
  return repoAt(path, upstream.home, () => Promise.resolve());
}

Deno.test("todo in a clone with a committed .claude-mpm changes no tracked file", async (t) => {
  await using upstream = await withRepo();
  const clone = await clonedWithMpm(upstream);
  const committed = await clone.read(".claude-mpm/state.json");
  const unchanged = async () => {
    assertEquals(await clone.git("status", "--porcelain"), "");
    assertEquals(await clone.read(".claude-mpm/state.json"), committed);
  };

  await t.step("mpm todo add and done refuse in one sentence, saying what to do", async () => {
    for (const args of [["todo", "add", "mine"], ["todo", "done", "1"]]) {
      const out = await clone.run(...args);
      assertEquals(out.code, 1, out.stderr);
      assertStringIncludes(out.stderr, REFUSED);
      assertStringIncludes(out.stderr, "Start a session of your own with `mpm start NAME`");
      await unchanged();
    }
  });

  await t.step("the shared todo service and mpm mcp's todo_add refuse the same", async () => {
    const env = envOf(clone);
    for (
      const change of [
        () => addTodoToWork(env, "mine", "mcp todo_add"),
        () => changeTodos(env, "mcp todo_done", (active) => ({ session: active, result: null })),
      ]
    ) {
      const error = await assertRejects(change);
      assert(error instanceof MpmError, String(error));
      assertEquals(error.message, REFUSED);
    }
    await using mcp = await connect(clone);
    const added = await mcp.call("todo_add", { text: "mine" });
    assertEquals(added.error, true, added.text);
    assertStringIncludes(added.text, REFUSED);
    await unchanged();
  });

  await t.step("after mpm start, the todos are the person's", async () => {
    await ok(clone, "start", "mine");
    assertStringIncludes((await ok(clone, "todo", "add", "my todo")).stdout, "1. [ ] my todo");
  });
});
