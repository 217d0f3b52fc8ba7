/**
 * `mpm doctor` runs what Claude Code will run — every wired hook command and the status line —
 * as Claude Code runs it (`sh -c`, the settings' env, CLAUDE_PROJECT_DIR, from the root and a
 * subfolder), names each problem with its fix, and leaves nothing behind.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { exists, mpm, type Repo, withClones, withRepo, writeMpmProgram } from "../helpers.ts";
import { listFiles } from "../hooks/hooks_helpers.ts";

interface Check {
  id: string;
  status: string;
  message: string;
  fix?: string;
}

/** Room for a loaded test machine: the hooks' mpm here is deno running the bundle. */
const ROOMY = { MPM_DOCTOR_PROBE_MS: "30000" };

async function doctor(repo: Repo, env: Record<string, string> = {}, cwd = repo.path) {
  const result = await mpm(["doctor", "--json"], { cwd, env: { HOME: repo.home, ...env } });
  const report = JSON.parse(result.stdout) as { ok: boolean; checks: Check[] };
  return { code: result.code, checks: report.checks };
}

const withId = (checks: Check[], id: string) => checks.filter((c) => c.id === id);

/** Every file under the project and the home folder but git's, with its size. */
async function everything(repo: Repo): Promise<string[]> {
  const files = [
    ...(await listFiles(repo.path)).filter((f) => !f.startsWith(".git/")),
    ...(await listFiles(repo.home)).map((f) => `~/${f}`),
  ];
  return files.sort();
}

Deno.test("mpm off PATH: doctor names the hook commands that will find no mpm, with the fix, and changes nothing", async () => {
  await using repo = await withRepo();
  await repo.run("hooks", "install");
  await Deno.mkdir(join(repo.path, "src"));
  const before = await everything(repo);
  const { code, checks } = await doctor(repo);
  assertEquals(code, 1);
  const lost = withId(checks, "mpm-path");
  assertEquals(lost.length, 1, JSON.stringify(checks));
  assertEquals(lost[0].status, "fail");
  assertStringIncludes(
    lost[0].message,
    "Claude Code's SessionStart, SessionEnd, PreCompact, Stop, PostToolUseFailure, StopFailure " +
      "hooks will not find mpm",
  );
  assertStringIncludes(lost[0].message, ".claude-mpm/hooks/pre-session.sh");
  assertStringIncludes(lost[0].fix!, "MPM_BIN");
  // Not remembered anywhere: SessionStart's one note to install mpm is still the person's.
  assertEquals(await everything(repo), before);
});

Deno.test("doctor runs the hooks with the settings' env: MPM_BIN set there reaches mpm from the root and a subfolder", async () => {
  await using repo = await withRepo();
  await repo.run("hooks", "install");
  await Deno.mkdir(join(repo.path, "src"));
  const settings = join(repo.path, ".claude/settings.local.json");
  const data = JSON.parse(await Deno.readTextFile(settings));
  data.env = { MPM_BIN: await writeMpmProgram(join(repo.home, "..", "mpm")) };
  await Deno.writeTextFile(settings, JSON.stringify(data, null, 2) + "\n");
  await repo.run("pause", "-s", "Refunds");
  const before = await everything(repo);
  const { code, checks } = await doctor(repo, ROOMY);
  assertEquals(code, 0, JSON.stringify(checks.filter((c) => c.status === "fail")));
  const [ran] = withId(checks, "hooks-run");
  assertEquals(ran.status, "ok", JSON.stringify(checks));
  assertStringIncludes(
    ran.message,
    "Claude Code's hook commands reach mpm from the project root and src/: SessionStart,",
  );
  // No snapshot, claim, record or cache: the probe's event is one no hook serves.
  assertEquals(await everything(repo), before);
});

Deno.test("doctor runs the status line from the root and a subfolder: mpm's cached part shows; a hung one of yours is stopped", async () => {
  await using repo = await withRepo();
  const theirs = "printf 'theirs'";
  await repo.write(
    ".claude/settings.local.json",
    JSON.stringify({ statusLine: { type: "command", command: theirs } }, null, 2) + "\n",
  );
  await repo.run("hooks", "install");
  await Deno.mkdir(join(repo.path, "src"));
  // What `mpm statusline` last cached: the line, then the key of the input it saw.
  await repo.write(".claude-mpm/cache/statusline", "mpm: Refunds (paused)\nkey\n");
  const { checks } = await doctor(repo, ROOMY);
  const [line] = withId(checks, "statusline-run");
  assertEquals(line.status, "ok", JSON.stringify(checks));
  assertStringIncludes(
    line.message,
    "The status line (from .claude/settings.local.json) runs from the project root and src/",
  );

  // One of yours that never ends is stopped at the bound, whatever it started.
  const settings = join(repo.path, ".claude/settings.local.json");
  await Deno.writeTextFile(
    settings,
    (await Deno.readTextFile(settings)).replace(theirs, "sleep 120 & sleep 120"),
  );
  // Stopped at the bound, not waited out: doctor answers before the hung line's sleeps end.
  const started = Date.now();
  const hung = await doctor(repo, { MPM_DOCTOR_PROBE_MS: "300" });
  assert(Date.now() - started < 120_000, "doctor waited for the hung status line to finish");
  const [slow] = withId(hung.checks, "statusline-run");
  assertEquals(slow.status, "warn", JSON.stringify(hung.checks));
  assertStringIncludes(slow.message, "did not finish within 0.3 s from the project root and src/");
  assertEquals(hung.code, 1, "the hooks find no mpm here: that alone fails");
});

