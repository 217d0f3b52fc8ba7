import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import { parseChecksumLine, sha256Hex } from "../kernel/hashing/checksum.ts";
import { type PlanInput, planMigration } from "./plan.ts";
import { originalsOf, type Plan, type Step, workSummary } from "./steps.ts";
import {
  collectRecords,
  collectTrusty,
  type LinkFile,
  type SourceFile,
  type Where,
} from "./records.ts";
import { snapshotCheck } from "../kernel/snapshot.ts";
import { mustCheck } from "../kernel/check.ts";

const FIXTURE = join(import.meta.dirname!, "../../tests/fixtures/claude-mpm/sessions");
const ROOT = "/home/dev/shop";
const encoder = new TextEncoder();

function file(where: Where, name: string, content: string | Uint8Array): SourceFile {
  const rel = where === "sessions"
    ? `sessions/${name}`
    : where === "pause"
    ? `sessions/pause/${name}`
    : `/home/me/.claude-mpm/sessions/${name}`;
  const bytes = typeof content === "string" ? encoder.encode(content) : content;
  return { where, name, rel, bytes };
}

function fixtureFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  for (const [where, dir] of [["sessions", FIXTURE], ["pause", join(FIXTURE, "pause")]] as const) {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isFile) {
        files.push(file(where, entry.name, Deno.readFileSync(join(dir, entry.name))));
      }
    }
  }
  return files;
}

function plan(files: SourceFile[], extra: Partial<PlanInput> = {}): Plan {
  return planMigration({
    collected: collectRecords(files, ROOT),
    sessionsNames: files.filter((f) => f.where === "sessions").map((f) => f.name),
    pauseExists: files.some((f) => f.where === "pause"),
    pauseKeeps: [],
    own: new Map(),
    isThisProject: (path) => path === ROOT,
    ...extra,
  });
}

function only<K extends Step["kind"]>(p: Plan, kind: K): Extract<Step, { kind: K }>[] {
  return p.steps.filter((s): s is Extract<Step, { kind: K }> => s.kind === kind);
}

const V4 = (summary: string, id = "session-20251020-143022") =>
  JSON.stringify(
    {
      session_id: id,
      paused_at: "2025-10-20T14:30:22Z",
      conversation: { summary, accomplishments: [], next_steps: [] },
      git_context: { branch: "main", commit: "abc1234", status: { modified: [] } },
      todos: { active: [], completed: [] },
      version: "4.8.5",
      build: "1",
      project_path: ROOT,
    },
    null,
    2,
  );

Deno.test("the fixture tree: every layout converted under its UTC id, the hand copy skipped", () => {
  const p = plan(fixtureFiles());
  const ids = only(p, "convert").map((s) => s.id);
  assertEquals(ids, [
    "session-20251020-143022",
    "session-20251107-232249", // pause/, local-time id 18:22:49 EST
    "session-20251120-193022",
    "session-20251209-204500", // agent-written .md, -05:00
    "session-20260115-103000", // .md only
    "session-20260305-141503",
    "session-20260518-221510", // auto-pause: id kept although paused_at is 26 min later
    "session-20260612-091245",
  ]);
  const [dup] = only(p, "duplicate");
  assertEquals([dup.of, dup.how, dup.removes], [
    "session-20251107-232249",
    "identical-bytes",
    ["sessions/session-20251107-182249.md"],
  ]);
  const latest = only(p, "latest")[0];
  assertEquals(latest.write?.text, "session-20260612-091245\n");
  assertEquals(latest.removes, ["sessions/pause/LATEST-SESSION.txt"]);
  assertEquals(only(p, "remove-dir").map((s) => s.rel), ["sessions/pause"]);
  assert(p.changes);
});

