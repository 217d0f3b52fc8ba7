import { assert, assertEquals } from "../assert.ts";
import { join } from "node:path";
import {
  checkTree,
  cycles,
  fileWrites,
  importsOf,
  storePaths,
} from "../../scripts/check_layers.ts";
import { baseEnv, DENO_DIR, ROOT, runProcess, tempDir } from "../helpers.ts";

const tree = (files: Record<string, string>) => new Map(Object.entries(files));

Deno.test("importsOf finds static, type, re-export and literal dynamic imports", () => {
  const text = `import { a } from "./a.ts";
import type { B } from "../b.ts";
export * from "./c.ts";
import "./d.ts";
const e = await import("./e.ts");
import { join } from "node:path";`;
  assertEquals(importsOf(text), ["./a.ts", "../b.ts", "./c.ts", "./d.ts", "./e.ts"]);
});

Deno.test("an upward import is an offence; a downward one is not", () => {
  const offences = checkTree(tree({
    "src/kernel/errors.ts": `export class E {}`,
    "src/sessions/state.ts": `import { E } from "../kernel/errors.ts";`,
    "src/kernel/ids.ts": `import { s } from "../sessions/state.ts";`,
  }));
  assertEquals(offences.length, 1);
  assertEquals(offences[0].file, "src/kernel/ids.ts");
  assert(offences[0].message.includes("imports upward"), offences[0].message);
});

Deno.test("only the session store names a .claude-mpm/ path in the sessions and the hooks", () => {
  const offences = checkTree(tree({
    "src/disk/paths.ts": `export const p = 1;`,
    "src/sessions/store/state/state_store.ts": `const text = read(paths.state);`,
    "src/sessions/pause/pause.ts":
      `// paths.state is the store's\nconst shown = displayPath(paths, paths.archive);\nread(paths.events);`,
    "src/hooks/start/config.ts": `read(join(project.paths.base, "config.json"), paths.root);`,
    "src/hooks/install/store.ts": `write(paths.hooks);`,
    "src/vault/copy/copy.ts": `write(paths.vault);`,
  }));
  assertEquals(offences.map((o) => `${o.file}:${o.line} ${o.message.split(":")[0]}`).sort(), [
    "src/hooks/start/config.ts:1 paths.base is a file of .claude-mpm/",
    "src/sessions/pause/pause.ts:3 paths.events is a file of .claude-mpm/",
  ]);
  assertEquals(storePaths("x(paths.rootDir, paths.lockfile)"), []);
});

Deno.test("only the two boundaries and the listed writers call a redact function", () => {
  const offences = checkTree(tree({
    "src/kernel/safe_text/redact.ts": `export function redact(t: string) { return t; }`,
    "src/kernel/safe_text/shown.ts": `export const shown = (t: string) => redact(t);`,
    "src/disk/files/written.ts": `export const forDisk = (r: unknown) => redactRecord(r);`,
    "src/sessions/todo/todo_command.ts": `// redact(x) in a comment\nconst t = redact(text);`,
    "src/sessions/store/records/state/todos.ts":
      `export function redactTodo(t: string) {}\nredactDeep(t);`,
    "src/replay/timeline.ts": `const shown = spec.redactLine(x);`,
  }));
  assertEquals(offences.map((o) => `${o.file}:${o.line} ${o.message.split(" ")[0]}`).sort(), [
    "src/replay/timeline.ts:1 redactLine",
    "src/sessions/store/records/state/todos.ts:2 redactDeep",
    "src/sessions/todo/todo_command.ts:2 redact",
  ]);
});

Deno.test("features on one floor may not import each other, nor anyone a feature's command", () => {
  const offences = checkTree(tree({
    "src/sync/plan.ts": `import { x } from "../migrate/steps.ts";`,
    "src/migrate/steps.ts": `export const x = 1;`,
    "src/sessions/pause_command.ts": `export const pauseCommand = {};`,
    "src/hooks/hook_command.ts": `import { pauseCommand } from "../sessions/pause_command.ts";`,
    "src/commands.ts": `import { pauseCommand } from "./sessions/pause_command.ts";`,
  }));
  assertEquals(offences.map((o) => o.file).sort(), [
    "src/hooks/hook_command.ts",
    "src/sync/plan.ts",
  ]);
});

