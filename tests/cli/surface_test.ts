/**
 * One surface: every command's `--json`, the error document on failure, one
 * exit-code rule, and the reports that must say what happened. In process, through
 * `dispatch(env, argv)`, so each command costs well under a millisecond beyond its own work.
 */
import { join } from "node:path";
import * as z from "../../src/kernel/zod.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../assert.ts";
import { endRun, git, mpm, tempDir, withRepo } from "../helpers.ts";
import { dispatch as dispatchIn, root } from "../../src/commands.ts";
import { type Command, loadTree, type Result } from "../../src/cli/command.ts";
import type { Env } from "../../src/cli/env.ts";
import { errorDocument } from "../../src/cli/output.ts";

const NOW = new Date("2026-03-02T10:00:00.000Z");

/** A run in this process, whose module-wide settings end with it (helpers.ts `endRun`). */
function dispatch(env: Env, argv: string[]): Promise<Result> {
  return dispatchIn(env, argv).finally(endRun);
}

/** An Env for `dispatch` in this process: a fixed clock, warnings collected. */
function envIn(cwd: string, home: string): Env & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    cwd,
    vars: { HOME: home },
    now: () => NOW,
    warn: (text) => warnings.push(text),
    warnings,
    isTTY: false,
    stderrIsTTY: false,
    color: false,
    readStdin: () => Promise.resolve(""),
    execPath: Deno.execPath(),
    mainModule: "main.ts",
  };
}

/** The error document, exactly (docs/format.md, "Errors as JSON"). */
const ErrorDocument = z.strictObject({
  error: z.strictObject({
    code: z.int().check(z.minimum(1), z.maximum(4)),
    kind: z.enum(["usage", "nothing", "integrity", "failed"]),
    message: z.string().check(z.minLength(1)),
    hint: z.nullable(z.string()),
  }),
});
const KIND_OF_CODE = { 1: "failed", 2: "usage", 3: "nothing", 4: "integrity" } as const;

/** Stdout is one JSON document, an error document whose code is the exit code. */
function errorOf(result: Result, what: string) {
  const parsed = ErrorDocument.safeParse(JSON.parse(result.stdout ?? ""));
  assert(parsed.success, `${what}: ${result.stdout}`);
  const { error } = parsed.data;
  assertEquals(result.exitCode, error.code, what);
  assertEquals(error.kind, KIND_OF_CODE[error.code as 1 | 2 | 3 | 4], what);
  return error;
}

/** Every command and subcommand of the registry that declares `--json`, as its argv path. */
async function jsonCommands(): Promise<string[][]> {
  const found: string[][] = [];
  const walk = (command: Command, path: string[]) => {
    if (path.length > 0 && command.flags?.some((f) => f.name === "json")) found.push(path);
    for (const sub of command.subcommands ?? []) walk(sub, [...path, sub.name]);
  };
  walk(await loadTree(root), []);
  return found;
}

/** Commands whose argument names something they create, so an unknown name is no failure. */
const CREATES = new Set([
  "start",
  "branch",
  "checkpoint save",
  "plugin export",
  "todo add",
  "template new",
]);

Deno.test("every command with --json prints one error document on failure, with its exit code", async () => {
  const commands = await jsonCommands();
  const names = commands.map((path) => path.join(" "));
  for (
    const expected of [
      "show",
      "list",
      "todo add",
      "todo done",
      "todo rm",
      "checkpoint show",
      "checkpoint rm",
      "checkpoint diff",
      "hooks install",
      "hooks uninstall",
      "migrate",
      "template show",
      "template new",
      "context init",
      "context edit",
      "context use",
      "context update",
      "context list",
    ]
  ) assert(names.includes(expected), `${expected} has --json`);
  for (const path of commands) {
    await using dir = await tempDir();
    const env = envIn(dir.path, dir.path);
    const what = path.join(" ");
    // Bad usage, found while parsing: the document all the same.
    const usage = errorOf(await dispatch(env, [...path, "--no-such-option", "--json"]), what);
    assertEquals([usage.code, usage.message], [2, "Unknown option --no-such-option."], what);
    // A run that fails: a thing that does not exist, or an argument the command does not take.
    // (`search` takes text to look for: finding none is an answer, `total: 0`, not a failure.)
    if (!CREATES.has(what) && what !== "search") {
      const failed = errorOf(await dispatch(env, [...path, "no-such-thing", "--json"]), what);
      assert(failed.code === 2 || failed.code === 3, `${what}: ${failed.message}`);
    }
  }
  // Outside any command: an unknown one, with --json among the options.
  await using dir = await tempDir();
  const env = envIn(dir.path, dir.path);
  assertEquals(errorOf(await dispatch(env, ["no-such-command", "--json"]), "unknown").code, 2);
  // Without --json, the error still reaches main.ts (text on stderr).
  await assertRejects(() => dispatch(env, ["show", "no-such-thing"]), /No paused sessions/);
  // After `--`, "--json" is an argument, not the option.
  await assertRejects(() =>
    dispatch(env, ["todo", "add", "--", "--json"]).then(() => {
      throw new Error("ran");
    }), /ran/);
});

