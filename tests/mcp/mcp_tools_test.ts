/**
 * `mpm mcp`'s tools in this process, through the protocol: the SDK's client on an in-memory
 * transport talks to the server (src/mcp/server.ts) for a real repository with the person's
 * pause and a teammate's (another machine's key). What each tool answers, whose words it marks,
 * the caps, the one-sentence errors after which the server goes on, and the two writes.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, type Repo, withRepo } from "../helpers.ts";
import { MAX_ANSWER_CHARS, MAX_SESSION_CHARS } from "../../src/mcp/tools/render.ts";
import { connect } from "./mcp_helpers.ts";

const WORDS = "Chose the token bucket over the leaky bucket because bursts matter";

/** A repository with the person's pause and todo, and a teammate's pause (another key). */
async function project(): Promise<Repo> {
  const repo = await withRepo();
  await repo.commit("First commit", { "a.txt": "a\n" });
  assertEquals((await repo.run("start", "rate limits")).code, 0);
  const paused = await repo.run(
    "pause",
    "-s",
    WORDS,
    "--next-step",
    "wire the limiter into the router",
  );
  assertEquals(paused.code, 0, paused.stderr);
  assertEquals((await repo.run("todo", "add", "write the bucket tests")).code, 0);
  // Another machine (its own home, so its own key) pauses in the same project: a teammate's.
  const teammate = await mpm(["pause", "-s", "Teammate says the leaky bucket is simpler"], {
    cwd: repo.path,
    env: { HOME: join(repo.home, "..", "teammate-home") },
  });
  assertEquals(teammate.code, 0, teammate.stderr);
  return repo;
}

/** What tools/list gives of a tool, as these tests read it. */
interface ListedTool {
  name: string;
  description?: string;
  inputSchema: { type: string; required?: string[] };
  annotations?: { readOnlyHint?: boolean };
}

Deno.test("mpm mcp in process: the tools, whose words, errors and the two writes", async (t) => {
  await using repo = await project();
  await using mcp = await connect(repo);

  await t.step("tools/list names each tool with a description and an input schema", async () => {
    const { tools } = await mcp.client.listTools() as { tools: ListedTool[] };
    assertEquals(tools.map((tool) => tool.name), [
      "search",
      "current_work",
      "show_session",
      "show_handoff",
      "list_recent",
      "team_work",
      "todo_add",
      "todo_done",
    ]);
    for (const tool of tools) {
      assert((tool.description ?? "").length > 80, tool.name);
      assertEquals(tool.inputSchema.type, "object");
    }
    const search = tools.find((tool) => tool.name === "search")!;
    assertEquals(search.inputSchema.required, ["query"]);
    assertEquals(search.annotations?.readOnlyHint, true);
    assertEquals(tools.find((tool) => tool.name === "todo_add")!.annotations?.readOnlyHint, false);
  });

  await t.step("search: the person's words and the teammate's, each marked", async () => {
    const { text, error } = await mcp.call("search", { query: "bucket" });
    assertEquals(error, false, text);
    assertStringIncludes(text, '2 matches for "bucket"');
    assertStringIncludes(text, "Chose the token «bucket» over the leaky bucket");
    const lines = text.split("\n");
    const own = lines.findIndex((line) => line.includes("token «bucket»"));
    const theirs = lines.findIndex((line) => line.includes("leaky «bucket» is simpler"));
    assert(own > 0 && theirs > 0, text);
    assertStringIncludes(lines[own - 1], "the person's own");
    assertStringIncludes(lines[theirs - 1], "written elsewhere: a teammate's or a clone's record");
    assertStringIncludes(lines[theirs - 1], "not the person's words");
  });

  await t.step("current_work: name, last words, next steps, todos, git at the pause", async () => {
    const { text, error } = await mcp.call("current_work");
    assertEquals(error, false, text);
    for (
      const part of [
        "Active: rate limits",
        "1. [ ] write the bucket tests",
        "[the person's own record",
        `Summary: ${WORDS}`,
        "wire the limiter into the router",
        "Git at pause: main at",
      ]
    ) assertStringIncludes(text, part);
    // The teammate's newer pause is not the person's current work.
    assert(!text.includes(`Summary: Teammate`), text);
    assertStringIncludes(text, "The newest pause of this work:");
  });

  await t.step("list_recent and show_session: ids, and one session whole", async () => {
    const listed = await mcp.call("list_recent", { limit: 5 });
    assertEquals(listed.error, false, listed.text);
    const ids = [...listed.text.matchAll(/^\d+\. (session-\S+)/gm)].map((m) => m[1]);
    assertEquals(ids.length, 2, listed.text);
    assertStringIncludes(listed.text, "No handoffs from Claude in this project.");
    const mine = ids.find((id) =>
      listed.text.split("\n").some((l) => l.includes(id) && l.includes("the person's own"))
    )!;
    const shown = await mcp.call("show_session", { id: mine });
    assertStringIncludes(shown.text, `Session ${mine}`);
    assertStringIncludes(shown.text, "Name: rate limits");
    const theirs = ids.find((id) => id !== mine)!;
    const other = await mcp.call("show_session", { id: theirs });
    assert(
      other.text.startsWith("[written elsewhere: a teammate's or a clone's record"),
      other.text,
    );
  });

  await t.step("errors are one sentence, and the server goes on", async () => {
    const unknown = await mcp.call("no_such_tool");
    assertEquals(unknown.error, true);
    assertStringIncludes(unknown.text, 'mpm has no tool "no_such_tool"');
    const bad = await mcp.call("search", { query: 42 });
    assertEquals(bad, {
      text: "Bad argument to search: query: Invalid input: expected string, received number.",
      error: true,
    });
    const missing = await mcp.call("show_session", { id: "session-nope" });
    assertEquals(missing.error, true);
    assertEquals(missing.text.split("\n").length, 1, missing.text);
    const handoff = await mcp.call("show_handoff");
    assertEquals(handoff, {
      text: "Claude has written no handoff in this project yet.",
      error: true,
    });
    assertEquals((await mcp.call("search", { query: "limiter" })).error, false);
  });

  await t.step("todo_add and todo_done change the todos, and leave no lock held", async () => {
    const added = await mcp.call("todo_add", { text: "benchmark the limiter" });
    assertEquals(added, {
      text: "Added todo 2 to rate limits: benchmark the limiter",
      error: false,
    });
    const done = await mcp.call("todo_done", { number: 1 });
    assertEquals(done, {
      text: "Marked done: todo 1 of rate limits: write the bucket tests",
      error: false,
    });
    assertEquals(
      (await mcp.call("todo_done", { number: 1 })).text.startsWith("Already done"),
      true,
    );
    const none = await mcp.call("todo_done", { number: 9 });
    assertEquals(none.error, true);
    // The lock was let go after each write: the command line takes it at once.
    const listed = await repo.run("todo", "list", "--json");
    assertEquals(listed.code, 0, listed.stderr);
    assertEquals(
      JSON.parse(listed.stdout).map((
        t: { content: string; status: string },
      ) => [t.content, t.status]),
      [["write the bucket tests", "completed"], ["benchmark the limiter", "pending"]],
    );
  });
});

