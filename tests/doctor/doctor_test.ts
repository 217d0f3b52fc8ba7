/**
 * `mpm doctor`, run as a user would, against real repositories whose `.claude-mpm/` is healthy
 * or damaged in the ways the command must name.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { baseEnv, mpm, ok, type Repo, ROOT, withRepo, writeMpmProgram } from "../helpers.ts";
import { enablePlugin } from "../hooks/hooks_helpers.ts";

interface Report {
  ok: boolean;
  version: { version: string; build: string; target: string; deno: string };
  executable: { path: string; main_module: string };
  project_root: string;
  checks: { id: string; status: string; message: string; fix?: string }[];
}

async function doctorJson(repo: Repo, env: Record<string, string> = {}) {
  const result = await mpm(["doctor", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home, ...env },
  });
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

const failures = (report: Report) => report.checks.filter((c) => c.status === "fail");

async function pause(
  repo: Repo,
  summary: string,
): Promise<{ session_id: string; files: { json: string } }> {
  const result = await repo.run("pause", "--json", "--no-prune-worktrees", "-s", summary);
  assertEquals(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

Deno.test("mpm doctor in a healthy project exits 0 and reports version, root, checksums, git", async () => {
  await using repo = await withRepo();
  await pause(repo, "first");
  await pause(repo, "second");
  const result = await repo.run("doctor");
  assertEquals(result.code, 0, result.stdout + result.stderr);
  assertMatch(result.stdout, /^✓ mpm \d+\.\d+\.\d+ \(dev build/);
  assertStringIncludes(result.stdout, `Project root: ${repo.path} (a git repository)`);
  assertStringIncludes(result.stdout, "✓ Checksums: 2 stored files verified.");
  assertStringIncludes(result.stdout, "✓ Permissions:");
  assertStringIncludes(result.stdout, "· Claude Code hooks are not set up");
  assertMatch(result.stdout, /✓ git \d+\.\d+/);
  assertStringIncludes(result.stdout, "All is well");
  assert(!result.stdout.includes("\x1b["), "no colour without a TTY");
});

Deno.test("mpm doctor --json: one document with version, executable, root and checks", async () => {
  await using repo = await withRepo({ git: false });
  const { code, report } = await doctorJson(repo);
  assertEquals(code, 0);
  assertEquals(Object.keys(report).sort(), [
    "checks",
    "executable",
    "ok",
    "project_root",
    "version",
  ]);
  assertEquals(report.ok, true);
  assertEquals(report.project_root, repo.path);
  assertEquals(Object.keys(report.version).sort(), ["build", "deno", "target", "version"]);
  assertEquals(report.executable.path, Deno.execPath());
  assertStringIncludes(report.executable.main_module, "main.ts");
  for (const check of report.checks) {
    assert(["ok", "warn", "fail", "info"].includes(check.status), JSON.stringify(check));
    assertEquals(typeof check.id, "string");
    assertEquals(typeof check.message, "string");
  }
  // Nothing stored yet, outside git: notes, not failures.
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  assertEquals(byId.store.status, "info");
  assertStringIncludes(byId.project.message, "not in git");
});

Deno.test("mpm doctor names a 0644 file and a 0755 folder with a chmod that fixes them", async () => {
  await using repo = await withRepo();
  const paused = await pause(repo, "perm");
  const folder = join(repo.path, ".claude-mpm/sessions");
  await Deno.chmod(paused.files.json, 0o644);
  await Deno.chmod(folder, 0o755);
  const { code, report } = await doctorJson(repo);
  assertEquals(code, 1);
  assertEquals(report.ok, false);
  const bad = failures(report);
  assertEquals(bad.map((c) => c.id), ["permissions", "permissions"]);
  assertStringIncludes(bad[0].message, ".claude-mpm/sessions (0755)");
  assertEquals(bad[0].fix, `chmod 700 ${folder}`);
  assertStringIncludes(bad[1].message, `.claude-mpm/sessions/${paused.session_id}.json (0644)`);
  assertEquals(bad[1].fix, `chmod 600 ${paused.files.json}`);
  // doctor changes nothing; its fixes, run as given, make it pass.
  assertEquals((await Deno.stat(folder)).mode! & 0o777, 0o755);
  for (const check of bad) {
    const out = await new Deno.Command("sh", { args: ["-c", check.fix!], cwd: repo.home }).output();
    assertEquals(out.code, 0);
  }
  assertEquals((await doctorJson(repo)).code, 0);
  const human = await repo.run("doctor");
  assertStringIncludes(human.stdout, "All is well");
});

Deno.test("mpm doctor fails on a tampered snapshot and checkpoint, a damaged state.json, a link out of .claude-mpm/", async () => {
  await using repo = await withRepo();
  await pause(repo, "good");
  const bad = await pause(repo, "tampered");
  const body = await Deno.readTextFile(bad.files.json);
  await Deno.writeTextFile(bad.files.json, body.replace("tampered", "tampered!"));
  await Deno.chmod(bad.files.json, 0o600);
  const saved = await repo.run("checkpoint", "save", "milestone");
  assertEquals(saved.code, 0, saved.stderr);
  const checkpoint = join(repo.path, ".claude-mpm/checkpoints/milestone.json");
  await Deno.writeTextFile(checkpoint, "\n", { append: true });
  await Deno.writeTextFile(join(repo.path, ".claude-mpm/state.json"), "{ not json", {
    mode: 0o600,
  });
  await Deno.symlink(repo.home, join(repo.path, ".claude-mpm/sessions/elsewhere"));
  const result = await repo.run("doctor");
  assertEquals(result.code, 1, result.stdout);
  assertMatch(
    result.stdout,
    new RegExp(`✗ .*${bad.session_id}\\.json does not match its checksum`),
  );
  assertMatch(result.stdout, /✗ .*state\.json is damaged/);
  assertMatch(result.stdout, /✗ \.claude-mpm\/sessions\/elsewhere is a symbolic link to /);
  assertMatch(result.stdout, /✗ .*checkpoints\/milestone\.json does not match its checksum/);
  assertStringIncludes(result.stdout, "✓ Checksums: 1 stored file verified.");
  assertStringIncludes(result.stdout, "4 problems found");
  const { report } = await doctorJson(repo);
  assertEquals(failures(report).map((c) => c.id).sort(), [
    "checksums",
    "checksums",
    "state",
    "symlinks",
  ]);
});

Deno.test("mpm doctor notes claude-mpm sessions that `mpm migrate` would convert", async () => {
  await using repo = await withRepo();
  const target = join(repo.path, ".claude-mpm/sessions");
  await copyTree(join(ROOT, "tests/fixtures/claude-mpm/sessions"), target);
  const { code, report } = await doctorJson(repo);
  assertEquals(code, 0, JSON.stringify(failures(report)));
  const legacy = report.checks.find((c) => c.id === "legacy")!;
  assertEquals(legacy.status, "warn");
  assertStringIncludes(legacy.message, "mpm migrate");
});

/** Copies a folder with mpm's own modes, as if mpm had written it. */
async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true, mode: 0o700 });
  for (const dir of [join(to, ".."), to]) await Deno.chmod(dir, 0o700);
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(join(from, entry.name), join(to, entry.name));
    else {
      await Deno.copyFile(join(from, entry.name), join(to, entry.name));
      await Deno.chmod(join(to, entry.name), 0o600);
    }
  }
}