Deno.test("inside a feature with rooms, an import runs down between rooms, never up or across", () => {
  const rooms = { "src/sessions": { store: 5.0, capture: 5.1, pause: 5.2, resume: 5.2 } };
  const offences = checkTree(
    tree({
      "src/sessions/store/state.ts": `import { r } from "../capture/request.ts";`,
      "src/sessions/store/paths.ts": `export const p = 1;`,
      "src/sessions/capture/request.ts": `import { p } from "../store/paths.ts";`,
      "src/sessions/pause/pause.ts":
        `import { r } from "../capture/request.ts";\nimport { x } from "../resume/resume.ts";`,
      "src/sessions/resume/resume.ts": `import { p } from "../store/paths.ts";`,
      "src/sessions/odd/thing.ts": `export const o = 1;`,
      "src/sessions/registry.ts": `import { x } from "./resume/resume.ts";`,
      "src/sessions/capture/top.ts": `import { y } from "../registry.ts";`,
    }),
    rooms,
  );
  const said = offences.map((o) => `${o.file}: ${o.message}`).sort();
  assertEquals(said, [
    "src/sessions/capture/top.ts: imports upward: src/sessions/registry.ts " +
    "(the top of src/sessions is above src/sessions/capture)",
    "src/sessions/odd/thing.ts: src/sessions/odd has no floor: add it to ROOMS in " +
    "scripts/check_layers.ts",
    "src/sessions/pause/pause.ts: imports src/sessions/resume/resume.ts: src/sessions/resume " +
    "and src/sessions/pause share a floor",
    "src/sessions/store/state.ts: imports upward: src/sessions/capture/request.ts " +
    "(src/sessions/capture is above src/sessions/store)",
  ]);
  // Without rooms for the feature, nothing inside it is checked but that it needs them.
  assertEquals(
    checkTree(
      tree({
        "src/sessions/store/state.ts": `import { r } from "../capture/request.ts";`,
        "src/sessions/capture/request.ts": `export const r = 1;`,
      }),
      {},
    ).map((o) => o.message),
    [
      "src/sessions has sub-folders with no floors: add it to ROOMS in scripts/check_layers.ts",
      "src/sessions has sub-folders with no floors: add it to ROOMS in scripts/check_layers.ts",
    ],
  );
  assertEquals(
    checkTree(
      tree({
        "src/sessions/store/state.ts": `import { r } from "../capture/request.ts";`,
        "src/sessions/capture/request.ts": `export const r = 1;`,
      }),
      { "src/sessions": { store: 1, capture: 0 } },
    ),
    [],
  );
});

Deno.test("a room with rooms of its own holds its imports to both tables", () => {
  const rooms = {
    "src/sessions": { store: 5.0, pause: 5.2 },
    "src/sessions/store": { records: 0, state: 1 },
  };
  const offences = checkTree(
    tree({
      "src/sessions/store/records/state.ts": `import { s } from "../state/read.ts";`,
      "src/sessions/store/state/read.ts": `import { r } from "../records/todos.ts";`,
      "src/sessions/store/records/todos.ts": `export const r = 1;`,
      "src/sessions/store/cache/c.ts": `export const c = 1;`,
      "src/sessions/pause/pause.ts": `import { s } from "../store/state/read.ts";`,
    }),
    rooms,
  );
  assertEquals(offences.map((o) => `${o.file}: ${o.message}`).sort(), [
    "src/sessions/store/cache/c.ts: src/sessions/store/cache has no floor: add it to ROOMS in " +
    "scripts/check_layers.ts",
    "src/sessions/store/records/state.ts: imports upward: src/sessions/store/state/read.ts " +
    "(src/sessions/store/state is above src/sessions/store/records)",
  ]);
});

Deno.test("the kernel may not touch Deno; an unknown folder must be given a floor", () => {
  const offences = checkTree(tree({
    "src/kernel/clock.ts": `// Deno.now in a comment is fine\nexport const t = Deno.env.get("X");`,
    "src/newthing/a.ts": `export const a = 1;`,
  }));
  assertEquals(offences.length, 2);
  assert(offences.some((o) => o.message.includes("the kernel is pure")));
  assert(offences.some((o) => o.message.includes("src/newthing has no floor")));
});

Deno.test("fileWrites finds Deno's writing calls and writing opens, by line, not comments", () => {
  const text = `const a = await Deno.readTextFile(p);
await Deno.remove(p).catch(() => {});
Deno.chmodSync(p, 0o600);
// Deno.writeTextFile(p, "in a comment")
/* Deno.rename(a, b) */
using r = await Deno.open(p, { read: true });
using w = await Deno.open(p, {
  read: true,
  append: true,
});
using o = Deno.openSync(p, options);
using f = await Deno.open(p, { read: true, write: false });
using s = await Deno.open(p);
const c = Deno.createHttpClient({});
const glob = "src/**/*.ts", url = "https://example.com";
await Deno.rename(a, b); // a "/*" in a string hides nothing
/* closing */`;
  assertEquals(fileWrites(text), [
    { line: 2, call: "Deno.remove" },
    { line: 3, call: "Deno.chmodSync" },
    { line: 7, call: "Deno.open" },
    { line: 11, call: "Deno.openSync" },
    { line: 16, call: "Deno.rename" },
  ]);
});

Deno.test("a feature that changes the file system itself is an offence, by line; the disk writer is not", () => {
  const offences = checkTree(tree({
    "src/disk/files/entries.ts": `export const rm = (p: string) => Deno.remove(p);`,
    "src/git/run/run.ts": `await Deno.writeTextFile("x", "y");`,
    "src/claude/settings/hooks/settings.ts": `using f = await Deno.open("x", { write: true });`,
    "src/sessions/state.ts": `import { rm } from "../disk/entries.ts";\nawait rm("a");`,
    "src/sessions/state_test.ts": `await Deno.mkdir("t");`,
    "src/sync/push.ts": `const t = await Deno.readTextFile("a");\nawait Deno.makeTempDir();`,
    "src/hooks/log.ts": `using f = await Deno.open("x", { append: true, create: true });`,
  }));
  assertEquals(offences.map((o) => [o.file, o.line]), [["src/sync/push.ts", 2], [
    "src/hooks/log.ts",
    1,
  ]]);
  assert(offences[0].message.startsWith("Deno.makeTempDir changes the file system"));
});

