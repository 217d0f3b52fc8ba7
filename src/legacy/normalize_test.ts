import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import { IntegrityError } from "../kernel/errors.ts";
import {
  legacyChecksumTarget,
  legacyIdFromName,
  legacyIdToUtc,
  parseLegacyChecksum,
  parseLegacyTime,
} from "./ids.ts";
import { normalizeSnapshot } from "./normalize.ts";
import { normalizeYamlSession } from "./normalize_yaml.ts";
import { type Snapshot, snapshotCheck } from "../kernel/snapshot.ts";
import { mustCheck } from "../kernel/check.ts";

const FIXTURES = new URL("../../tests/fixtures/claude-mpm/sessions/", import.meta.url);
const read = (path: string) => Deno.readTextFileSync(new URL(path, FIXTURES));
const context = (fileName: string) => ({ fileName, projectPath: "/home/dev/elsewhere" });

function fixture(path: string) {
  const name = path.split("/").pop()!;
  const result = normalizeSnapshot(JSON.parse(read(path)), context(name));
  // Whatever the layout, the result is a Snapshot mpm could have written itself.
  assertEquals(mustCheck(snapshotCheck, result.snapshot), result.snapshot);
  return result;
}

Deno.test("the documented 4.8.5 layout keeps its git fields and todos", () => {
  const { snapshot, legacy } = fixture("pause/session-20251020-143022.json");
  assertEquals(legacy, "claude-mpm-4");
  assertEquals(snapshot.schema_version, 1);
  assertEquals(snapshot.session_id, "session-20251020-143022");
  assertEquals(snapshot.paused_at, "2025-10-20T14:30:22.481Z");
  assertEquals(snapshot.git_context?.commit, "9f3c2e1d7a4b");
  assertEquals(snapshot.git_context?.status.staged, ["src/checkout/rates.py"]);
  assertEquals(snapshot.git_context?.ahead_behind, { ahead: 3, behind: 1 });
  assertEquals(snapshot.todos.active, [{
    content: "Handle tax-exempt customers",
    status: "pending",
  }]);
  assertEquals(snapshot.todos.completed[0].status, "completed");
  assertEquals([snapshot.version, snapshot.build], ["4.8.5", "320"]);
  assertEquals(snapshot.project_path, "/Users/dana/code/shopfront");
  assertEquals(snapshot.mpm.state, "paused");
});

Deno.test("4.20.5's local-time id becomes the UTC id its paused_at implies", () => {
  const { snapshot, legacy } = fixture("pause/session-20251107-182249.json");
  assertEquals(legacy, "claude-mpm-6");
  assertEquals(snapshot.session_id, "session-20251107-232249");
  assertEquals(snapshot.paused_at, "2025-11-07T23:22:49.512Z");
  assertEquals(snapshot.mpm.legacy, {
    tool: "claude-mpm",
    layout: "claude-mpm-6",
    session_id: "session-20251107-182249",
    paused_at: "2025-11-07T23:22:49.512207+00:00",
    file: "session-20251107-182249.json",
  });
});

Deno.test("v6 git context: recent_commits[0] is the commit, *_files become mpm's lists", () => {
  const git = fixture("pause/session-20251107-182249.json").snapshot.git_context!;
  assertEquals(git.branch, "feature/cart-refactor");
  assertEquals(git.commit, "4e1a9c0");
  assertEquals(git.commit_message, "Extract cart totals into totals.py");
  assertEquals(git.status.modified, ["rc/cart/totals.py", "src/cart/api.py"]);
  assertEquals(git.status.untracked, ["tests/test_totals.py"]);
  assertEquals(git.is_clean, false);
  assertEquals(git.ahead_behind, null);
  assertEquals((git.recent_commits as unknown[]).length, 5);
  assert(!("modified_files" in git.status) && !("clean" in git.status) && !("is_git_repo" in git));
});

Deno.test("fields mpm does not know survive the import", () => {
  const { snapshot } = fixture("session-20260305-141503.json");
  const extra = snapshot as Snapshot & Record<string, unknown>;
  assertEquals(extra.important_reminders, ["Do not merge before the 2026-03-10 menu freeze"]);
  assertEquals(
    (extra.active_context as { working_directory: string }).working_directory,
    "/Users/dana/code/shopfront",
  );
  assertEquals((extra.task_list as { completed_count: number }).completed_count, 2);
  assertEquals(snapshot.conversation.primary_task, "Manual pause - see message below");
  // A next step that was an object reads as its text; the objects are kept beside.
  assertEquals(snapshot.conversation.next_steps, ["de-DE strings", "Ask Léa to proofread"]);
  assertEquals((snapshot.conversation.legacy_next_steps as unknown[])[0], {
    task: "de-DE strings",
    priority: "high",
    estimated_hours: 3,
    status: "not started",
  });
  assertEquals(snapshot.mpm.task, null, "the placeholder primary task is not a task");
});

