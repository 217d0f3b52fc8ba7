import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals } from "../../tests/assert.ts";
import { tempDir } from "../../tests/helpers.ts";
import { claudeConfigDir, type ClaudeTodo, readClaudeTodos } from "./tasks.ts";

// The fixtures folder is laid out like Claude Code's config folder (tasks/, todos/).
const FIXTURES = fileURLToPath(new URL("../../tests/fixtures/claude-code", import.meta.url));
const SESSION = "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11";

const EXPECTED: { active: ClaudeTodo[]; completed: ClaudeTodo[] } = {
  active: [
    { content: "Add webhook handlers", status: "in_progress" },
    { content: "Add refund functionality", status: "pending" },
  ],
  completed: [{ content: "Integrate Stripe API", status: "completed" }],
};

Deno.test("the recorded task list becomes active and completed todos", async () => {
  const todos = await readClaudeTodos({
    home: "/nonexistent",
    sessionId: SESSION,
    env: { CLAUDE_CONFIG_DIR: FIXTURES },
  });
  assertEquals(todos, { ...EXPECTED, source: "tasks" });
});

Deno.test("the older todo files are used when there is no task list", async () => {
  await using home = await tempDir();
  const todos = join(home.path, ".claude", "todos");
  await Deno.mkdir(todos, { recursive: true });
  const name = `${SESSION}-agent-${SESSION}.json`;
  await Deno.copyFile(join(FIXTURES, "todos", name), join(todos, name));
  // A subagent's file: its new item is added after the main agent's, repeats are not.
  await Deno.writeTextFile(
    join(todos, `${SESSION}-agent-0a1b.json`),
    JSON.stringify([
      { content: "Integrate Stripe API", status: "pending" },
      { content: "Search the Stripe docs", status: "completed" },
    ]),
  );
  await Deno.writeTextFile(join(todos, `other-session-agent-other-session.json`), "[]");
  const result = await readClaudeTodos({ home: home.path, sessionId: SESSION, env: {} });
  assertEquals(result, {
    active: EXPECTED.active,
    completed: [...EXPECTED.completed, { content: "Search the Stripe docs", status: "completed" }],
    source: "todos",
  });
});

Deno.test("CLAUDE_CODE_TASK_LIST_ID names the list; ids sort as numbers; bad files are skipped", async () => {
  await using home = await tempDir();
  const list = join(home.path, ".claude", "tasks", "team-list");
  await Deno.mkdir(list, { recursive: true });
  const task = (id: string, subject: string, status: string) =>
    Deno.writeTextFile(join(list, `${id}.json`), JSON.stringify({ id, subject, status }));
  await task("10", "tenth", "pending");
  await task("2", "second", "completed");
  await task("9", "ninth", "in_progress");
  await task("3", "bad status", "blocked");
  await Deno.writeTextFile(join(list, "4.json"), '{"id":"4","subject":"cut sho');
  await Deno.writeTextFile(join(list, "5.json"), JSON.stringify({ id: "5", status: "pending" }));
  await Deno.writeTextFile(join(list, ".lock"), "");
  const result = await readClaudeTodos({
    home: home.path,
    sessionId: SESSION,
    env: { CLAUDE_CODE_TASK_LIST_ID: "team-list" },
  });
  assertEquals(result, {
    active: [{ content: "ninth", status: "in_progress" }, { content: "tenth", status: "pending" }],
    completed: [{ content: "second", status: "completed" }],
    source: "tasks",
  });
});

Deno.test("no task list and no todo files give empty lists", async () => {
  await using home = await tempDir();
  assertEquals(await readClaudeTodos({ home: home.path, sessionId: SESSION, env: {} }), {
    active: [],
    completed: [],
    source: null,
  });
});

Deno.test("claudeConfigDir honours CLAUDE_CONFIG_DIR", () => {
  assertEquals(claudeConfigDir("/home/dev", {}), "/home/dev/.claude");
  assertEquals(claudeConfigDir("/home/dev", { CLAUDE_CONFIG_DIR: "/etc/claude" }), "/etc/claude");
  assertEquals(claudeConfigDir("/home/dev", { CLAUDE_CONFIG_DIR: " " }), "/home/dev/.claude");
});
