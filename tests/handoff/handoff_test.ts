/**
 * `mpm handoff` end to end: the guide's document from a real session and repository, -o's
 * safety, and the document travelling with `mpm sync` to another clone, where `resume` shows it.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { ok, withClones, withRepo } from "../helpers.ts";

const CONTEXT = `# Project Context

## Current Work
Wiring the profile page to the API.
<!-- mpm:begin status -->
- Status: active
<!-- mpm:end -->

## Architecture
Deno.
`;

Deno.test("mpm handoff writes From, Completed, Files, Needs, Acceptance criteria and To", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "profile UI");
  await ok(repo, "todo", "add", "avatar upload");
  await ok(repo, "todo", "add", "profile form");
  await ok(repo, "todo", "done", "2");
  await ok(repo, "pause", "-s", "Profile UI built", "-a", "UserProfile component");
  await ok(repo, "resume", "--no-changes");
  await repo.commit("profile", { "src/UserProfile.tsx": "export {};\n" });
  await repo.write("src/api.ts", "// draft\n");
  await repo.write(".claude/context.md", CONTEXT);
  const md = (await ok(
    repo,
    "handoff",
    "--to",
    "Backend agent",
    "--needs",
    "GET /api/users/:id",
    "--accept",
    "404 on unknown ids",
  )).stdout;
  for (
    const part of [
      "# Handoff: profile UI",
      "## From: profile UI",
      "Profile UI built",
      "- UserProfile component",
      "- profile form",
      "- src/UserProfile.tsx",
      "- src/api.ts",
      "Wiring the profile page to the API.",
      "## Needs from Backend agent:",
      "- GET /api/users/:id",
      "- avatar upload",
      "## Acceptance Criteria:",
      "- 404 on unknown ids",
      "## To: Backend agent",
    ]
  ) assertStringIncludes(md, part);
  assertNotIncludes(md, "mpm:begin");
  assertNotIncludes(md, "## Architecture");
  // The session is still active; the document is kept in a snapshot of it.
  const status = JSON.parse((await ok(repo, "status", "--json")).stdout);
  assertEquals(status.active.name, "profile UI");
  const json = JSON.parse((await ok(repo, "handoff", "--json")).stdout);
  assertEquals(json.to, null);
  assert(json.files.includes("src/UserProfile.tsx"));
  const stored = JSON.parse(
    await Deno.readTextFile(join(repo.path, ".claude-mpm/sessions", `${json.snapshot}.json`)),
  );
  assertEquals(stored.mpm.handoff.files, json.files);
});

Deno.test("mpm handoff -o follows pause --export's rules; bad input changes nothing", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "work");
  const sessions = join(repo.path, ".claude-mpm/sessions");
  const count = () => [...Deno.readDirSync(sessions)].length;
  const none = await repo.run("handoff", "-o", ".claude-mpm/handoff.md");
  assertEquals(none.code, 2);
  assertStringIncludes(none.stderr, "-o .claude-mpm/handoff.md");
  await Deno.mkdir(sessions, { recursive: true });
  const before = count();
  await repo.write("notes.md", "mine\n");
  const exists = await repo.run("handoff", "-o", "notes.md");
  assertEquals(exists.code, 1);
  assertEquals(await Deno.readTextFile(join(repo.path, "notes.md")), "mine\n");
  assertEquals(count(), before);
  const written = await ok(repo, "handoff", "-o", "notes.md", "--force");
  assertStringIncludes(written.stdout, "Wrote the handoff");
  assertStringIncludes(await Deno.readTextFile(join(repo.path, "notes.md")), "## From: work");
  // A context file that is binary is refused in one sentence.
  await ok(repo, "pause", "-s", "paused");
  await Deno.mkdir(join(repo.path, ".claude"), { recursive: true });
  await Deno.writeFile(join(repo.path, ".claude/context.md"), new Uint8Array([0, 1, 2]));
  const binary = await repo.run("handoff", "0");
  assertEquals(binary.code, 2);
  assertStringIncludes(binary.stderr, "binary");
  // With nothing active and no session named, the newest paused work is handed off: its context
  // file is read, and refused as binary.
  assertEquals((await repo.run("handoff")).code, 2);
});

Deno.test("mpm handoff with nothing active hands off the newest paused work, says so, and leaves it paused", async () => {
  await using repo = await withRepo();
  // Nothing at all to hand off: refused, with what to do.
  const none = await repo.run("handoff");
  assertEquals(none.code, 3, none.stderr);
  assertStringIncludes(none.stderr, "mpm start");
  await ok(repo, "start", "older work");
  await ok(repo, "pause", "-s", "Older words");
  await ok(repo, "start", "refunds");
  await ok(repo, "todo", "add", "webhook");
  await ok(repo, "pause", "-s", "Refunds half done");
  const md = await repo.run("handoff", "--to", "Bob");
  assertEquals(md.code, 0, md.stderr);
  assertStringIncludes(md.stdout, "## From: refunds");
  assertStringIncludes(md.stdout, "Refunds half done");
  assertStringIncludes(md.stdout, "- webhook");
  assertNotIncludes(md.stdout, "No session was active");
  assertStringIncludes(md.stderr, "No session was active: handing off the newest work, refunds");
  // It stays paused; the document is kept in a new snapshot of it.
  const status = JSON.parse((await ok(repo, "status", "--json")).stdout);
  assertEquals(status.active, null);
  const json = JSON.parse((await ok(repo, "handoff", "--json")).stdout);
  const newest = JSON.parse((await ok(repo, "list", "--json")).stdout)[0];
  assertEquals(json.snapshot, newest.session_id);
  assertEquals(newest.name, "refunds");
  // Finished work is not handed off.
  await ok(repo, "resume", "--no-changes");
  await ok(repo, "done");
  const finished = await repo.run("handoff");
  assertEquals(finished.code, 3, finished.stderr);
});

Deno.test("a handoff written on one clone is shown by resume on another after sync pull", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await ok(a, "start", "payments");
  await ok(a, "pause", "-s", "Stripe wired, refunds next");
  await ok(a, "resume", "--no-changes");
  await ok(a, "handoff", "--to", "Bob", "--needs", "refund endpoint", "--accept", "tests pass");
  await ok(a, "sync", "push");
  await ok(b, "sync", "pull");
  // B takes up the teammate's newest open work: the snapshot holding the handoff.
  const resumed = await ok(b, "resume", "--no-changes", "--from-teammate");
  for (const part of ["Handoff:", "## To: Bob", "- refund endpoint", "- tests pass"]) {
    assertStringIncludes(resumed.stdout, part);
  }
});
