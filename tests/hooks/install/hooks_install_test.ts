/** `mpm hooks install | uninstall | list | show` against real settings files in temp repos. */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../assert.ts";
import { mpm, type Repo, ROOT, withRepo } from "../../helpers.ts";
import { fakeClaude, FIXTURES, listFiles } from "../hooks_helpers.ts";
import { hookCommand } from "../../../src/claude/settings/hooks/hook_entries.ts";
import { MPM_STATUS_LINE } from "../../../src/claude/settings/status_line/status_line.ts";
import {
  readSettingsFile,
  writeSettingsFile,
} from "../../../src/hooks/install/settings/settings_file.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { READ_ONLY_RULES } from "../../../src/hooks/install/mcp_allow.ts";

const USER_HOOKS = Deno.readTextFileSync(
  join(FIXTURES, "settings", "settings.local.with-user-hooks.json"),
);
const INVALID = Deno.readTextFileSync(join(FIXTURES, "settings", "invalid-trailing-comma.json"));
const SCRIPTS = ["checkpoint.sh", "on-error.sh", "post-session.sh", "pre-session.sh"];
const LOCAL = ".claude/settings.local.json";

/** `mpm ARGS` in the repo, with a current Claude Code on PATH unless `claude` says otherwise. */
async function run(
  repo: Repo,
  args: string[],
  options: { claude?: string; env?: Record<string, string> } = {},
) {
  const bin = await fakeClaude(join(repo.home, ".."), options.claude ?? "2.1.90");
  return await mpm(args, {
    cwd: repo.path,
    env: { HOME: repo.home, PATH: `${bin}:${Deno.env.get("PATH")}`, ...options.env },
  });
}

function read(repo: Repo, file: string): string {
  return Deno.readTextFileSync(join(repo.path, file));
}

Deno.test("mpm hooks install keeps the user's hooks; again changes nothing; uninstall restores the file byte for byte", async () => {
  await using repo = await withRepo();
  await repo.write(LOCAL, USER_HOOKS);
  const first = await run(repo, ["hooks", "install"]);
  assertEquals(first.code, 0, first.stderr);
  const installed = read(repo, LOCAL);
  const settings = JSON.parse(installed);
  // The user's own entries are all still there, first, and untouched.
  // … and mpm's read-only MCP tools are allowed after the person's own rule.
  assertEquals(settings.permissions, { allow: ["Bash(npm test:*)", ...READ_ONLY_RULES] });
  assertEquals(settings.env, { FOO: "bar" });
  assertEquals(settings.hooks.PostToolUse, JSON.parse(USER_HOOKS).hooks.PostToolUse);
  assertEquals(settings.hooks.SessionStart[0], JSON.parse(USER_HOOKS).hooks.SessionStart[0]);
  assertEquals(settings.hooks.SessionStart[1], {
    matcher: "startup|resume|clear|compact|fork",
    hooks: [{
      type: "command",
      command: hookCommand("pre-session"),
      timeout: 10,
    }],
  });
  assertEquals(Object.keys(settings.hooks), [
    "PostToolUse",
    "SessionStart",
    "SessionEnd",
    "PreCompact",
    "Stop",
    "PostToolUseFailure",
    "StopFailure",
  ]);
  assertEquals(settings.hooks.PreCompact[0].matcher, "manual|auto");
  assertEquals(
    settings.hooks.Stop[0].hooks[0].command,
    hookCommand("checkpoint"),
  );
  // The previous file is kept as a backup.
  const backups = await listFiles(join(repo.path, ".claude-mpm", "backups", "settings"));
  assertEquals(backups.length, 1);
  assertMatch(backups[0], /^local-\d{8}-\d{6}\.json$/);
  assertEquals(read(repo, `.claude-mpm/backups/settings/${backups[0]}`), USER_HOOKS);
  assertStringIncludes(first.stdout, "Previous file backed up to .claude-mpm/backups/settings/");
  // Seven entries, six events: SessionEnd has two.
  assertStringIncludes(first.stdout, "7 entries added; 6 events now run mpm.");
  // And Claude Code's status line, which tells the Stop hook every model's window.
  assertEquals(settings.statusLine, { type: "command", command: MPM_STATUS_LINE });
  assertStringIncludes(first.stdout, "Status line: mpm's added");

  const second = await run(repo, ["hooks", "install"]);
  assertEquals(second.code, 0, second.stderr);
  assertEquals(read(repo, LOCAL), installed);
  assertStringIncludes(second.stdout, "already wired: no change.");
  assertEquals((await listFiles(join(repo.path, ".claude-mpm", "backups", "settings"))).length, 1);

  const removed = await run(repo, ["hooks", "uninstall"]);
  assertEquals(removed.code, 0, removed.stderr);
  assertEquals(read(repo, LOCAL), USER_HOOKS);
  // No other settings file runs them, so the (unedited) scripts go as well.
  assertEquals(await listFiles(join(repo.path, ".claude-mpm", "hooks")), []);
});