Deno.test("converted snapshots are valid, checksummed, and keep claude-mpm's provenance", () => {
  const p = plan(fixtureFiles());
  const fromPause = only(p, "convert").find((s) => s.id === "session-20251107-232249")!;
  const [json, sum, md, yaml] = fromPause.writes;
  assertEquals(sum.rel, "sessions/session-20251107-232249.json.sha256");
  assertEquals(parseChecksumLine(sum.text), {
    hex: sha256Hex(json.text),
    name: "session-20251107-232249.json",
  });
  assertEquals([md.rel, yaml.rel], [
    "sessions/session-20251107-232249.md",
    "sessions/session-20251107-232249.yaml",
  ]);
  const snapshot = mustCheck(snapshotCheck, JSON.parse(json.text));
  assertEquals(snapshot.session_id, "session-20251107-232249");
  assertEquals(snapshot.mpm.legacy, {
    tool: "claude-mpm",
    layout: "claude-mpm-6",
    session_id: "session-20251107-182249",
    paused_at: "2025-11-07T23:22:49.512207+00:00",
    file: ".claude-mpm/sessions/pause/session-20251107-182249.json",
    files: [
      ".claude-mpm/sessions/pause/session-20251107-182249.json",
      ".claude-mpm/sessions/pause/session-20251107-182249.yaml",
      ".claude-mpm/sessions/pause/session-20251107-182249.md",
      ".claude-mpm/sessions/pause/.session-20251107-182249_q7x1mz0e.tmp.sha256",
    ],
    checksum: "verified",
  });
  // claude-mpm's own extra fields survive.
  assertEquals((snapshot as Record<string, unknown>).important_reminders, []);
  assertEquals(fromPause.removes.length, 4);
  assertEquals(fromPause.overwrites, []);
});

Deno.test("a session converted in place overwrites its own files instead of removing them", () => {
  const p = plan(fixtureFiles());
  const flat = only(p, "convert").find((s) => s.id === "session-20251120-193022")!;
  assertEquals(flat.overwrites, [
    "sessions/session-20251120-193022.json",
    "sessions/session-20251120-193022.yaml",
    "sessions/session-20251120-193022.md",
  ]);
  assertEquals(flat.removes, ["sessions/.session-20251120-193022_m0d4ga8r.tmp.sha256"]);
});

Deno.test("the same id with different content: both kept, the flat folder's keeps the id", () => {
  const p = plan([
    file("pause", "session-20251020-143022.json", V4("old words")),
    file("sessions", "session-20251020-143022.json", V4("new words")),
  ]);
  const converts = only(p, "convert");
  assertEquals(converts.map((s) => [s.record.where, s.id, s.besides]), [
    ["sessions", "session-20251020-143022", null],
    ["pause", "session-20251020-143022-2", "session-20251020-143022"],
  ]);
  assertEquals(only(p, "duplicate"), []);
});

Deno.test("a duplicate whose name a kept session takes is overwritten, and backed up", () => {
  const json = V4("same");
  const p = plan([
    file("pause", "session-20251020-143022.json", json),
    file("pause", "session-20251020-143022.md", "# notes\n"),
    file("sessions", "session-20251020-143022.json", json),
  ]);
  const [dup] = only(p, "duplicate");
  assertEquals([dup.record.where, dup.overwrites, dup.removes], [
    "sessions",
    ["sessions/session-20251020-143022.json"],
    [],
  ]);
  assertEquals(originalsOf(p).sort(), [
    "sessions/pause/session-20251020-143022.json",
    "sessions/pause/session-20251020-143022.md",
    "sessions/session-20251020-143022.json",
  ]);
});

Deno.test("the same session written differently (reformatted JSON) is a duplicate", () => {
  const compact = JSON.stringify(JSON.parse(V4("same")));
  const p = plan([
    file("pause", "session-20251020-143022.json", V4("same")),
    file("sessions", "session-20251020-143022.json", compact),
  ]);
  assertEquals(only(p, "convert").length, 1);
  assertEquals(only(p, "duplicate").map((s) => s.how), ["same-content"]);
});

