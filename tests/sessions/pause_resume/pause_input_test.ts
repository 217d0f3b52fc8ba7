/**
 * `--input FILE|-` on pause, branch and return: words with quotes, `$(…)`, backquotes and line
 * breaks arrive exactly as written, nothing in them is run, and a bad document changes nothing.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, sessionFiles, withRepo } from "../../helpers.ts";

Deno.test("pause --input - saves the words exactly; the flags' lists add to them", async () => {
  await using repo = await withRepo();
  const marker = join(repo.path, "..", "executed");
  const summary =
    `Auth: "login" works, it's $(touch ${marker}) \`touch ${marker}\`\nline two \\ end`;
  const yaml = [
    `summary: ${JSON.stringify(summary)}`,
    "accomplishments:",
    `  - ${JSON.stringify("Split the 'token' module")}`,
    "next_steps:",
    '  - "Test login"',
    "todos: []",
  ].join("\n");
  const out = await mpm(["pause", "--input", "-", "-n", "Open the PR", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: yaml,
  });
  assertEquals(out.code, 0, out.stderr);
  const { files } = JSON.parse(out.stdout);
  const snapshot = JSON.parse(await Deno.readTextFile(files.json));
  assertEquals(snapshot.conversation, {
    summary,
    accomplishments: ["Split the 'token' module"],
    next_steps: ["Test login", "Open the PR"],
  });
  assertEquals(await Deno.lstat(marker).then(() => true, () => false), false);
});

Deno.test("pause --input FILE reads JSON too; secrets in it are redacted like any other words", async () => {
  await using repo = await withRepo();
  const secret = "ghp_" + "a".repeat(36);
  await repo.write("words.json", JSON.stringify({ summary: `token ${secret}`, todos: ["t1"] }));
  const out = await repo.run("pause", "--input", "words.json", "--json");
  assertEquals(out.code, 0, out.stderr);
  const text = await Deno.readTextFile(JSON.parse(out.stdout).files.json);
  assert(!text.includes(secret), "the secret reached disk");
  assertEquals(JSON.parse(text).todos.active.map((t: { content: string }) => t.content), ["t1"]);
});

Deno.test("a bad --input is refused before anything is written", async () => {
  await using repo = await withRepo();
  const cases: [string, string][] = [
    ['summary: "unclosed', "not valid YAML or JSON"],
    ['sumary: "typo"', 'a field `mpm pause` does not take: "sumary"'],
    ["summary: [1, 2]", '"summary" must be a string'],
  ];
  for (const [stdin, message] of cases) {
    const out = await mpm(["pause", "--input", "-"], {
      cwd: repo.path,
      env: { HOME: repo.home },
      stdin,
    });
    assertEquals(out.code, 2, stdin);
    assertStringIncludes(out.stderr, message);
  }
  const both = await mpm(["pause", "--input", "-", "-s", "other"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: 'summary: "one"',
  });
  assertEquals(both.code, 2);
  assertEquals((await repo.run("pause", "--input", "missing.yaml")).code, 2);
  // An empty -s is refused, not read as "keep the last words".
  for (const flag of ["-s", "--summary=", "-m"]) {
    const empty = flag.endsWith("=")
      ? await repo.run("pause", flag)
      : await repo.run("pause", flag, " ");
    assertEquals(empty.code, 2, flag);
    assertStringIncludes(empty.stderr, "The summary is empty.");
  }
  assertEquals(await sessionFiles(repo.path), []);
});

Deno.test("branch --input takes the task, return --input the child's words", async () => {
  await using repo = await withRepo();
  const task = `Fix "login" $(whoami)\nasap`;
  const branch = await mpm(["branch", "hotfix", "--input", "-", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: `task: ${JSON.stringify(task)}`,
  });
  assertEquals(branch.code, 0, branch.stderr);
  assertEquals(JSON.parse(branch.stdout).session.task, task);
  const summary = 'Patched `refresh` "tokens"';
  const back = await mpm(["return", "--input", "-", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: `summary: ${JSON.stringify(summary)}\naccomplishments:\n  - "a1"`,
  });
  assertEquals(back.code, 0, back.stderr);
  const completed = JSON.parse(back.stdout).completed;
  const snapshot = JSON.parse(
    await Deno.readTextFile(join(repo.path, ".claude-mpm", "sessions", `${completed}.json`)),
  );
  assertEquals(snapshot.conversation.summary, summary);
  assertEquals(snapshot.conversation.accomplishments, ["a1"]);
  const wrong = await mpm(["return", "--input", "-"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: 'task: "x"',
  });
  assertEquals(wrong.code, 2);
});
