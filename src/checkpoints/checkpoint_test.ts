import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import {
  buildCheckpoint,
  type CheckpointInput,
  checkpointNameFrom,
  checkpointText,
  decodeCheckpoint,
  isCheckpointName,
  serializeCheckpoint,
} from "./checkpoint.ts";
import { forDisk } from "../disk/files/written.ts";
import { IntegrityError, UsageError } from "../kernel/errors.ts";

function input(overrides: Partial<CheckpointInput> = {}): CheckpointInput {
  return {
    name: "before-refactor",
    now: new Date("2025-10-20T14:30:22.000Z"),
    projectPath: "/home/dev/project",
    version: "0.1.0",
    build: "dev",
    git: {
      branch: "main",
      head: "a".repeat(40),
      detached: false,
      commit_message: "Initial commit",
      files: [
        { path: "src/z.ts", status: "modified", kind: "file", sha256: "1".repeat(64) },
        { path: "src/a.ts", status: "untracked", kind: "file", sha256: "2".repeat(64) },
      ],
    },
    session: null,
    todos: [],
    stack: [],
    ...overrides,
  };
}

Deno.test("checkpoint names are plain: letters, digits, . _ -, no leading dot or dash", () => {
  for (const ok of ["a", "before-refactor", "v1.2_rc", "auto-20251020-143022", "9"]) {
    assert(isCheckpointName(ok), ok);
  }
  for (
    const bad of [
      "",
      ".",
      "..",
      ".hidden",
      "-x",
      "a/b",
      "a\\b",
      "a b",
      "é",
      "a\nb",
      "x".repeat(101),
    ]
  ) {
    assert(!isCheckpointName(bad), JSON.stringify(bad));
  }
  const error = assertThrows(() => buildCheckpoint(input({ name: "../etc" })));
  assert(error instanceof UsageError);
  assertEquals((error as UsageError).exitCode, 2);
});

Deno.test("a new checkpoint's name may not look like a secret: it becomes a file name", () => {
  const token = "ghp_" + "a".repeat(36);
  assert(isCheckpointName(token));
  const error = assertThrows(() => buildCheckpoint(input({ name: token })));
  assert(error instanceof UsageError);
  assertEquals(error.message.includes("looks like a secret"), true);
});

Deno.test("the writer redacts the note, session texts and todos; buildCheckpoint sorts files", async () => {
  const record = await forDisk(
    checkpointText,
    buildCheckpoint(input({
      note: "  trying ghp_abcdefghijklmnopqrstuvwxyz0123456789AB now  ",
      session: {
        key: "k1",
        name: "auth",
        task: "password=hunter2 rotate",
        template: null,
        started_at: "2025-10-20T10:00:00.000Z",
        parent: null,
        depth: 0,
        notes: ["token: abcdef123456"],
      },
      todos: [{ content: "use api_key=sk_live_abcdefghijklmnop", status: "pending" }],
    })),
  );
  assertEquals(record.note, "trying [REDACTED:github-token] now");
  assertEquals(record.session?.task, "password=[REDACTED:secret] rotate");
  assertEquals(record.session?.notes, ["token: [REDACTED:secret]"]);
  assert(!JSON.stringify(record.todos).includes("sk_live_"));
  assertEquals(record.git?.files.map((f) => f.path), ["src/a.ts", "src/z.ts"]);
  assertEquals(record.saved_at, "2025-10-20T14:30:22.000Z");
  assertEquals(record.schema_version, 1);
  assertEquals(buildCheckpoint(input({ note: "   " })).note, null);
});

Deno.test("decodeCheckpoint round-trips and refuses a newer schema or a wrong shape", () => {
  const record = buildCheckpoint(input({ note: "n" }));
  assertEquals(decodeCheckpoint(serializeCheckpoint(record), "c.json"), record);
  const newer = assertThrows(
    () => decodeCheckpoint(JSON.stringify({ ...record, schema_version: 2 }), "c.json"),
    /c\.json was written by a newer mpm/,
  );
  assert(newer instanceof IntegrityError);
  assertThrows(
    () => decodeCheckpoint(JSON.stringify({ ...record, todos: "x" }), "c.json"),
    /c\.json is not a valid checkpoint \(todos:/,
  );
  assertThrows(() => decodeCheckpoint("{not json", "c.json"), /c\.json is not valid JSON/);
});

Deno.test("checkpointNameFrom: words as a name save takes, or the words where none is left", () => {
  assertEquals(checkpointNameFrom("before deploy"), "before-deploy");
  assertEquals(checkpointNameFrom("  --after the  fix!  "), "after-the-fix");
  assertEquals(checkpointNameFrom(".hidden name"), "hidden-name");
  assertEquals(checkpointNameFrom("v1.2_rc"), "v1.2_rc");
  assertEquals(checkpointNameFrom("é"), "é");
  const long = checkpointNameFrom("word ".repeat(40));
  assert(isCheckpointName(long) && long.length <= 100 && !long.endsWith("-"), long);
  const error = assertThrows(() => buildCheckpoint(input({ name: "before deploy" })));
  assert((error as UsageError).hint?.includes(", e.g. before-deploy."), String(error));
});