Deno.test("a tree already in mpm's format has nothing to do", () => {
  const names = ["json", "json.sha256", "md", "yaml"].map((e) => `session-20251020-143022.${e}`);
  const p = plan([file("sessions", "LATEST-SESSION.txt", "session-20251020-143022\n")], {
    sessionsNames: [...names, "LATEST-SESSION.txt", "session-resume-2025-11-09-143000.md"],
  });
  assertEquals(p, { steps: [], changes: false });
});

Deno.test("--from: only this project's sessions, its files never removed, re-imports skipped", () => {
  const ours = V4("ours");
  const theirs = V4("theirs", "session-20251021-090000").replace(ROOT, "/home/dev/other");
  const files = [
    file("from", "session-20251020-143022.json", ours),
    file("from", "session-20251021-090000.json", theirs),
  ];
  const first = plan(files);
  assertEquals(only(first, "convert").map((s) => [s.id, s.removes]), [
    ["session-20251020-143022", []],
  ]);
  assertEquals(only(first, "skip").map((s) => s.reason), ["it belongs to /home/dev/other"]);

  const imported = mustCheck(snapshotCheck, JSON.parse(only(first, "convert")[0].writes[0].text));
  const again = plan(files, {
    sessionsNames: ["session-20251020-143022.json", "session-20251020-143022.json.sha256"],
    own: new Map([["session-20251020-143022", imported]]),
  });
  assertEquals(only(again, "duplicate").map((s) => [s.of, s.removes]), [
    ["session-20251020-143022", []],
  ]);
  assertEquals(again.changes, false);
});

Deno.test("an unreadable record stays, keeps its id taken, and keeps pause/ in place", () => {
  const p = plan([
    file("sessions", "session-20251020-143022.json", "{ not json"),
    file("pause", "session-20251020-143022.json", V4("from pause")),
    file("pause", "session-20251030-000000.yaml", "summary: [unclosed"),
  ]);
  assertEquals(only(p, "invalid").map((s) => s.record.files[0]), [
    ".claude-mpm/sessions/session-20251020-143022.json",
    ".claude-mpm/sessions/pause/session-20251030-000000.yaml",
  ]);
  assertEquals(only(p, "convert").map((s) => s.id), ["session-20251020-143022-2"]);
  assertEquals(only(p, "remove-dir"), []);
});

Deno.test("LATEST-SESSION.txt names the newest converted session, not a newer unreadable one", () => {
  const p = plan([
    ...fixtureFiles(),
    file("sessions", "session-20260701-101010.json", '{"session_id": "x", bad\n'),
  ]);
  assertEquals(only(p, "invalid").map((s) => s.record.legacy_id), ["session-20260701-101010"]);
  const [latest] = only(p, "latest");
  assertEquals([latest.id, latest.write?.text], [
    "session-20260612-091245",
    "session-20260612-091245\n",
  ]);
});

Deno.test("checksum files: a mismatch is recorded, a stray one is removed", () => {
  const json = V4("x");
  const p = plan([
    file("sessions", "session-20251020-143022.json", json),
    file("sessions", ".session-20251020-143022_abcd1234.tmp.sha256", "0".repeat(64)),
    file("sessions", ".session-20251101-000000_zzzz9999.tmp.sha256", sha256Hex("gone")),
  ]);
  assertEquals(only(p, "convert")[0].record.checksum, "mismatch");
  assertEquals(only(p, "remove").map((s) => s.rel), [
    "sessions/.session-20251101-000000_zzzz9999.tmp.sha256",
  ]);
});

