/**
 * `mpm resume` reports only what is true, decided by content rather than by names: work
 * committed as it was paused is not a conflict, a paused commit another machine never pushed is
 * "not in this clone" rather than "history rewritten", the other machine's uncommitted files
 * are there rather than "missing", a snapshot whose record is gone is reported rather than read
 * back from its rendering, and claude-mpm's YAML-only sessions are read.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, ROOT, withClones, withRepo, writeRecord } from "../../helpers.ts";
import { detectChanges } from "../../../src/sessions/report/detect_changes.ts";
import type { Snapshot } from "../../../src/kernel/snapshot.ts";

async function pause(repo: Repo, ...args: string[]): Promise<{ session_id: string }> {
  const result = await ok(repo, "pause", "--json", "--no-prune-worktrees", ...args);
  return JSON.parse(result.stdout);
}

async function resumeJson(repo: Repo, ...args: string[]) {
  const result = await ok(repo, "resume", "--json", ...args);
  return JSON.parse(result.stdout) as { session: Snapshot; changes: Record<string, unknown> };
}

Deno.test("a file committed with the content it had at pause is 'committed as paused', not a conflict", async () => {
  await using repo = await withRepo();
  await repo.commit("Start", { "app.ts": "v1\n", "api.ts": "a1\n", "old.ts": "o\n" });
  await Deno.remove(join(repo.path, "old.ts"));
  await repo.write("app.ts", "v2, finished\n");
  await repo.write("api.ts", "a2, mine\n");
  await repo.write("notes.md", "new file\n");
  await pause(repo, "-s", "Checkout");
  // The paused work is committed as it was; api.ts is committed with other content.
  await repo.write("api.ts", "a3, someone else's\n");
  await repo.commit("Finish checkout");

  const { changes } = await resumeJson(repo);
  // A deletion committed is committed as paused too.
  assertEquals(changes.committed_as_paused, ["app.ts", "notes.md", "old.ts"]);
  assertEquals(changes.conflicts, ["api.ts"]);
  assertEquals(changes.missing_files, []);
  const human = (await ok(repo, "resume")).stdout;
  assertStringIncludes(human, "Committed as paused (3):");
  assertStringIncludes(human, "app.ts: uncommitted at pause, now in HEAD as it was");
  assertStringIncludes(human, "⚠ Potential conflicts (1):\n    • api.ts");
});

Deno.test("resume names the uncommitted files changed since the pause, and only those", async () => {
  await using repo = await withRepo();
  await repo.commit("Start", { "app.ts": "v1\n", "api.ts": "a1\n", "README.md": "# r\n" });
  await repo.write("app.ts", "v2\n");
  await repo.write("api.ts", "a2\n");
  await repo.write("notes.md", "mine\n");
  await repo.write("scratch/a.txt", "a\n");
  await pause(repo, "-s", "Half way");
  // Since: api.ts edited again, the README edited for the first time, notes.md as it was; a
  // file in the folder the pause listed whole is not known to be new.
  await repo.write("api.ts", "a3\n");
  await repo.write("README.md", "# r, more\n");
  await repo.write("scratch/a.txt", "a, more\n");
  const { changes } = await resumeJson(repo);
  assertEquals(changes.edited_since_pause, ["README.md", "api.ts"]);
  await pause(repo, "-s", "Again");
  const text = await ok(repo, "resume");
  assertStringIncludes(text.stdout, "Modified (3): README.md, api.ts, app.ts");
  assertNotIncludes(text.stdout, "Changed since the pause");
  await repo.write("app.ts", "v3\n");
  const again = await ok(repo, "resume");
  assertStringIncludes(again.stdout, "Changed since the pause (1): app.ts");
});

Deno.test("resume names the uncommitted work undone since the pause (checked out or stashed)", async () => {
  await using repo = await withRepo();
  await repo.commit("Start", { "app.ts": "v1\n", "api.ts": "a1\n" });
  await repo.write("app.ts", "v2, mine\n");
  await repo.write("api.ts", "a2, mine\n");
  await pause(repo, "-s", "Half way");
  await repo.git("checkout", "--", "app.ts");
  const { changes } = await resumeJson(repo);
  assertEquals(changes.undone_since_pause, ["app.ts"]);
  await pause(repo, "-s", "Again");
  await repo.git("stash", "-q");
  const text = await ok(repo, "resume");
  assertStringIncludes(text.stdout, "Undone since the pause (1):");
  assertStringIncludes(text.stdout, "api.ts: uncommitted at pause, as committed now");
});

Deno.test("a session handed over by sync: the paused commit is not in this clone, the files are on the machine that paused", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  // A commits without pushing, leaves work uncommitted, pauses and syncs only the session.
  await a.commit("Local only", { "local.txt": "never pushed\n" });
  await a.write("draft.md", "A's notes\n");
  await a.write("README.md", "# demo, edited on A\n");
  const { session_id: id } = await pause(a, "-s", "Handover");
  await ok(a, "sync", "push");
  await ok(b, "sync", "pull");

  const { session, changes } = await resumeJson(b, id, "--from-teammate");
  assertEquals(session.mpm.machine, Deno.hostname());
  assertEquals(changes.paused_commit_state, "not_in_clone");
  assertEquals(changes.history_rewritten, false);
  assertEquals(changes.missing_files, []);
  // The same host name, but another machine's key (B's HOME is not A's) and another folder:
  // another machine, whose uncommitted files are all there (README.md here is not A's edit).
  assertEquals(changes.paused_elsewhere, {
    machine: Deno.hostname(),
    project_path: a.path,
    files: ["README.md", "draft.md"],
  });
  const human = (await ok(b, "resume", id, "--from-teammate")).stdout;
  assertStringIncludes(human, "is not in this clone: fetch it from");
  assertStringIncludes(human, `Uncommitted on ${Deno.hostname()} at pause (2), in ${a.path}`);
  // This machine's own key (A's HOME) in another folder: only what this work tree has no copy of.
  const sameKey = await mpm(["resume", id, "--json", "--force"], {
    cwd: b.path,
    env: { HOME: a.home },
  });
  assertEquals(JSON.parse(sameKey.stdout).changes.paused_elsewhere.files, ["draft.md"]);
  assertNotIncludes(human, "History rewritten");
  assertNotIncludes(human, "Missing files");

  // Seen from another machine, every file uncommitted there is there, none missing here.
  const elsewhere = await detectChanges(b.path, session, "bob-desktop");
  assertEquals(elsewhere?.paused_elsewhere?.files, ["README.md", "draft.md"]);
  assertEquals(elsewhere?.missing_files, []);

  // Once A pushes the commit and B fetches it, the commit is known and nothing is new.
  await a.git("push", "-q", "origin", "main");
  await b.git("pull", "-q", "origin", "main");
  const fetched = (await resumeJson(b, id, "--from-teammate")).changes;
  assertEquals(fetched.paused_commit_state, "in_history");
  assertEquals(fetched.new_commits, []);
});

Deno.test("a teammate's snapshot on a branch this clone has only as origin/<branch> is a switch, not a rewrite", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await a.git("switch", "-q", "-c", "feature-x");
  await a.commit("Feature x", { "x.txt": "x\n" });
  await a.git("push", "-q", "origin", "feature-x");
  const { session_id: id } = await pause(a, "-s", "A on feature-x");
  await ok(a, "sync", "push");
  await b.git("fetch", "-q", "origin");
  await ok(b, "sync", "pull");

  const { changes } = await resumeJson(b, id, "--from-teammate");
  assertEquals(changes.paused_commit_state, "on_paused_branch");
  assertEquals(changes.history_rewritten, false);
  const human = (await ok(b, "resume", id, "--from-teammate")).stdout;
  assertStringIncludes(human, "Branch: feature-x → main");
  assertStringIncludes(human, "`git switch feature-x` goes back to it");
  assertNotIncludes(human, "History rewritten");

  // A deletes the local branch once pushed: A's next conversation is told of a switch too.
  await a.git("switch", "-q", "main");
  await a.git("branch", "-q", "-D", "feature-x");
  const payload = {
    session_id: "5f0c4a43-2d3e-4b7f-9a61-0c1d2e3f4a5b",
    transcript_path: join(a.home, "none.jsonl"),
    cwd: a.path,
    hook_event_name: "SessionStart",
    source: "startup",
  };
  const start = await mpm(["hook", "session-start"], {
    cwd: a.path,
    env: { HOME: a.home },
    stdin: JSON.stringify(payload),
  });
  assertStringIncludes(start.stdout, "Branch: feature-x → main");
  assertNotIncludes(start.stdout, "History rewritten");

  // A rewrites the branch (amend, force-push) and B fetches it: now it is a rewrite.
  await a.git("switch", "-q", "-c", "again", "origin/feature-x");
  await a.git("commit", "-q", "--amend", "-m", "Feature x, amended");
  await a.git("push", "-q", "-f", "origin", "again:feature-x");
  await b.git("fetch", "-q", "origin");
  assertEquals(
    (await resumeJson(b, id, "--from-teammate")).changes.paused_commit_state,
    "rewritten",
  );
});

Deno.test("a snapshot whose .json is gone is reported missing, never shown from its .md or .yaml", async () => {
  await using repo = await withRepo();
  const { session_id: id } = await pause(repo, "-s", "The real summary");
  const dir = join(repo.path, ".claude-mpm/sessions");
  await Deno.remove(join(dir, `${id}.json`));
  // An edited rendering must not come back as the session.
  const md = await Deno.readTextFile(join(dir, `${id}.md`));
  await Deno.writeTextFile(join(dir, `${id}.md`), md.replace("The real summary", "Edited"));

  const show = await repo.run("show", id);
  assertEquals(show.code, 4, show.stdout);
  assertStringIncludes(show.stderr, `.claude-mpm/sessions/${id}.json is missing`);
  assertNotIncludes(show.stdout, "Edited");
  const list = JSON.parse((await repo.run("list", "--json")).stdout);
  assertEquals(list[0].state, "invalid");
  assertStringIncludes(list[0].error, "is missing");

  // Without its checksum file too: the renderings are still recognised as mpm's own.
  await Deno.remove(join(dir, `${id}.json.sha256`));
  const yamlOnly = await repo.run("show", id, "--format", "json");
  assertEquals(yamlOnly.code, 4);
  assertStringIncludes(yamlOnly.stderr, "is missing");
  await Deno.remove(join(dir, `${id}.yaml`));
  const mdOnly = await repo.run("resume", id);
  assertEquals(mdOnly.code, 4);
  assertNotIncludes(mdOnly.stdout, "Edited");
});

Deno.test("claude-mpm's YAML-only sessions are listed, shown and resumed", async () => {
  await using repo = await withRepo();
  const dir = join(repo.path, ".claude-mpm/sessions");
  await Deno.mkdir(dir, { recursive: true });
  const fixture = join(ROOT, "tests/fixtures/claude-mpm/sessions");
  await Deno.copyFile(
    join(fixture, "session-20260305-141503.yaml"),
    join(dir, "session-20260305-141503.yaml"),
  );
  await Deno.copyFile(
    join(fixture, "pause/session-20251107-182249.yaml"),
    join(dir, "session-20251107-182249.yaml"),
  );
  const list = JSON.parse((await ok(repo, "list", "--json")).stdout);
  assertEquals(list.map((r: { session_id: string }) => r.session_id), [
    "session-20260305-141503",
    "session-20251107-182249",
  ]);
  assertEquals(list.filter((r: { state: string }) => r.state === "invalid"), []);
  const show = JSON.parse(
    (await ok(repo, "show", "session-20251107-182249", "--format", "json")).stdout,
  );
  // Read as claude-mpm wrote it (its local-time id, kept under mpm.legacy).
  assertEquals(show.mpm.legacy.tool, "claude-mpm");
  assertEquals(show.mpm.legacy.session_id, "session-20251107-182249");
  const resumed = await resumeJson(repo, "session-20260305-141503");
  assertEquals(
    (resumed.session.mpm.legacy as { session_id: string }).session_id,
    "session-20260305-141503",
  );
  assert(resumed.session.conversation.summary.length > 0);
});

Deno.test("a snapshot dated in the future by its id (a committed .claude-mpm, a copy) sorts by when it arrived", async () => {
  await using repo = await withRepo();
  const { session_id: first } = await pause(repo, "-s", "First");
  const dir = join(repo.path, ".claude-mpm/sessions");
  const record = JSON.parse(await Deno.readTextFile(join(dir, `${first}.json`)));
  const future = "session-29990101-000000-000bcd";
  const text = JSON.stringify(
    {
      ...record,
      session_id: future,
      conversation: {
        ...record.conversation,
        summary: "From the future",
      },
    },
    null,
    2,
  ) + "\n";
  await writeRecord(dir, future, text);
  const { session_id: later } = await pause(repo, "-s", "Later, for real");
  const listed = JSON.parse((await ok(repo, "list", "--json")).stdout)
    .map((r: { session_id: string }) => r.session_id);
  assertEquals(listed, [later, future, first]);
  assertEquals(
    (await Deno.readTextFile(join(dir, "LATEST-SESSION.txt"))).trim(),
    later,
  );
  const { session } = await resumeJson(repo, "--no-changes");
  assertEquals(session.conversation.summary, "Later, for real");
});
