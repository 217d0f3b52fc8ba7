/**
 * The core flow (pause, list, show, resume, resume after a rebase, doctor) in a project whose
 * path holds spaces and non-ASCII letters, on files whose names hold spaces, non-ASCII letters
 * and a newline: every path must come back exactly as git and the file system spell it.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, type Repo, withRepo } from "../../helpers.ts";

const PROJECT = "my proj ünïcødé 项目";
const EDITED = "dir with space/ünï cødé.ts";
const DOC = "docs/ß résumé.md";
const NEWLINE = "new\nline.txt";
const STAGED = "项目 文件.md";

async function json(repo: Repo, ...args: string[]) {
  const result = await repo.run(...args);
  assertEquals(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

Deno.test("pause, list, show, resume in a unicode path with spaces, on unicode and newline file names", async () => {
  await using repo = await withRepo({ name: PROJECT });
  assert(repo.path.endsWith(`/${PROJECT}`));
  await repo.commit("Add ünïcødé files", { [EDITED]: "v1\n", [DOC]: "doc\n" });
  await repo.write(EDITED, "v1 + local edit\n");
  await repo.write(NEWLINE, "scratch\n");
  await repo.write(STAGED, "staged\n");
  await repo.git("add", "--", STAGED);

  // From a subfolder whose name has spaces and unicode too.
  const result = await mpm(
    [
      "pause",
      "--json",
      "--no-prune-worktrees",
      "-s",
      "Façade 重构",
      "-a",
      "Ünïcødé paths",
      "-n",
      "Ship it",
    ],
    { cwd: join(repo.path, "dir with space"), env: { HOME: repo.home } },
  );
  assertEquals(result.code, 0, result.stderr);
  const paused = JSON.parse(result.stdout);
  const sessions = join(repo.path, ".claude-mpm/sessions");
  assertEquals(paused.files.json, join(sessions, `${paused.session_id}.json`));
  const record = JSON.parse(await Deno.readTextFile(paused.files.json));
  assertEquals(record.conversation, {
    summary: "Façade 重构",
    accomplishments: ["Ünïcødé paths"],
    next_steps: ["Ship it"],
  });
  assertEquals(record.project_path, repo.path);
  assertEquals(record.git_context.status.modified, [EDITED]);
  assertEquals(record.git_context.status.staged, [STAGED]);
  assertEquals(record.git_context.status.untracked, [NEWLINE]);
  assertEquals(record.git_context.commit_message, "Add ünïcødé files");
  const check = await new Deno.Command("sha256sum", {
    args: ["-c", `${paused.session_id}.json.sha256`],
    cwd: sessions,
    stdout: "null",
  }).output();
  assertEquals(check.code, 0);
  assertEquals(await repo.git("status", "--porcelain", "--", ".claude-mpm"), "");

  const list = await json(repo, "list", "--json");
  assertEquals(list.length, 1);
  assertEquals(list[0].session_id, paused.session_id);
  assertEquals(list[0].summary, "Façade 重构");
  assertEquals(list[0].file, `.claude-mpm/sessions/${paused.session_id}.json`);
  assertStringIncludes((await repo.run("list")).stdout, "Façade 重构");

  const shown = await json(repo, "show", "0", "--format", "json");
  assertEquals(shown.git_context.status.untracked, [NEWLINE]);
  const yaml = await repo.run("show", "0", "--format", "yaml");
  assertStringIncludes(yaml.stdout, "summary: Façade 重构");
  assertStringIncludes(yaml.stdout, EDITED);
  const md = await repo.run("show", paused.session_id, "--format", "md");
  assertStringIncludes(md.stdout, "# Session");
  assertStringIncludes(md.stdout, STAGED);
  for (const format of ["text", "md"]) {
    const out = await repo.run("show", "0", "--format", format);
    assertEquals(out.code, 0, out.stderr);
    assertStringIncludes(out.stdout, "Façade 重构");
    assertStringIncludes(out.stdout, "Ünïcødé paths");
  }

  // Work goes on: the uncommitted files are put away, a commit lands, another file changes.
  await repo.git("stash", "-u");
  await repo.commit("Fix ünïcødé 提交", { [EDITED]: "v2\n", "新 file.txt": "new\n" });
  await repo.write(DOC, "changed now\n");
  const { session, changes } = await json(repo, "resume", "--json");
  assertEquals(session.session_id, paused.session_id);
  assertEquals(changes.new_commits.map((c: { subject: string }) => c.subject), [
    "Fix ünïcødé 提交",
  ]);
  assertEquals(
    changes.files.map((f: { status: string; path: string }) => `${f.status} ${f.path}`).sort(),
    [`A 新 file.txt`, `M ${EDITED}`],
  );
  assertEquals(changes.conflicts, [EDITED]);
  assertEquals([...changes.missing_files].sort(), [NEWLINE, STAGED].sort());
  assertEquals(changes.working_tree.modified, [DOC]);
  assertEquals(changes.history_rewritten, false);
  assertEquals(changes.branch, { from: "main", to: "main" });
  const human = await repo.run("resume");
  assertEquals(human.code, 0, human.stderr);
  for (const part of ["Façade 重构", "Fix ünïcødé 提交", EDITED]) {
    assertStringIncludes(human.stdout, part);
  }
  // No name octal-escaped the way git quotes paths by default ("\303\274" for ü).
  assert(!/\\[0-7]{3}/.test(human.stdout), human.stdout);
});

Deno.test("resume after a rebase on a unicode branch, and doctor's fixes quote the path", async () => {
  await using repo = await withRepo({ name: PROJECT });
  const branch = "feature/ünïcødé";
  await repo.git("checkout", "-q", "-b", branch);
  await repo.commit("Feature wörk", { [EDITED]: "f\n" });
  const paused = await json(repo, "pause", "--json", "--no-prune-worktrees", "-s", "feature");
  await repo.git("checkout", "-q", "main");
  await repo.commit("Main möved", { [DOC]: "m\n" });
  await repo.git("checkout", "-q", branch);
  await repo.git("rebase", "-q", "main");
  const { changes } = await json(repo, "resume", "--json");
  // The rebase replayed the paused commit: not a rewrite
  // (sessions/store/records/snapshot/changes.ts).
  assertEquals(changes.paused_commit_state, "replayed");
  assertEquals(changes.history_rewritten, false);
  assertEquals(changes.branch, { from: branch, to: branch });
  const subjects = changes.new_commits.map((c: { subject: string }) => c.subject);
  assertEquals(subjects.includes("Feature wörk") && subjects.length > 2, false);

  // A file made readable by others: doctor's chmod fix must work on this path as printed.
  await Deno.chmod(paused.files.json, 0o644);
  const doctor = await repo.run("doctor", "--json");
  assertEquals(doctor.code, 1);
  const [bad] = JSON.parse(doctor.stdout).checks.filter((c: { status: string }) =>
    c.status === "fail"
  );
  assertStringIncludes(bad.fix, `'${paused.files.json}'`);
  const fixed = await new Deno.Command("sh", { args: ["-c", bad.fix], cwd: repo.home }).output();
  assertEquals(fixed.code, 0);
  assertEquals((await Deno.stat(paused.files.json)).mode! & 0o777, 0o600);
  assertEquals((await repo.run("doctor")).code, 0);
});