Deno.test("an unexpected failure under --json is the document too: kind failed, exit 1", () => {
  const result = errorDocument(new TypeError("x is undefined"));
  const error = errorOf(result, "unexpected");
  assertEquals(error.code, 1);
  assertStringIncludes(error.message, "x is undefined");
  assertEquals(errorOf(errorDocument("a thrown string"), "string").kind, "failed");
});

const ListRow = z.object({
  index: z.int(),
  session_id: z.string(),
  name: z.nullable(z.string()),
  paused_at: z.nullable(z.string()),
  summary: z.nullable(z.string()),
  state: z.string(),
});
const TodoRow = z.strictObject({
  index: z.int(),
  content: z.string(),
  status: z.enum(["pending", "in_progress", "completed"]),
  phase: z.nullable(z.string()),
  created_at: z.nullable(z.string()),
  completed_at: z.nullable(z.string()),
});

Deno.test("--json shapes: list has the session's name, show prints the record, todos carry times", async () => {
  await using repo = await withRepo();
  const env = envIn(repo.path, repo.home);
  const run = async (...argv: string[]) => {
    const result = await dispatch(env, argv);
    assertEquals(result.exitCode ?? 0, 0, result.stdout);
    return JSON.parse(result.stdout!);
  };
  await run("start", "payments", "--json");
  const added = z.object({
    session: z.string(),
    started: z.boolean(),
    todo: TodoRow,
    todos: z.array(TodoRow),
  })
    .parse(await run("todo", "add", "Wire refunds", "--json"));
  assertEquals([added.todo.index, added.todo.created_at], [1, NOW.toISOString()]);
  const done = await run("todo", "done", "1", "--json");
  assertEquals(done.todo.completed_at, NOW.toISOString());
  await run("todo", "add", "Drop this one", "--json");
  const removed = await run("todo", "rm", "2", "--json");
  assertEquals([removed.todo.index, removed.todo.content], [2, "Drop this one"]);
  assertEquals(removed.todos.map((t: { index: number }) => t.index), [1]);
  const paused = await run(
    "pause",
    "-s",
    "Payments half done",
    "--todo",
    "Write the docs",
    "--json",
  );
  const rows = z.array(ListRow).parse(await run("list", "--json"));
  assertEquals(rows.map((r) => [r.session_id, r.name]), [[paused.session_id, "payments"]]);
  const shown = await run("show", "0", "--json");
  assertEquals(shown, await run("show", "0", "--format", "json"));
  // A todo given to `pause --todo` is stamped like one added with `mpm todo add`.
  const fromFlag = shown.todos.active.find((t: { content: string }) =>
    t.content === "Write the docs"
  );
  assertEquals(fromFlag.created_at, NOW.toISOString());
  const made = await run("template", "new", "release", "--json");
  assertEquals(made, {
    name: "release",
    file: ".claude-mpm/templates/release.md",
    from: null,
    variables: ["what"], // the starter's {{what}}
  });
  const template = await run("template", "show", "release", "--json");
  assertEquals([template.origin, template.file], ["project", made.file]);
  await run("checkpoint", "save", "cp", "--json");
  assertEquals(await run("checkpoint", "rm", "cp", "--json"), {
    name: "cp",
    removed: [
      ".claude-mpm/checkpoints/cp.json",
      ".claude-mpm/checkpoints/cp.json.sha256",
      ".claude-mpm/checkpoints/cp.md",
    ],
  });
});

