import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals } from "../../../tests/assert.ts";
import { tempDir } from "../../../tests/helpers.ts";
import {
  type ClaudeTodo,
  readClaudeTodos,
  taskFiles,
  taskListFolder,
  taskListHasTasks,
  tasksEnabled,
} from "./tasks.ts";
import { claudeConfigDir } from "../settings/config/config_dir.ts";

// The fixtures folder is laid out like Claude Code's config folder (tasks/, todos/).
const FIXTURES = fileURLToPath(new URL("../../../tests/fixtures/claude-code", import.meta.url));
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

Deno.test("task files are written in Claude Code's own format, as its recorded ones are", async () => {
  const files = taskFiles([
    { content: "Add webhook handlers", status: "in_progress" },
    { content: "Add refund functionality", status: "pending" },
  ]);
  assertEquals(files.map((f) => f.name), ["1.json", "2.json"]);
  const recorded = JSON.parse(
    await Deno.readTextFile(join(FIXTURES, "tasks", SESSION, "2.json")),
  );
  const written = JSON.parse(files[0].text);
  // Every field Claude Code 2.1.330 requires, with the same types as in its own files.
  for (
    const key of ["id", "subject", "description", "activeForm", "status", "blocks", "blockedBy"]
  ) {
    assertEquals(typeof written[key], typeof recorded[key], key);
    assertEquals(Array.isArray(written[key]), Array.isArray(recorded[key]), key);
  }
  assertEquals(written.id, "1");
  assertEquals(written.subject, "Add webhook handlers");
  assertEquals(written.status, "in_progress");
  // And mpm reads them back as it reads Claude Code's.
  await using home = await tempDir();
  const folder = taskListFolder({ home: home.path, sessionId: "a/b c", env: {} });
  assertEquals(folder, join(home.path, ".claude", "tasks", "a-b-c"));
  assertEquals(await taskListHasTasks(folder), false);
  await Deno.mkdir(folder, { recursive: true });
  for (const f of files) await Deno.writeTextFile(join(folder, f.name), f.text);
  assertEquals(await taskListHasTasks(folder), true);
  const read = await readClaudeTodos({ home: home.path, sessionId: "a-b-c", env: {} });
  assertEquals(read.active.map((t) => t.content), [
    "Add webhook handlers",
    "Add refund functionality",
  ]);
});

Deno.test("CLAUDE_CODE_ENABLE_TASKS=false turns Claude Code's task list off", () => {
  assertEquals(tasksEnabled({}), true);
  assertEquals(tasksEnabled({ CLAUDE_CODE_ENABLE_TASKS: "false" }), false);
  assertEquals(tasksEnabled({ CLAUDE_CODE_ENABLE_TASKS: "0" }), false);
  assertEquals(tasksEnabled({ CLAUDE_CODE_ENABLE_TASKS: "1" }), true);
});