Deno.test("doctor never runs a status line a clone's repository committed, even in mpm's wrapper form: one line says why", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const marker = join(b.home, "..", "ran");
  const theirs = `touch '${marker}'; echo theirs`;
  // A wraps the project's status line in mpm's form and commits it; anyone could write it so.
  await a.write(
    ".claude/settings.json",
    JSON.stringify({ statusLine: { type: "command", command: theirs } }) + "\n",
  );
  await a.run("hooks", "install", "--scope", "project");
  await a.git("add", ".claude/settings.json");
  await a.git("commit", "-q", "-m", "status line");
  await a.git("push", "-q", "origin", "main");
  await b.git("pull", "-q", "origin", "main");
  const { checks } = await doctor(b, ROOMY);
  assertEquals(await exists(marker), false, "doctor ran the repository's status line");
  assertEquals(withId(checks, "statusline-run"), []);
  const [line] = withId(checks, "statusline");
  assertEquals(line.status, "info", JSON.stringify(checks));
  assertEquals(
    line.message,
    "Status line (from .claude/settings.json): the repository's (git tracks that file), with " +
      "mpm's part after it; not run by doctor.",
  );

  // B's own install puts mpm's own first: that one doctor runs, and still nothing of theirs.
  await b.run("hooks", "install");
  const after = await doctor(b, ROOMY);
  assertStringIncludes(withId(after.checks, "statusline")[0].message, "mpm's.");
  assertEquals(withId(after.checks, "statusline-run")[0]?.status, "ok", JSON.stringify(after));
  assertEquals(await exists(marker), false, "the repository's status line ran");
});

Deno.test("doctor runs the hooks without the env a repository committed (MPM_BIN): one line names it", async () => {
  await using repo = await withRepo();
  const marker = join(repo.home, "ran");
  await repo.write("evil.sh", `#!/bin/sh\ntouch '${marker}'\n`);
  await Deno.chmod(join(repo.path, "evil.sh"), 0o755);
  await repo.write(
    ".claude/settings.json",
    JSON.stringify({ env: { MPM_BIN: "./evil.sh", MPM_OTHER: "1" } }) + "\n",
  );
  await repo.git("add", "evil.sh", ".claude/settings.json");
  await repo.git("commit", "-q", "-m", "a repository's env");
  await repo.run("hooks", "install");
  const { checks } = await doctor(repo, ROOMY);
  assertEquals(await exists(marker), false, "doctor ran what the repository's env named");
  const [note] = withId(checks, "repository-env");
  assertEquals(note?.status, "info", JSON.stringify(checks));
  assertStringIncludes(note.message, "The env of .claude/settings.json (git tracks it");
  assertStringIncludes(note.message, "MPM_BIN, MPM_OTHER");
});

Deno.test("a teammate's clone of a repository whose committed settings wire mpm's hooks: one warning, not failures", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await a.run("hooks", "install", "--scope", "project");
  await a.git("add", ".claude/settings.json");
  await a.git("commit", "-q", "-m", "mpm's hooks for the team");
  await a.git("push", "-q", "origin", "main");
  await b.git("pull", "-q", "origin", "main");
  const env = { ...ROOMY, MPM_BIN: await writeMpmProgram(join(b.home, "..", "mpm")) };
  const { code, checks } = await doctor(b, env);
  assertEquals(code, 0, JSON.stringify(checks.filter((c) => c.status === "fail")));
  const hooks = withId(checks, "hooks");
  assertEquals(hooks.map((c) => c.status), ["warn"], JSON.stringify(hooks));
  assertStringIncludes(
    hooks[0].message,
    ".claude/settings.json (the repository's) wires mpm's hooks, but they are not installed in " +
      "this clone",
  );
  assertEquals(hooks[0].fix, "mpm hooks install");
  // Once installed there, they are the teammate's own, and all is well.
  await b.run("hooks", "install");
  const after = await doctor(b, env);
  assertEquals(withId(after.checks, "hooks").map((c) => c.status), ["ok"]);
});