Deno.test("mpm doctor reports the version of a claude found on PATH", async () => {
  await using repo = await withRepo();
  const bin = join(repo.home, "bin");
  await Deno.mkdir(bin);
  await Deno.writeTextFile(join(bin, "claude"), '#!/bin/sh\necho "2.1.3 (Claude Code)"\n', {
    mode: 0o755,
  });
  const env = { PATH: `${bin}:${baseEnv(repo.home).PATH}` };
  const { report } = await doctorJson(repo, env);
  const claude = report.checks.find((c) => c.id === "claude")!;
  assertEquals(claude.status, "ok");
  assertStringIncludes(claude.message, "2.1.3 (Claude Code)");
  assertStringIncludes(claude.message, join(bin, "claude"));
  // A claude that hangs is given up on, as a warning, even when a child of it holds the pipes.
  // Given up on, not waited out: doctor answers before the hung claude's sleep would end.
  await Deno.writeTextFile(join(bin, "claude"), "#!/bin/sh\nsleep 120\necho 9.9.9\n", {
    mode: 0o755,
  });
  const started = Date.now();
  const slow = await doctorJson(repo, env);
  assert(Date.now() - started < 120_000, "doctor waited for the hung claude to finish");
  const hung = slow.report.checks.find((c) => c.id === "claude")!;
  assertEquals(hung.status, "warn");
  assertStringIncludes(hung.message, "did not answer");
  assertEquals(slow.code, 0);
});