Deno.test("mpm hooks install writes the shipped scripts 0700, byte for byte, and keeps them out of git status", async () => {
  await using repo = await withRepo();
  const result = await run(repo, ["hooks", "install"]);
  assertEquals(result.code, 0, result.stderr);
  const dir = join(repo.path, ".claude-mpm", "hooks");
  assertEquals((await listFiles(dir)).filter((f) => f.endsWith(".sh")), SCRIPTS);
  for (const script of SCRIPTS) {
    assertEquals(
      Deno.readTextFileSync(join(dir, script)),
      Deno.readTextFileSync(join(ROOT, "hooks", script)),
    );
    assertEquals(Deno.statSync(join(dir, script)).mode! & 0o777, 0o700);
  }
  assertEquals(Deno.statSync(dir).mode! & 0o777, 0o700);
  const status = await repo.git("status", "--porcelain");
  assert(!status.includes(".claude-mpm"), status);
  // A new settings file is plain 2-space JSON naming every event.
  const text = read(repo, LOCAL);
  assertEquals(text, JSON.stringify(JSON.parse(text), null, 2) + "\n");
  assertEquals(Object.keys(JSON.parse(text).hooks).length, 6);
});

Deno.test("mpm hooks install refuses a settings file that is not valid JSON, with line and column, and writes nothing", async () => {
  await using repo = await withRepo();
  await repo.write(LOCAL, INVALID);
  const result = await run(repo, ["hooks", "install"]);
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assertMatch(result.stderr, /\.claude\/settings\.local\.json.*line 3, column \d+/);
  assertStringIncludes(result.stderr, "Nothing was written");
  assertEquals(read(repo, LOCAL), INVALID);
  assertEquals(await listFiles(join(repo.path, ".claude-mpm")), []);
});

Deno.test("mpm hooks install --dry-run prints the diff and writes nothing", async () => {
  await using repo = await withRepo();
  await repo.write(LOCAL, USER_HOOKS);
  const result = await run(repo, ["hooks", "install", "--dry-run"]);
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stdout, "Dry run: nothing was written.");
  assertStringIncludes(result.stdout, `--- a/${LOCAL}\n+++ b/${LOCAL}\n`);
  assertStringIncludes(
    result.stdout,
    `+            "command": ${JSON.stringify(hookCommand("post-session"))},`,
  );
  assertStringIncludes(result.stdout, "pre-session.sh   would be written");
  assertEquals(read(repo, LOCAL), USER_HOOKS);
  assertEquals(await listFiles(join(repo.path, ".claude-mpm")), []);
});

Deno.test("mpm hooks install keeps a script the user edited unless --force, which backs it up", async () => {
  await using repo = await withRepo();
  assertEquals((await run(repo, ["hooks", "install"])).code, 0);
  const script = join(repo.path, ".claude-mpm", "hooks", "pre-session.sh");
  const edited = Deno.readTextFileSync(script).replace("  :\n", "  git pull --ff-only\n  :\n");
  Deno.writeTextFileSync(script, edited);

  const kept = await run(repo, ["hooks", "install"]);
  assertEquals(kept.code, 0, kept.stderr);
  assertMatch(kept.stdout, /pre-session\.sh +kept: you edited it/);
  assertMatch(kept.stdout, /post-session\.sh +up to date/);
  assertEquals(Deno.readTextFileSync(script), edited);
  const listed = await run(repo, ["hooks", "list", "--json"]);
  const states = JSON.parse(listed.stdout).scripts.map((s: { state: string }) => s.state);
  assertEquals(states, ["edited", "installed", "installed", "installed"]);

  const forced = await run(repo, ["hooks", "install", "--force"]);
  assertEquals(forced.code, 0, forced.stderr);
  assertMatch(forced.stdout, /pre-session\.sh +replaced/);
  assertEquals(
    Deno.readTextFileSync(script),
    Deno.readTextFileSync(join(ROOT, "hooks", "pre-session.sh")),
  );
  const backups = await listFiles(join(repo.path, ".claude-mpm", "backups", "hooks"));
  assertEquals(backups.length, 1);
  assertMatch(backups[0], /^pre-session-\d{8}-\d{6}\.sh$/);
  assertEquals(read(repo, `.claude-mpm/backups/hooks/${backups[0]}`), edited);

  // Uninstall leaves an edited script where it is.
  Deno.writeTextFileSync(script, edited);
  const removed = await run(repo, ["hooks", "uninstall"]);
  assertEquals(removed.code, 0, removed.stderr);
  assertStringIncludes(removed.stdout, "Kept pre-session.sh: you edited");
  assertEquals(
    (await listFiles(join(repo.path, ".claude-mpm", "hooks"))).filter((f) => f.endsWith(".sh")),
    ["pre-session.sh"],
  );
});

