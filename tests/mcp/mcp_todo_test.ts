/**
 * `mpm mcp`'s todo tools keep what `mpm todo add` keeps — the words as given (lines joined),
 * escaped only in the answer — and say, as todo_add does, when nothing was active and the newest
 * paused work goes on.
 */
import { assertEquals } from "../assert.ts";
import { ok, type Repo, withRepo } from "../helpers.ts";
import { connect } from "./mcp_helpers.ts";

/** The todos as `mpm todo list --json` gives them: [content, status]. */
async function todos(repo: Repo): Promise<[string, string][]> {
  const listed = JSON.parse((await ok(repo, "todo", "list", "--json")).stdout) as {
    content: string;
    status: string;
  }[];
  return listed.map((t) => [t.content, t.status]);
}

Deno.test("todo_add saves the words as mpm todo add does; only its answer is escaped", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "parser");
  await ok(repo, "todo", "add", "<b>cli</b>\nsecond line");
  await using mcp = await connect(repo);
  const added = await mcp.call("todo_add", { text: "Fix Vec<String> parsing when a < b" });
  assertEquals(added, {
    text: "Added todo 2 to parser: Fix Vec&lt;String> parsing when a < b",
    error: false,
  });
  assertEquals((await mcp.call("todo_add", { text: "line1\nline2" })).error, false);
  assertEquals(await todos(repo), [
    ["<b>cli</b> second line", "pending"],
    ["Fix Vec<String> parsing when a < b", "pending"],
    ["line1 line2", "pending"],
  ]);
  const empty = await mcp.call("todo_add", { text: " \n " });
  assertEquals(empty, { text: "The todo's text is empty.", error: true });
});

Deno.test("todo_done with nothing active says the newest paused work continues", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "w2");
  await ok(repo, "todo", "add", "t1");
  await ok(repo, "pause", "-s", "w2 paused");
  await using mcp = await connect(repo);
  assertEquals(await mcp.call("todo_done", { number: 1 }), {
    text: "Marked done: todo 1 of w2 (no session was active: the newest paused work continues): t1",
    error: false,
  });
  assertEquals(await todos(repo), [["t1", "completed"]]);
});