Deno.test("v6 task_list becomes todos; renames and non-ASCII text come through", () => {
  const { snapshot } = fixture("session-20260305-141503.json");
  assertEquals(snapshot.todos.active.map((t) => [t.content, t.status]), [
    ["Price formatting per locale", "in_progress"],
    ["Translate allergen notes", "pending"],
  ]);
  assertEquals(snapshot.todos.active[1].priority, "high");
  assertEquals(snapshot.git_context?.status.renamed, [{
    from: "old_menu.py",
    to: "src/menu/legacy.py",
  }]);
  assertEquals(snapshot.git_context?.status.untracked, ["locales/de/"]);
  assert(snapshot.conversation.summary.includes("“€” after the amount — check de-DE"));
});

Deno.test("paused_at in the next second keeps the UTC id; the default summary is marked", () => {
  const { snapshot } = fixture("session-20251120-193022.json");
  assertEquals(snapshot.session_id, "session-20251120-193022");
  assertEquals(snapshot.paused_at, "2025-11-20T19:30:23.104Z");
  assertEquals(snapshot.mpm.summary_source, "default");
  assertEquals(snapshot.git_context?.is_clean, true);
});

Deno.test("an auto-pause keeps its id despite a 26-minute gap, with its context usage", () => {
  const { snapshot } = fixture("session-20260518-221510.json");
  assertEquals(snapshot.session_id, "session-20260518-221510");
  assertEquals(snapshot.mpm.summary_source, "auto");
  assertEquals(snapshot.mpm.context_usage, {
    tokens: 184000,
    window: 200000,
    percent: 92,
    model: null,
  });
  assertEquals(snapshot.mpm.notes, ["Auto-pause triggered at 90% context"]);
  assertEquals(snapshot.conversation.accomplishments, ["Switched receipts to half-even rounding"]);
});

Deno.test("an empty branch is a detached HEAD; a placeholder context usage is dropped", () => {
  const { snapshot } = fixture("session-20260612-091245.json");
  assertEquals(snapshot.git_context?.branch, null);
  assertEquals(snapshot.git_context?.detached, true);
  assertEquals(snapshot.git_context?.commit, "8d2b7e4");
  assertEquals(snapshot.mpm.context_usage, null);
  assert(!("context_usage" in snapshot));
});

Deno.test("each .yaml reads as the same snapshot as its .json", () => {
  for (
    const id of [
      "pause/session-20251107-182249",
      "session-20251120-193022",
      "session-20260305-141503",
    ]
  ) {
    const fromJson = fixture(`${id}.json`);
    const fromYaml = normalizeYamlSession(
      read(`${id}.yaml`),
      context(`${id}.json`.split("/").pop()!),
    );
    assertEquals(fromYaml, fromJson);
  }
});

Deno.test("claude-mpm wrote JSON without a trailing newline (the fixtures stay faithful)", () => {
  for (const name of ["pause/session-20251107-182249.json", "session-20260612-091245.json"]) {
    assert(read(name).endsWith("}") && !read(name).endsWith("\n"), name);
  }
});

Deno.test("a session outside any git repository has no git context", () => {
  const raw = {
    session_id: "session-20251201-090000",
    paused_at: "2025-12-01T09:00:00.100000+00:00",
    conversation: { summary: "Notes only", accomplishments: [], next_steps: [] },
    git_context: {
      is_git_repo: false,
      branch: null,
      recent_commits: [],
      status: { clean: true, modified_files: [], untracked_files: [] },
    },
  };
  const { snapshot, legacy } = normalizeSnapshot(raw, context("session-20251201-090000.json"));
  assertEquals(legacy, "claude-mpm-6");
  assertEquals(snapshot.git_context, null);
  assertEquals(snapshot.project_path, "/home/dev/elsewhere");
  assertEquals([snapshot.version, snapshot.build], ["unknown", "unknown"]);
});

Deno.test("a record with no git_context at all reads as the documented layout", () => {
  const raw = { session_id: "session-20251201-090000", paused_at: "2025-12-01T09:00:00Z" };
  const { snapshot, legacy } = normalizeSnapshot(raw, context("x.json"));
  assertEquals(legacy, "claude-mpm-4");
  assertEquals(snapshot.git_context, null);
  assertEquals(snapshot.conversation, { summary: "", accomplishments: [], next_steps: [] });
  assertEquals(snapshot.mpm.summary_source, "default");
});

Deno.test("mpm's own snapshot passes through unchanged", () => {
  const own = fixture("session-20260612-091245.json").snapshot;
  const again = normalizeSnapshot(JSON.parse(JSON.stringify(own)), context("own.json"));
  assertEquals(again, { snapshot: own, legacy: "mpm" });
});