Deno.test("other files of pause/ move to sessions/ unless a different one has their name", () => {
  const p = plan([
    file("pause", "session-20251020-143022-incremental.jsonl", "{}\n"),
    file("pause", "ACTIVE-PAUSE.jsonl", "a\n"),
    file("pause", "notes.txt", "same\n"),
    file("sessions", "notes.txt", "same\n"),
    file("sessions", "ACTIVE-PAUSE.jsonl", "b\n"),
  ]);
  assertEquals(only(p, "move").map((s) => s.to), [
    "sessions/session-20251020-143022-incremental.jsonl",
  ]);
  assertEquals(only(p, "remove").map((s) => s.rel), ["sessions/pause/notes.txt"]);
  assertEquals(only(p, "keep").map((s) => s.rel), ["sessions/pause/ACTIVE-PAUSE.jsonl"]);
  assertEquals(only(p, "remove-dir"), []);
});

Deno.test("secrets in a claude-mpm session are redacted on the way", () => {
  const p = plan([
    file("sessions", "session-20251020-143022.json", V4("token ghp_" + "a".repeat(36))),
  ]);
  const [step] = only(p, "convert");
  assert(step.redacted);
  assert(!step.writes[0].text.includes("ghp_aaaa"));
});

Deno.test("a stale claim (killed before its JSON): the id is converted after all, the claim overwritten", () => {
  const id = "session-20251020-143022";
  const files = [file("sessions", `${id}.json`, V4("kept its id"))];
  const claim = `sessions/${id}.json.sha256`;
  const p = plan(files, {
    sessionsNames: [`${id}.json`, `${id}.json.sha256`],
    staleClaims: [id],
  });
  const [step] = only(p, "convert");
  assertEquals(step.id, id, "not -2: the stale claim does not make the id mpm's");
  assert(step.overwrites.includes(claim), "the claim is backed up and overwritten");
  assertEquals(only(p, "remove").map((s) => s.rel), []);
  // Without the stale claim marked, the id looks taken: the bug a killed migration left.
  assertEquals(
    only(plan(files, { sessionsNames: [`${id}.json`, `${id}.json.sha256`] }), "convert")[0].id,
    `${id}-2`,
  );
});

Deno.test("a stale claim no record takes is removed; a snapshot without renderings gets them", () => {
  const legacy = file("sessions", "session-20251020-143022.json", V4("mine"));
  const json = only(plan([legacy]), "convert")[0].writes.find((w) => w.rel.endsWith(".json"))!;
  const snapshot = mustCheck(snapshotCheck, JSON.parse(json.text));
  const p = plan([], {
    sessionsNames: ["session-20251020-143022.json.sha256"],
    staleClaims: ["session-20251020-143022"],
    unrendered: [{ snapshot, missing: ["yaml"] }],
  });
  assertEquals(only(p, "remove").map((s) => s.rel), [
    "sessions/session-20251020-143022.json.sha256",
  ]);
  const [render] = only(p, "render");
  assertEquals(render.writes.map((w) => w.rel), ["sessions/session-20251020-143022.yaml"]);
  assert(p.changes);
});

Deno.test("a continued migration: a hand copy of a session it converted already is still a duplicate", () => {
  const md = Deno.readFileSync(join(FIXTURE, "session-20251107-182249.md"));
  const copy = file("sessions", "session-20251107-182249.md", md);
  const converted = [{ id: "session-20251107-232249", digests: { md: sha256Hex(md) } }];
  const owned = ["session-20251107-232249.json", "session-20251107-232249.json.sha256"];
  const p = plan([copy], { sessionsNames: [copy.name, ...owned], converted });
  assertEquals(only(p, "convert"), []);
  assertEquals(only(p, "duplicate").map((s) => [s.of, s.how, s.removes]), [
    ["session-20251107-232249", "identical-bytes", ["sessions/session-20251107-182249.md"]],
  ]);
  // The session it became is gone (removed by hand since): the copy is converted after all.
  const alone = plan([copy], { converted });
  assertEquals(only(alone, "duplicate"), []);
  assertEquals(only(alone, "convert").length, 1);
});