Deno.test("--json shapes: context init, edit and use print the file they are about", async () => {
  await using repo = await withRepo();
  const env = envIn(repo.path, repo.home);
  const run = async (...argv: string[]) => {
    const result = await dispatch(env, argv);
    assertEquals(result.exitCode ?? 0, 0, result.stdout);
    return JSON.parse(result.stdout!);
  };
  await run("start", "payments", "--json");
  assertEquals(await run("context", "init", "--json"), {
    file: ".claude/context.md",
    partition: null,
    from: { name: "payments", state: "active" },
  });
  // The editor is a program run on the file (split on spaces, no shell): sed edits it in place.
  env.vars = { ...env.vars, VISUAL: "sed -i s/Project/Projet/" };
  assertEquals(await run("context", "edit", "--json"), {
    file: ".claude/context.md",
    changed: true,
    exists: true,
  });
  env.vars = { ...env.vars, VISUAL: "true" };
  assertEquals((await run("context", "edit", "--json")).changed, false);
  assertEquals(await run("context", "use", "api", "--json"), {
    file: ".claude/context/api.md",
    partition: "api",
    exists: false,
  });
  assertEquals(await run("context", "use", "--none", "--json"), {
    file: ".claude/context.md",
    partition: null,
    exists: true,
  });
  // A second init is refused: the error document, nothing overwritten (exit 1: it keeps the file).
  const again = errorOf(await dispatch(env, ["context", "init", "--json"]), "init again");
  assertEquals(again.code, 1);
});

Deno.test("an option that takes one value, given twice, is refused in one sentence", async () => {
  await using dir = await tempDir();
  const env = envIn(dir.path, dir.path);
  const error = await assertRejects(() => dispatch(env, ["pause", "-s", "a", "-s", "b"]));
  assertEquals(
    error.message,
    '--summary takes one value and was given twice ("a" and "b"); give it once.',
  );
  assertEquals((error as Error & { exitCode: number }).exitCode, 2);
  assertEquals(await Deno.lstat(join(dir.path, ".claude-mpm")).catch(() => null), null);
  // The same value twice is no ambiguity; a repeatable option adds up.
  const ok = await dispatch(env, ["pause", "-s", "a", "-s", "a", "-a", "x", "-a", "y", "--json"]);
  assertEquals(ok.exitCode ?? 0, 0);
});

Deno.test("pause --commit outside git saves the pause without the commit, and says so", async () => {
  await using dir = await tempDir();
  const env = envIn(dir.path, dir.path);
  const human = await dispatch(env, ["pause", "-s", "no repo here", "--commit"]);
  assertEquals(human.exitCode ?? 0, 0);
  assertStringIncludes(human.stdout!, "Commit:  none: this folder is not in a git repository");
  const result = await dispatch(env, ["pause", "-s", "again", "--commit", "--json"]);
  const out = JSON.parse(result.stdout!);
  assertEquals([out.commit, typeof out.commit_skipped], [null, "string"]);
  const list = JSON.parse((await dispatch(env, ["list", "--json"])).stdout!);
  assertEquals(list.length, 2);
});

Deno.test("return with an empty stack: exit 3, and no .claude-mpm/ appears", async () => {
  await using repo = await withRepo();
  const env = envIn(repo.path, repo.home);
  const error = errorOf(await dispatch(env, ["return", "--json"]), "return");
  assertEquals(error.code, 3);
  assertStringIncludes(error.message, "the stack is empty");
  assertEquals(await Deno.lstat(join(repo.path, ".claude-mpm")).catch(() => null), null);
});

const DiffDocument = z.looseObject({
  name: z.string(),
  saved_at: z.string(),
  to: z.nullable(z.object({ name: z.string(), saved_at: z.string() })),
  git: z.nullable(z.looseObject({
    commits: z.array(z.looseObject({ sha: z.string(), subject: z.string() })),
    files: z.object({
      changed: z.array(z.string()),
      added: z.array(z.string()),
      removed: z.array(z.string()),
    }),
    exact: z.boolean(),
  })),
});