Deno.test("a snapshot from a newer mpm is refused with an upgrade hint", () => {
  const own = fixture("session-20260612-091245.json").snapshot;
  const error = assertThrows(
    () => normalizeSnapshot({ ...own, schema_version: 2 }, context("session-20260612-091245.json")),
    /session-20260612-091245\.json was written by a newer mpm \(schema 2/,
  );
  assert(error instanceof IntegrityError);
  assertEquals(error.exitCode, 4);
  assertEquals(error.hint?.startsWith("Upgrade mpm"), true);
});

Deno.test("garbage is refused naming the file", () => {
  const garbage: unknown[] = [
    42,
    null,
    "session",
    [],
    { foo: 1 },
    { session_id: 7, paused_at: "2025-12-01T09:00:00Z" },
    { session_id: "notes", paused_at: "yesterday" },
    { session_id: "session-20251201-090000", paused_at: "2025-12-01T09:00:00Z", git_context: 5 },
    { schema_version: 1, session_id: "session-20251201-090000" },
  ];
  for (const raw of garbage) {
    const error = assertThrows(() => normalizeSnapshot(raw, context("notes.json")), /notes\.json/);
    assert(error instanceof IntegrityError, JSON.stringify(raw));
  }
  assertThrows(
    () => normalizeYamlSession("a: [1, 2\nb: {", context("s.yaml")),
    /s\.yaml is not valid YAML/,
  );
});

Deno.test("legacyIdToUtc: the offset to paused_at, in quarter hours, is the writer's zone", () => {
  const cases: [string, string | undefined, string][] = [
    ["session-20251107-182249", "2025-11-07T23:22:49.512207+00:00", "session-20251107-232249"],
    ["session-20251108-045249", "2025-11-07T23:22:49.9+00:00", "session-20251107-232249"], // UTC+5:30
    ["session-20251120-193022", "2025-11-20T19:30:23.104552+00:00", "session-20251120-193022"],
    ["session-20251120-193022", undefined, "session-20251120-193022"],
    ["session-20251120-193022", "not a time", "session-20251120-193022"],
    ["session-20251107-182249-3", "2025-11-07T23:22:49Z", "session-20251107-232249-3"],
    ["session-20250101-000000", "2025-03-01T12:00:00Z", "session-20250301-120000"], // no zone is that far
    ["session-resume-2025-11-09-143000", "2025-11-09T19:30:00Z", "session-20251109-193000"],
  ];
  for (const [id, pausedAt, expected] of cases) {
    assertEquals(legacyIdToUtc(id, pausedAt), expected, id);
  }
  assertThrows(() => legacyIdToUtc("notes"), /not a claude-mpm session id/);
});

Deno.test("legacyIdFromName finds the id in every kind of file name", () => {
  assertEquals(legacyIdFromName("session-20251107-182249.json"), "session-20251107-182249");
  assertEquals(
    legacyIdFromName("/x/pause/session-20251107-182249-2.md"),
    "session-20251107-182249-2",
  );
  assertEquals(
    legacyIdFromName(".session-20251107-182249_q7x1mz0e.tmp.sha256"),
    "session-20251107-182249",
  );
  assertEquals(legacyIdFromName("session-resume-2025-11-09-143000.md"), "session-20251109-143000");
  assertEquals(legacyIdFromName("session-20260518-221510-incremental.jsonl"), undefined);
  assertEquals(legacyIdFromName("session-20251340-250000.json"), undefined);
});

Deno.test("parseLegacyTime reads claude-mpm's time formats and guesses at no others", () => {
  const utc = (text: string) => parseLegacyTime(text)?.toISOString();
  assertEquals(utc("2025-11-07T23:22:49.512207+00:00"), "2025-11-07T23:22:49.512Z");
  assertEquals(utc("2025-10-20T14:30:22Z"), "2025-10-20T14:30:22.000Z");
  assertEquals(utc("2025-12-09T15:45:00-05:00"), "2025-12-09T20:45:00.000Z");
  assertEquals(utc("2025-11-07 17:58:12 -0500"), "2025-11-07T22:58:12.000Z");
  assertEquals(utc("2026-06-12 09:12:45 UTC"), "2026-06-12T09:12:45.000Z");
  assertEquals(utc("2025-11-04T12:00:00.000000"), "2025-11-04T12:00:00.000Z", "naive is UTC");
  for (const bad of ["December 9, 2025 3:45 PM", "2025-02-30T10:00:00Z", "2025-11-07", ""]) {
    assertEquals(parseLegacyTime(bad), undefined, bad);
  }
});

Deno.test("claude-mpm's bare-hex checksum, orphaned beside a temp name, matches its .json", () => {
  const orphan = ".session-20251107-182249_q7x1mz0e.tmp.sha256";
  const target = legacyChecksumTarget(`/p/.claude-mpm/sessions/pause/${orphan}`);
  assertEquals(target, {
    sessionId: "session-20251107-182249",
    file: "session-20251107-182249.json",
    orphan: true,
  });
  const digest = parseLegacyChecksum(read(`pause/${orphan}`));
  assertEquals(digest, {
    hex: sha256Hex(Deno.readFileSync(new URL("pause/session-20251107-182249.json", FIXTURES))),
  });
  assertEquals(legacyChecksumTarget("session-20251120-193022.json.sha256"), {
    sessionId: "session-20251120-193022",
    file: "session-20251120-193022.json",
    orphan: false,
  });
  assertEquals(legacyChecksumTarget("LATEST-SESSION.txt"), undefined);
  const hex = "ab".repeat(32);
  assertEquals(parseLegacyChecksum(`${hex}  session-x.json\n`), { hex, name: "session-x.json" });
  assertEquals(parseLegacyChecksum("not a digest"), undefined);
});