Deno.test("a session `mpm prune` archived stays imported: a duplicate, its id still taken", () => {
  const id = "session-20251020-143022";
  const legacy = file("sessions", `${id}.json`, V4("mine"));
  const json = only(plan([legacy]), "convert")[0].writes[0];
  const archived = mustCheck(snapshotCheck, JSON.parse(json.text));
  const archivedNames = ["json", "json.sha256", "md", "yaml"].map((ext) => `${id}.${ext}`);
  const again = plan([legacy], { archivedNames, own: new Map([[id, archived]]) });
  assertEquals(only(again, "convert"), []);
  assertEquals(only(again, "duplicate").map((s) => [s.of, s.how]), [[id, "same-content"]]);
  // A different session of that id takes the next one: the archived id is mpm's.
  const other = plan([file("sessions", `${id}.json`, V4("other words"))], { archivedNames });
  assertEquals(only(other, "convert").map((s) => s.id), [`${id}-2`]);
});

Deno.test("a symbolic link with a session file's name is named and left, its id taken; the rest converts", () => {
  const id = "session-20251020-143022";
  const link = (where: Where, rel: string): LinkFile => ({
    where,
    name: rel.slice(rel.lastIndexOf("/") + 1),
    rel,
    path: `${ROOT}/${where === "trusty" ? "" : ".claude-mpm/"}${rel}`,
  });
  const inSessions = link("sessions", `sessions/${id}.json`);
  const p = plan([file("pause", `${id}.json`, V4("from pause"))], {
    sessionsNames: [`${id}.json`],
    links: [inSessions, link("trusty", ".trusty-mpm/sessions/session-20250627-100000.md")],
  });
  const refused = only(p, "invalid");
  assertEquals(refused.map((s) => s.record.files), [
    [".trusty-mpm/sessions/session-20250627-100000.md"],
    [`.claude-mpm/sessions/${id}.json`],
  ]);
  assertStringIncludes(
    refused[1].message,
    `.claude-mpm/sessions/${id}.json is a symbolic link, and mpm never reads a session through ` +
      `one: replace it with a copy of the file it points to, or remove it (rm ${inSessions.path})`,
  );
  assertEquals(only(p, "convert").map((s) => s.id), [`${id}-2`]);
  // A link in place of mpm's own file is the store's to name, not a session left to migrate.
  const own = plan([], { sessionsNames: [`${id}.json`, `${id}.json.sha256`], links: [inSessions] });
  assertEquals(own.steps, []);
});

Deno.test("the work a plan has left names the tool its sessions came from", () => {
  assertEquals(
    workSummary(plan(fixtureFiles())),
    "8 claude-mpm sessions to convert, 1 duplicate to remove, 2 other changes (old layouts, leftovers)",
  );
  const dir = join(import.meta.dirname!, "../../tests/fixtures/trusty-mpm/sessions");
  const trusty = ["session-20250627-100000.md", "session-20250714-064556.md"].map((name) => ({
    where: "trusty" as const,
    name,
    rel: `.trusty-mpm/sessions/${name}`,
    bytes: Deno.readFileSync(join(dir, name)),
  }));
  const records = collectTrusty(trusty, undefined, ROOT);
  const collected = { records, latest: [], strayChecksums: [], others: [] };
  const first = plan([], { collected });
  assertEquals(
    workSummary(first),
    "2 trusty-mpm sessions to convert, 1 other change (old layouts, leftovers)",
  );
  // Already imported: trusty-mpm's files are only read, so its duplicates leave nothing to do.
  const converts = only(first, "convert");
  const own = new Map(
    converts.map((s) => [s.id, mustCheck(snapshotCheck, JSON.parse(s.writes[0].text))]),
  );
  const again = plan([], {
    collected,
    sessionsNames: converts.flatMap((s) => s.writes.map((w) => w.rel.slice("sessions/".length))),
    own,
  });
  assertEquals([only(again, "duplicate").length, workSummary(again)], [2, ""]);
});