Deno.test("mpm hooks install leaves out events an older Claude Code does not know, and says so", async () => {
  await using repo = await withRepo();
  // An earlier install under a newer Claude Code wired every event.
  assertEquals((await run(repo, ["hooks", "install"])).code, 0);
  const result = await run(repo, ["hooks", "install"], { claude: "1.0.80" });
  assertEquals(result.code, 0, result.stderr);
  assertMatch(
    result.stdout,
    /Claude Code 1\.0\.80 does not know SessionEnd \(1\.0\.85\), PostToolUseFailure \(2\.1\.0\), StopFailure \(2\.1\.78\)/,
  );
  const hooks = JSON.parse(read(repo, LOCAL)).hooks;
  assertEquals(Object.keys(hooks), ["SessionStart", "PreCompact", "Stop"]);

  const mid = await run(repo, ["hooks", "install"], { claude: "2.1.5" });
  assertEquals(Object.keys(JSON.parse(read(repo, LOCAL)).hooks), [
    "SessionStart",
    "PreCompact",
    "Stop",
    "SessionEnd",
    "PostToolUseFailure",
  ]);
  assertMatch(mid.stdout, /does not know StopFailure \(2\.1\.78\)/);
});

Deno.test("mpm hooks install --scope project and --scope user write their own settings files", async () => {
  await using repo = await withRepo();
  const project = await run(repo, ["hooks", "install", "--scope", "project"]);
  assertEquals(project.code, 0, project.stderr);
  assert(JSON.parse(read(repo, ".claude/settings.json")).hooks.SessionEnd);
  assertStringIncludes(project.stdout, "each teammate runs `mpm hooks install`");

  const user = await run(repo, ["hooks", "install", "--scope", "user"]);
  assertEquals(user.code, 0, user.stderr);
  assert(JSON.parse(Deno.readTextFileSync(join(repo.home, ".claude", "settings.json"))).hooks.Stop);
  assertStringIncludes(user.stdout, "run these hooks in every project, from ~/.claude/mpm/hooks/");

  const config = join(repo.home, "claude-config");
  const custom = await run(repo, ["hooks", "install", "--scope", "user"], {
    env: { CLAUDE_CONFIG_DIR: config },
  });
  assertEquals(custom.code, 0, custom.stderr);
  assert(JSON.parse(Deno.readTextFileSync(join(config, "settings.json"))).hooks.PreCompact);

  // Uninstalling one scope keeps the scripts the others still run; the user settings run the
  // user's own, not the project's.
  assertEquals((await run(repo, ["hooks", "install"])).code, 0);
  const removed = await run(repo, ["hooks", "uninstall", "--scope", "project"]);
  assertEquals(removed.code, 0, removed.stderr);
  assertStringIncludes(removed.stdout, "The scripts stay: the local settings still run them.");
  // The file install created goes with what install put in it; .claude/ holds the local one.
  assertEquals(await listFiles(join(repo.path, ".claude")), ["settings.local.json"]);
  assertEquals((await listFiles(join(repo.path, ".claude-mpm", "hooks"))).length, 5);

  const bad = await run(repo, ["hooks", "install", "--scope", "team"]);
  assertEquals(bad.code, 2);
});

Deno.test("mpm hooks install follows a symlinked settings file inside the project and keeps the link", async () => {
  await using repo = await withRepo();
  // One leading out of the project is refused (trust/hooks_borrowed_test.ts); at the user scope, a
  // dotfiles link is followed wherever it leads.
  const target = join(repo.path, "config", "claude-settings.json");
  Deno.mkdirSync(join(repo.path, "config"));
  Deno.writeTextFileSync(target, USER_HOOKS);
  Deno.mkdirSync(join(repo.path, ".claude"));
  Deno.symlinkSync(target, join(repo.path, LOCAL));
  const result = await run(repo, ["hooks", "install"]);
  assertEquals(result.code, 0, result.stderr);
  assert(Deno.lstatSync(join(repo.path, LOCAL)).isSymlink);
  assert(JSON.parse(Deno.readTextFileSync(target)).hooks.SessionEnd);
});