Deno.test("checkpoint diff A B compares two checkpoints by content; diff A compares with now", async () => {
  await using repo = await withRepo();
  await repo.commit("base", { "a.txt": "a\n", "b.txt": "b\n", "z.txt": "z\n" });
  const env = envIn(repo.path, repo.home);
  const run = async (...argv: string[]) => {
    const result = await dispatch(env, argv);
    assertEquals(result.exitCode ?? 0, 0, result.stdout);
    return result.stdout!;
  };
  const diff = async (...names: string[]) =>
    DiffDocument.parse(JSON.parse(await run("checkpoint", "diff", ...names, "--json")));
  // A: a.txt edited, n.txt new (both uncommitted).
  await repo.write("a.txt", "a2\n");
  await repo.write("n.txt", "new\n");
  await run("checkpoint", "save", "A");
  // B: a.txt committed as it was at A; b.txt edited; n.txt gone.
  await git(repo.path, "add", "a.txt");
  await git(repo.path, "commit", "-q", "-m", "commit a2");
  await repo.write("b.txt", "b2\n");
  await Deno.remove(join(repo.path, "n.txt"));
  await run("checkpoint", "save", "B");
  // C: z.txt changed by a commit; a.txt back to its old bytes (uncommitted); b.txt as at B.
  await repo.write("z.txt", "z2\n");
  await git(repo.path, "add", "z.txt");
  await git(repo.path, "commit", "-q", "-m", "z2");
  await repo.write("a.txt", "a\n");
  await run("checkpoint", "save", "C");

  const ab = await diff("A", "B");
  assertEquals(ab.to?.name, "B");
  assertEquals(ab.git!.commits.map((c) => c.subject), ["commit a2"]);
  // a.txt: dirty at A, clean at B with the same bytes in B's commit: unchanged.
  assertEquals(ab.git!.files, { changed: ["b.txt"], added: [], removed: ["n.txt"] });
  assert(ab.git!.exact);
  const bc = await diff("B", "C");
  // b.txt: dirty at both with the same bytes; z.txt: clean at both, changed by the commit.
  assertEquals(bc.git!.files, { changed: ["a.txt", "z.txt"], added: [], removed: [] });
  const ca = await diff("C", "A");
  // Backwards: a.txt and b.txt differ, n.txt appears, z.txt by the commits (reversed).
  assertEquals(ca.git!.files, {
    changed: ["a.txt", "b.txt", "z.txt"],
    added: ["n.txt"],
    removed: [],
  });
  assertEquals((await diff("A", "A")).git!.files, { changed: [], added: [], removed: [] });
  // One name: against the work as it is now (C's state).
  const now = await diff("A");
  assertEquals(now.to, null);
  assertEquals(now.git!.files, {
    changed: ["a.txt", "b.txt", "z.txt"],
    added: [],
    removed: ["n.txt"],
  });
  assertStringIncludes(await run("checkpoint", "diff", "A", "B"), "From checkpoint A to B");
  const missing = errorOf(
    await dispatch(env, ["checkpoint", "diff", "A", "nope", "--json"]),
    "diff",
  );
  assertEquals(missing.code, 3);
});

const FIXTURE = join(import.meta.dirname!, "..", "fixtures/claude-mpm/sessions");

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  await Deno.chmod(to, 0o755);
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/** Every file under `dir` but the backups, relative to it. */
async function filesUnder(dir: string, rel = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(join(dir, rel))) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory) {
      if (path !== "backups") found.push(...await filesUnder(dir, path));
    } else found.push(path);
  }
  return found.sort();
}

async function modeOf(path: string): Promise<string> {
  return ((await Deno.stat(path)).mode! & 0o7777).toString(8);
}

Deno.test({
  name:
    "migrate: counts match the files, plurals, a damaged file left (exit 0), doctor agrees, rollback restores modes",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using repo = await withRepo();
    const env = envIn(repo.path, repo.home);
    const base = join(repo.path, ".claude-mpm");
    await copyTree(FIXTURE, join(base, "sessions"));
    await Deno.chmod(base, 0o755);
    await Deno.writeTextFile(join(base, "sessions/session-20250101-000000.json"), "garbage{");
    const doctor = async () => {
      const result = await dispatch(env, ["doctor", "--json"]);
      return JSON.parse(result.stdout!).checks as { id: string; status: string; message: string }[];
    };
    const legacy = (await doctor()).find((c) => c.id === "legacy");
    assertStringIncludes(legacy!.message, "8 claude-mpm sessions to convert");

    const before = await filesUnder(base);
    const run = await dispatch(env, ["migrate"]);
    // The damaged file is named and left; the migration of the others is done: exit 0.
    assertEquals(run.exitCode ?? 0, 0, run.stdout);
    assert(env.warnings.some((w) => w.includes("session-20250101-000000.json is not valid JSON")));
    const after = await filesUnder(base);
    const gone = before.filter((f) => !after.includes(f)).length;
    assert(gone > 0);
    assertStringIncludes(
      run.stdout!,
      `8 sessions converted, 1 duplicate skipped, 0 files moved, ${gone} files removed, ` +
        "1 empty folder removed, 1 unreadable file left as it was.",
    );

    // Right after: doctor sees nothing to migrate, and migrate agrees.
    const checks = await doctor();
    assertEquals(checks.find((c) => c.id === "legacy"), undefined);
    assertStringIncludes(
      checks.find((c) => c.id === "checksums" && c.status === "ok")!.message,
      "8 stored files verified",
    );
    const again = JSON.parse((await dispatch(env, ["migrate", "--json"])).stdout!);
    assertEquals(again.changed, false);

    // Writing narrowed the folders to 0700; the rollback puts 0755 back and says so.
    assertEquals(await modeOf(base), "700");
    const rollback = await dispatch(env, ["migrate", "--rollback"]);
    assertEquals(rollback.exitCode ?? 0, 0);
    for (
      const [folder, path] of [[".claude-mpm/", base], [
        ".claude-mpm/sessions/",
        join(base, "sessions"),
      ]]
    ) {
      assertEquals(await modeOf(path), "755", folder);
      assertStringIncludes(rollback.stdout!, `  mode     ${folder} 0755`);
    }
    assertEquals(await modeOf(join(base, "sessions/pause")), "755");
    assertEquals(await filesUnder(base), before);
  },
});

