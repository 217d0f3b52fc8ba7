/**
 * SessionStart after `resume`, `fork`, `compact` and `/clear`, against real repositories:
 * a resumed or forked conversation whose transcript holds mpm's earlier text gets only what
 * changed since (or one line), a compaction and a start get everything; the session's name
 * becomes Claude Code's session title; and Claude's open tasks come back in the new session's
 * task list, never over one that has tasks.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";
import { CLAUDE_SESSION, installed, payload } from "../hooks_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

async function start(
  repo: Repo,
  source: string,
  session: string,
  transcript?: string,
): Promise<Json> {
  const result = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload("session-start-startup.json", repo, {
      source,
      session_id: session,
      ...(transcript ? { transcript_path: transcript } : {}),
    }),
  });
  assertEquals(result.code, 0, result.stderr);
  return result.stdout === "" ? {} : JSON.parse(result.stdout).hookSpecificOutput;
}

/** A transcript as Claude Code 2.1.330 writes it, holding the hook's injected texts. */
async function transcriptWith(repo: Repo, name: string, texts: string[]): Promise<string> {
  const file = join(repo.home, `${name}.jsonl`);
  const lines = [
    { type: "user", message: { role: "user", content: "Carry on" } },
    { type: "attachment", attachment: { type: "hook_additional_context", content: texts } },
    { type: "assistant", message: { role: "assistant", content: [{ type: "text", text: "ok" }] } },
  ];
  await Deno.writeTextFile(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return file;
}

Deno.test("a resumed conversation that carries mpm's context gets only what changed since", async (t) => {
  await using repo = await withRepo();
  await ok(repo, "start", "Payments");
  await ok(repo, "todo", "add", "Check partial refunds");
  await ok(repo, "pause", "-s", "Payment work", "-n", "Add refunds");
  const first = (await start(repo, "startup", "c1")).additionalContext as string;
  assertStringIncludes(first, "Payment work");
  assertStringIncludes(first, "(git log)");
  const carried = await transcriptWith(repo, "c1", [first]);

  await t.step("nothing changed: one line", async () => {
    const text = (await start(repo, "resume", "c1", carried)).additionalContext as string;
    assertEquals(text.split("\n").length, 1, text);
    assertStringIncludes(text, "nothing changed since mpm's context earlier in this conversation");
  });

  await t.step("a commit and a todo later: those, and not the rest again", async () => {
    await repo.commit("Add refund endpoint", { "refund.ts": "export {};\n" });
    await ok(repo, "todo", "add", "Email finance");
    const text = (await start(repo, "resume", "c1", carried)).additionalContext as string;
    assertStringIncludes(text, "What changed since mpm's context earlier in this conversation");
    assertStringIncludes(text, "Add refund endpoint");
    assertStringIncludes(text, "- [ ] Email finance");
    assertNotIncludes(text, "(git log)");
    assertNotIncludes(text, "Last session (mpm)");
    assertNotIncludes(text, "Summary now");
    assert(text.length < first.length, `${text.length} ≥ ${first.length}`);
  });

  await t.step("a fork of it likewise, by what its transcript carries", async () => {
    const text = (await start(repo, "fork", "c9", carried)).additionalContext as string;
    assertStringIncludes(text, "What changed since mpm's context earlier");
    assertNotIncludes(text, "(git log)");
  });

  await t.step("a compaction removed the earlier copy: everything again", async () => {
    const text = (await start(repo, "compact", "c1", carried)).additionalContext as string;
    assertStringIncludes(text, "Last session (mpm)");
    assertStringIncludes(text, "Payment work");
    assertStringIncludes(text, "Add refunds");
    assertStringIncludes(text, "(git log)");
    assert(text.length <= 10_000);
  });

  await t.step("a resumed conversation without mpm's context gets everything", async () => {
    const bare = await transcriptWith(repo, "bare", ["Some other hook's words"]);
    const text = (await start(repo, "resume", "c5", bare)).additionalContext as string;
    assertStringIncludes(text, "Last session (mpm)");
    assertStringIncludes(text, "(git log)");
    assertStringIncludes(text, "Add refunds");
  });

  await t.step("what each text told is kept in .claude-mpm/cache/told.json", async () => {
    const told = JSON.parse(
      await Deno.readTextFile(join(repo.path, ".claude-mpm", "cache", "told.json")),
    );
    assertEquals(told.version, 1);
    const entries = Object.values(told.told) as Json[];
    assert(entries.length >= 4, JSON.stringify(told));
    for (const entry of entries) assertEquals(typeof entry.words, "string");
    const mode = (await Deno.stat(join(repo.path, ".claude-mpm", "cache", "told.json"))).mode!;
    assertEquals(mode & 0o777, 0o600);
  });
});

Deno.test("a session a person named becomes Claude Code's session title; an unnamed one does not", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "Unnamed work");
  assertEquals((await start(repo, "startup", "c1")).sessionTitle, undefined);
  await ok(repo, "start", "Refunds for EU customers");
  const output = await start(repo, "startup", "c2");
  assertEquals(output.sessionTitle, "Refunds for EU customers");
  assertEquals(output.hookEventName, "SessionStart");
});

Deno.test("after /clear or a plain start Claude's open tasks come back in its new task list, never over one with tasks", async () => {
  await using repo = await installed();
  await ok(repo, "pause", "-s", "Payment work");
  // The Claude session that recorded tasks ends with /clear: its tasks go into the snapshot.
  const end = await mpm(["hook", "session-end"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload("session-end.json", repo, { reason: "clear" }),
  });
  assertEquals(end.code, 0, end.stderr);
  const tasks = (id: string) => join(repo.home, ".claude", "tasks", id);

  const output = await start(repo, "clear", "after-clear");
  const files = [...Deno.readDirSync(tasks("after-clear"))].map((e) => e.name).sort();
  assertEquals(files, ["1.json", "2.json"]);
  const written = files.map((name) =>
    JSON.parse(Deno.readTextFileSync(join(tasks("after-clear"), name)))
  );
  assertEquals(written.map((t: Json) => [t.id, t.subject, t.status]), [
    ["1", "Add webhook handlers", "in_progress"],
    ["2", "Add refund functionality", "pending"],
  ]);
  for (const task of written) {
    assertEquals([task.description, task.blocks, task.blockedBy], ["", [], []]);
    assertEquals(task.activeForm, task.subject);
  }
  // Where Claude Code does not read its task list, the context lists them too.
  assertStringIncludes(output.additionalContext, "Add webhook handlers (in progress)");

  // A list that already holds a task is Claude Code's own: nothing is added to it.
  await Deno.mkdir(tasks("busy"), { recursive: true });
  const own = '{"id":"1","subject":"Mine"}';
  await Deno.writeTextFile(join(tasks("busy"), "1.json"), own);
  await start(repo, "clear", "busy");
  assertEquals([...Deno.readDirSync(tasks("busy"))].map((e) => e.name), ["1.json"]);
  assertEquals(await Deno.readTextFile(join(tasks("busy"), "1.json")), own);

  // A plain start goes on with the same work: the tasks come back there too.
  await start(repo, "startup", "fresh");
  assertEquals([...Deno.readDirSync(tasks("fresh"))].length, 2);
  // A compaction goes on with the same conversation and its own list: left alone.
  await start(repo, "compact", "compacted");
  await Deno.stat(tasks("compacted")).then(() => assert(false, "compact wrote tasks"), () => {});
  // The recorded session's own list is untouched.
  assertEquals([...Deno.readDirSync(tasks(CLAUDE_SESSION))].length, 3);
});