Deno.test("mpm hooks show prints the shipped script; list says what is installed and wired", async () => {
  await using repo = await withRepo();
  const shown = await run(repo, ["hooks", "show", "on-error"]);
  assertEquals(shown.code, 0);
  assertEquals(shown.stdout, Deno.readTextFileSync(join(ROOT, "hooks", "on-error.sh")));
  assertEquals((await run(repo, ["hooks", "show", "checkpoint.sh"])).code, 0);
  const unknown = await run(repo, ["hooks", "show", "nope"]);
  assertEquals(unknown.code, 2);
  assertStringIncludes(unknown.stderr, "pre-session, post-session, checkpoint, on-error");

  const before = await run(repo, ["hooks", "list"]);
  assertStringIncludes(before.stdout, "not installed");
  assertStringIncludes(before.stdout, "Install them for Claude Code with `mpm hooks install`");
  await run(repo, ["hooks", "install"]);
  const after = JSON.parse((await run(repo, ["hooks", "list", "--json"])).stdout);
  assertEquals(after.scripts.map((s: { name: string }) => s.name), [
    "pre-session",
    "post-session",
    "checkpoint",
    "on-error",
  ]);
  assertEquals(after.scripts[1].events, [
    "SessionEnd (clear|resume)",
    "SessionEnd (any other reason, in the background)",
  ]);
  assertEquals(after.settings[0].scope, "local");
  // Each event once, though SessionEnd has two entries.
  assertEquals(after.settings[0].events, [
    "SessionStart",
    "SessionEnd",
    "PreCompact",
    "Stop",
    "PostToolUseFailure",
    "StopFailure",
  ]);
  assertEquals(after.settings[1].exists, false);
  const listed = (await run(repo, ["hooks", "list"])).stdout;
  assertStringIncludes(listed, "SessionEnd (clear|resume); SessionEnd (any other reason, in the");
  assertStringIncludes(
    listed,
    ".claude/settings.local.json: 6 of 6 events (SessionStart, SessionEnd, PreCompact",
  );
});

Deno.test("a settings.local.json that mpm creates is kept out of git status, like Claude Code's own", async () => {
  await using repo = await withRepo();
  const result = await run(repo, ["hooks", "install"]);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(await repo.git("status", "--porcelain"), "");
  assertStringIncludes(read(repo, ".git/info/exclude"), "/.claude/settings.local.json");
  // A shared settings file (scope project) is meant for git, and shows up.
  const shared = await run(repo, ["hooks", "install", "--scope", "project"]);
  assertEquals(shared.code, 0, shared.stderr);
  assertEquals(
    (await repo.git("status", "--porcelain", "-uall")).trim(),
    "?? .claude/settings.json",
  );
});

Deno.test("mpm hooks install edits ~/.claude.json inside Claude Code's lock; a held one is said, a stale one taken", async () => {
  await using repo = await withRepo();
  const lock = join(repo.home, ".claude.json.lock");
  // Claude Code is writing the file (its lock folder is fresh): the server is not registered
  // now, the rest is installed, and the lock is Claude Code's to let go.
  await Deno.mkdir(lock);
  const held = await run(repo, ["hooks", "install"]);
  assertEquals(held.code, 0, held.stderr);
  assertStringIncludes(
    held.stdout,
    "MCP server: not registered: ~/.claude.json is locked by another program",
  );
  assertStringIncludes(held.stdout, "Run `mpm hooks install` again to register it.");
  assert((await Deno.lstat(lock)).isDirectory);
  assertEquals(await Deno.lstat(join(repo.home, ".claude.json")).catch(() => null), null);
  // Left behind by a Claude Code that ended mid-write: taken over, the file written, let go.
  const old = new Date(Date.now() - 60_000);
  await Deno.utime(lock, old, old);
  const again = await run(repo, ["hooks", "install"]);
  assertStringIncludes(again.stdout, 'MCP server: "mpm" (`mpm mcp`) registered in ~/.claude.json');
  assertEquals(await Deno.lstat(lock).catch(() => null), null);
});

Deno.test("a settings file Claude Code changed after mpm read it is not overwritten, and nothing is backed up", async () => {
  await using repo = await withRepo();
  await repo.write(LOCAL, USER_HOOKS);
  const path = join(repo.path, LOCAL);
  const before = await readSettingsFile(path);
  // Meanwhile Claude Code allows a command for good, writing the file whole.
  const theirs = USER_HOOKS.replace("{", '{\n  "permissions": { "allow": ["Bash(npm test)"] },');
  await Deno.writeTextFile(path, theirs);
  const backup = { paths: projectPaths(repo.path), label: "local", now: new Date() };
  const refused = await writeSettingsFile(before, "{}\n", backup).then(() => null, (e) => e);
  assert(refused instanceof Error);
  assertStringIncludes(refused.message, `${path} changed while mpm edited it`);
  assertEquals(read(repo, LOCAL), theirs);
  assertEquals(await listFiles(join(repo.path, ".claude-mpm")), []);
  assertEquals((await Array.fromAsync(Deno.readDir(join(repo.path, ".claude")))).length, 1);
  // Read again, it is written.
  await writeSettingsFile(await readSettingsFile(path), "{}\n", backup);
  assertEquals(read(repo, LOCAL), "{}\n");
});