Deno.test("a checkpoint's texts are printed without terminal control characters", async () => {
  await using repo = await withRepo();
  const env = envIn(repo.path, repo.home);
  await dispatch(env, ["checkpoint", "save", "cp", "--note", "plain"]);
  // As a teammate's hand-edited checkpoint could arrive through `mpm sync pull`.
  const file = join(repo.path, ".claude-mpm/checkpoints/cp.json");
  const record = JSON.parse(await Deno.readTextFile(file));
  record.note = "green\x1b]0;pwned\x07 \x1b[2Jall clear";
  const bytes = new TextEncoder().encode(JSON.stringify(record, null, 2) + "\n");
  await Deno.writeFile(file, bytes);
  const digest = Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  const sum = `${file}.sha256`;
  await Deno.writeTextFile(sum, (await Deno.readTextFile(sum)).replace(/^[0-9a-f]{64}/, digest));
  for (const argv of [["checkpoint", "show", "cp"], ["checkpoint", "list"]]) {
    const out = (await dispatch(env, argv)).stdout!;
    assertStringIncludes(out, "green all clear", argv.join(" "));
    assert(!out.includes("\x1b"), argv.join(" "));
  }
});

Deno.test("main.ts: a bad --color with --json is the error document too (exit 2)", async () => {
  await using dir = await tempDir();
  const out = await mpm(["list", "--color=bogus", "--json"], { cwd: dir.path, spawn: true });
  assertEquals(out.code, 2, out.stderr);
  assertEquals(out.stderr, "");
  assertEquals(errorOf({ stdout: out.stdout, exitCode: out.code }, "color").kind, "usage");
});

Deno.test("hooks uninstall keeps an edited script; doctor then notes it, and does not fail", async () => {
  await using repo = await withRepo();
  const env = envIn(repo.path, repo.home);
  assertEquals((await dispatch(env, ["hooks", "install"])).exitCode ?? 0, 0);
  const script = join(repo.path, ".claude-mpm/hooks/checkpoint.sh");
  await Deno.writeTextFile(script, (await Deno.readTextFile(script)) + "# my own line\n");
  const human = await dispatch(env, ["hooks", "uninstall", "--dry-run"]);
  assertStringIncludes(human.stdout!, "Dry run");
  const out = JSON.parse((await dispatch(env, ["hooks", "uninstall", "--json"])).stdout!);
  assertEquals(out.scripts.kept, ["checkpoint.sh"]);
  assertEquals(out.scripts.removed.length, 3);
  const doctor = await dispatch(env, ["doctor", "--json"]);
  const report = JSON.parse(doctor.stdout!);
  const hooks = report.checks.filter((c: { id: string }) => c.id === "hooks");
  assertEquals(hooks.map((c: { status: string }) => c.status), ["info"]);
  assertStringIncludes(hooks[0].message, "checkpoint.sh was kept because you edited it");
  assertEquals(report.checks.filter((c: { status: string }) => c.status === "fail"), []);
});

Deno.test("show and checkpoint show refuse --json beside another --format (exit 2), and take one that agrees", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("pause", "-s", "one")).code, 0);
  assertEquals((await repo.run("checkpoint", "save", "cp")).code, 0);
  for (
    const argv of [["show", "0", "-f", "yaml", "--json"], [
      "checkpoint",
      "show",
      "cp",
      "--format",
      "md",
      "--json",
    ]]
  ) {
    const out = await repo.run(...argv);
    assertEquals(out.code, 2, argv.join(" "));
    const { error } = JSON.parse(out.stdout);
    assertEquals(error.kind, "usage");
    assertStringIncludes(error.message, "are two different outputs");
  }
  const agreed = await repo.run("show", "0", "--format", "json", "--json");
  assertEquals(agreed.code, 0, agreed.stderr);
  assertEquals(JSON.parse(agreed.stdout).conversation.summary, "one");
});