Deno.test("mpm doctor: hooks installed and wired pass; a settings entry removed by hand is not wired", async () => {
  await using repo = await withRepo();
  const install = await repo.run("hooks", "install");
  assertEquals(install.code, 0, install.stderr);
  const settings = join(repo.path, ".claude/settings.local.json");
  // With mpm nowhere the hooks look (not on PATH, not in ~/.local/bin, no MPM_BIN): not well.
  const lost = await doctorJson(repo);
  assertEquals(lost.code, 1);
  const [notFound] = failures(lost.report);
  assertEquals(notFound.id, "mpm-path", JSON.stringify(lost.report.checks));
  assertStringIncludes(notFound.fix!, "MPM_BIN");
  const env = { MPM_BIN: await writeMpmProgram(join(repo.home, "..", "mpm")) };
  const wired = await doctorJson(repo, env);
  assertEquals(wired.code, 0, JSON.stringify(failures(wired.report)));
  assertEquals(
    wired.report.checks.find((c) => c.id === "statusline")?.message,
    "Status line (from .claude/settings.local.json): mpm's.",
  );
  const hooks = wired.report.checks.find((c) => c.id === "hooks")!;
  assertEquals(hooks.status, "ok");
  assertStringIncludes(hooks.message, ".claude/settings.local.json");

  // A script the user edited is noted, not failed: mpm leaves it be.
  const script = join(repo.path, ".claude-mpm/hooks/post-session.sh");
  await Deno.writeTextFile(script, "echo changed\n", { append: true });
  const edited = await doctorJson(repo, env);
  assertEquals(edited.code, 0);
  const noted = edited.report.checks.filter((c) => c.id === "hooks" && c.status === "info");
  assertEquals(noted.length, 1, JSON.stringify(edited.report.checks));
  assertStringIncludes(noted[0].message, "post-session.sh differs from the shipped script");

  const data = JSON.parse(await Deno.readTextFile(settings));
  delete data.hooks.Stop;
  await Deno.writeTextFile(settings, JSON.stringify(data, null, 2));
  const result = await repo.run("doctor");
  assertEquals(result.code, 1);
  assertMatch(
    result.stdout,
    /✗ \.claude-mpm\/hooks\/checkpoint\.sh is installed but no settings file runs it on Stop/,
  );
  assertStringIncludes(result.stdout, "fix: mpm hooks install");

  // The other way round: the settings still run a script that is gone.
  await Deno.remove(join(repo.path, ".claude-mpm/hooks/on-error.sh"));
  const { report } = await doctorJson(repo);
  const missing = failures(report).find((c) => c.message.includes("on-error.sh is missing"));
  assert(missing, JSON.stringify(report.checks));
  assertStringIncludes(missing.message, ".claude/settings.local.json still runs it");
});

Deno.test("mpm doctor: with mpm's plugin on, the hooks come from it; hooks installed too are a warning", async () => {
  await using repo = await withRepo();
  await enablePlugin(repo);
  const viaPlugin = await doctorJson(repo);
  assertEquals(viaPlugin.code, 0, JSON.stringify(failures(viaPlugin.report)));
  const plugin = viaPlugin.report.checks.filter((c) => c.id === "plugin");
  assertEquals(plugin.map((c) => [c.status, c.message]), [[
    "ok",
    "Claude Code hooks: from mpm's plugin mpm@mpm (enabled in ~/.claude/settings.json).",
  ]]);
  // The plugin's skills are installed skills.
  assertEquals(
    viaPlugin.report.checks.find((c) => c.id === "skills")?.message,
    "Claude Code skills (/mpm-pause, /mpm-resume…): from mpm's plugin (mpm@mpm).",
  );
  // No advice to install what the plugin already runs.
  const advice = viaPlugin.report.checks.filter((c) => c.fix?.includes("mpm hooks install"));
  assertEquals(advice, []);

  const installed = await repo.run("hooks", "install", "--with-plugin");
  assertEquals(installed.code, 0, installed.stderr);
  const both = await doctorJson(repo);
  const twice = both.report.checks.find((c) => c.id === "plugin" && c.status === "warn");
  assert(twice, JSON.stringify(both.report.checks));
  assertStringIncludes(twice.message, ".claude/settings.local.json also runs mpm's hooks");
  assertStringIncludes(twice.fix!, "mpm hooks uninstall");
});

Deno.test("mpm doctor: a settings file Claude Code cannot parse fails when mpm's hooks are in it, and warns when nothing of mpm's is", async () => {
  await using repo = await withRepo();
  await ok(repo, "hooks", "install");
  const local = join(repo.path, ".claude/settings.local.json");
  const text = await Deno.readTextFile(local);
  await Deno.writeTextFile(local, text.replace("{", "{\n  // mine"));
  // With the scripts gone too, nothing else says the hooks do not run.
  await Deno.remove(join(repo.path, ".claude-mpm/hooks"), { recursive: true });
  const broken = await doctorJson(repo);
  assertEquals(broken.code, 1, JSON.stringify(broken.report.checks));
  const [settings] = failures(broken.report);
  assertEquals(settings.id, "settings", JSON.stringify(broken.report.checks));
  assertStringIncludes(settings.message, ".claude/settings.local.json cannot be read");
  assertStringIncludes(settings.message, "mpm's hooks and status line in it do not run");
  assertStringIncludes(settings.fix!, "Fix .claude/settings.local.json by hand");

  await Deno.writeTextFile(local, '{\n  // mine\n  "model": "opus"\n}\n');
  const theirs = await doctorJson(repo);
  assertEquals(theirs.code, 0, JSON.stringify(failures(theirs.report)));
  const warned = theirs.report.checks.find((c) => c.id === "settings");
  assertEquals(warned?.status, "warn");
});
