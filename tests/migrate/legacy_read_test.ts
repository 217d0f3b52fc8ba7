/**
 * claude-mpm's files are read in place, before any migration: both folders, every layout.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { copyTree, ROOT, withRepo } from "../helpers.ts";

const FIXTURE = join(ROOT, "tests/fixtures/claude-mpm/sessions");

Deno.test("mpm list, show and resume read every claude-mpm layout in place", async () => {
  await using repo = await withRepo();
  await copyTree(FIXTURE, join(repo.path, ".claude-mpm/sessions"));
  const list = await repo.run("list", "--json", "--limit", "0");
  assertEquals(list.code, 0, list.stderr);
  const rows = JSON.parse(list.stdout) as { session_id: string; state: string; file: string }[];
  const ids = rows.map((r) => r.session_id);
  for (
    const id of [
      "session-20251020-143022", // pause/, documented 4.8.5 layout
      "session-20251107-182249", // in both folders: listed once
      "session-20260115-103000", // .md only
      "session-20260612-091245", // 6.5, detached HEAD
    ]
  ) assertEquals(ids.filter((x) => x === id).length, 1, id);
  assertEquals(rows.filter((r) => r.state === "invalid"), []);
  assertEquals(ids.some((id) => id.startsWith("session-resume-")), false);

  const show = await repo.run("show", "session-20251020-143022", "--format", "json");
  assertEquals(show.code, 0, show.stderr);
  assertEquals(
    JSON.parse(show.stdout).conversation.summary,
    "Wiring checkout to the new tax service",
  );

  const md = await repo.run("resume", "session-20260115-103000", "--json");
  assertEquals(md.code, 0, md.stderr);
  assertEquals(JSON.parse(md.stdout).session.schema_version, 1);

  const human = await repo.run("resume", "session-20260305-141503");
  assertEquals(human.code, 0, human.stderr);
  assertStringIncludes(human.stdout, "Session session-20260305-141503");
});