Deno.test("a command importing another command is an offence, in one feature or across", () => {
  const offences = checkTree(
    tree({
      "src/sessions/list/list_command.ts": `export const listCommand = {};`,
      "src/sessions/list/list.ts": `export const runList = () => {};`,
      "src/sessions/resume/resume_command.ts":
        `import { runList } from "../list/list.ts";\nimport { listCommand } from "../list/list_command.ts";`,
      "src/completions/complete_command.ts": `export const nodes = [];`,
      "src/completions/completions_command.ts": `import { nodes } from "./complete_command.ts";`,
      "src/commands.ts": `const list = () => import("./sessions/list/list_command.ts");`,
    }),
    { "src/sessions": { list: 0, resume: 1 } },
  );
  assertEquals(offences.map((o) => [o.file, o.line]), [
    ["src/sessions/resume/resume_command.ts", 2],
    ["src/completions/completions_command.ts", 1],
  ]);
  assert(offences.every((o) => o.message.startsWith("a command imports another command")));
});

Deno.test("cycles finds each import circle once, self-loops included", () => {
  const graph = new Map([
    ["a.ts", ["b.ts"]],
    ["b.ts", ["c.ts"]],
    ["c.ts", ["a.ts"]],
    ["d.ts", ["d.ts"]],
    ["e.ts", ["a.ts"]],
  ]);
  assertEquals(cycles(graph), [["a.ts", "b.ts", "c.ts", "a.ts"], ["d.ts", "d.ts"]]);
});

Deno.test("check_layers.ts passes on this repository and fails on a planted upward import and write", async () => {
  const script = join(ROOT, "scripts", "check_layers.ts");
  // The script runs with --allow-read alone.
  await using home = await tempDir("mpm-test-", { onDisk: true });
  const env = { ...baseEnv(home.path), DENO_DIR };
  const clean = await runProcess(Deno.execPath(), [
    "run",
    "--frozen",
    "--cached-only",
    "--allow-read",
    script,
  ], {
    cwd: ROOT,
    env,
  });
  assertEquals(clean.code, 0, clean.stderr);

  await using copy = await tempDir("mpm-test-", { onDisk: true });
  for (const folder of ["src", "tests", "scripts"]) {
    await Deno.mkdir(join(copy.path, folder));
  }
  await Deno.copyFile(join(ROOT, "main.ts"), join(copy.path, "main.ts"));
  await Deno.mkdir(join(copy.path, "src", "kernel"));
  await Deno.mkdir(join(copy.path, "src", "hooks"));
  await Deno.writeTextFile(join(copy.path, "src", "hooks", "names.ts"), "export const n = 1;\n");
  await Deno.writeTextFile(
    join(copy.path, "src", "hooks", "log.ts"),
    'export const n = 1;\nawait Deno.writeTextFile("log", "x");\n',
  );
  await Deno.writeTextFile(
    join(copy.path, "src", "kernel", "ids.ts"),
    'import { n } from "../hooks/names.ts";\nexport const id = n;\n',
  );
  const planted = await runProcess(Deno.execPath(), [
    "run",
    "--frozen",
    "--cached-only",
    "--allow-read",
    script,
    copy.path,
  ], { cwd: copy.path, env });
  assertEquals(planted.code, 1);
  assert(planted.stderr.includes("src/kernel/ids.ts: imports upward"), planted.stderr);
  assert(planted.stderr.includes("src/hooks/log.ts:2: Deno.writeTextFile changes"), planted.stderr);
});

Deno.test("every folder of src/ with sub-folders gives them floors, so a circle between two rooms fails", () => {
  const offences = checkTree(tree({
    "src/claude/session/tasks.ts": `import { dir } from "../settings/config/config_dir.ts";`,
    "src/claude/settings/config/config_dir.ts": `import { j } from "../../session/json_text.ts";`,
    "src/claude/session/json_text.ts": `export const j = 1;`,
    "src/upgrade/parts/a.ts": `export const a = 1;`,
  }));
  const messages = offences.map((o) => `${o.file}: ${o.message}`);
  assert(
    messages.includes(
      "src/claude/settings/config/config_dir.ts: imports upward: src/claude/session/json_text.ts " +
        "(src/claude/session is above src/claude/settings)",
    ),
    messages.join("\n"),
  );
  assert(
    messages.includes(
      "src/upgrade/parts/a.ts: src/upgrade has sub-folders with no floors: add it to ROOMS in " +
        "scripts/check_layers.ts",
    ),
    messages.join("\n"),
  );
});