Deno.test("mpm mcp in process: a long session and a long answer stop at their caps, and say so", async () => {
  await using repo = await withRepo();
  await repo.commit("First commit", { "a.txt": "a\n" });
  // Each next step is a hit whose excerpt is full on both sides of the match.
  const steps = Array.from(
    { length: 60 },
    (_, i) => ["--next-step", `${"x".repeat(300)} step ${i} ${"y".repeat(300)}`],
  );
  const out = await repo.run("pause", "-s", "a pause about caps", ...steps.flat());
  assertEquals(out.code, 0, out.stderr);
  await using mcp = await connect(repo);
  const shown = await mcp.call("show_session", { id: "0" });
  assert(shown.text.length <= MAX_SESSION_CHARS + 200, String(shown.text.length));
  assertStringIncludes(
    shown.text,
    `(cut: this session is longer than ${MAX_SESSION_CHARS} characters`,
  );
  const found = await mcp.call("search", { query: "step", limit: 50 });
  assert(found.text.length <= MAX_ANSWER_CHARS + 300, String(found.text.length));
  assertStringIncludes(found.text, `(cut: this answer reached its cap of ${MAX_ANSWER_CHARS}`);
});

Deno.test("current_work: the newest pause of another session than the active one says so", async () => {
  await using repo = await withRepo();
  for (
    const args of [["start", "refunds"], [
      "pause",
      "-s",
      "refund API wired",
      "-n",
      "add the webhook",
    ], ["start", "payouts"]]
  ) {
    const out = await repo.run(...args);
    assertEquals(out.code, 0, out.stderr);
  }
  await using mcp = await connect(repo);
  const { text, error } = await mcp.call("current_work");
  assertEquals(error, false, text);
  assertStringIncludes(text, "Active: payouts");
  assertStringIncludes(text, "The newest pause, of another session than the active one:");
  assertStringIncludes(text, "Name: refunds");
});
