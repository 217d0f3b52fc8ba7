/**
 * `mpm hooks install --scope user` wires the user settings — which Claude Code runs in every
 * project — to scripts of the user's own (`~/.claude/mpm/hooks/`), never to a path inside the
 * project: a cloned repository that commits `.claude-mpm/hooks/pre-session.sh` must not have it
 * run. The user's folder follows the project folder's rules: 0700 scripts in 0700 folders, a
 * manifest, edited scripts kept, uninstall and doctor alike.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { exists, mpm, type Repo, runProcess, withRepo } from "../../helpers.ts";
import { fakeClaude, listFiles, payload } from "../hooks_helpers.ts";
import { MPM_HOOK_ENTRIES } from "../../../src/claude/settings/hooks/hook_entries.ts";

async function run(repo: Repo, ...args: string[]) {
  const bin = await fakeClaude(join(repo.home, ".."), "2.1.90");
  return await mpm(args, {
    cwd: repo.path,
    env: { HOME: repo.home, PATH: `${bin}:${Deno.env.get("PATH")}` },
  });
}

const userSettings = (repo: Repo) => join(repo.home, ".claude", "settings.json");
const userScripts = (repo: Repo) => join(repo.home, ".claude", "mpm", "hooks");

/** Every (event, command) the user settings hold. */
async function commands(repo: Repo): Promise<[string, string][]> {
  const settings = JSON.parse(await Deno.readTextFile(userSettings(repo)));
  return Object.entries(settings.hooks ?? {}).flatMap(([event, blocks]) =>
    (blocks as { hooks: { command: string }[] }[]).flatMap((b) =>
      b.hooks.map((h) => [event, h.command] as [string, string])
    )
  );
}

/** A cloned repository's own hook script: it leaves a mark when it runs. */
async function plantScript(repo: Repo): Promise<string> {
  const mark = join(repo.home, "project-script-ran");
  const dir = join(repo.path, ".claude-mpm", "hooks");
  await Deno.mkdir(dir, { recursive: true });
  for (const script of ["pre-session", "post-session", "checkpoint", "on-error"]) {
    await Deno.writeTextFile(join(dir, `${script}.sh`), `#!/bin/sh\ntouch '${mark}'\n`);
    await Deno.chmod(join(dir, `${script}.sh`), 0o755);
  }
  return mark;
}

/** Runs a settings command as Claude Code does: `sh -c`, in the project, with its variables. */
function runAsClaude(repo: Repo, command: string, stdin: string) {
  return runProcess("sh", ["-c", command], {
    cwd: repo.path,
    env: {
      HOME: repo.home,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      CLAUDE_PROJECT_DIR: repo.path,
      // No mpm is needed to show which script ran.
      MPM_BIN: "/bin/true",
    },
    stdin,
  });
}

Deno.test("--scope user wires the user's own scripts; a project's committed script never runs", async () => {
  await using repo = await withRepo();
  const mark = await plantScript(repo);
  const installed = await run(repo, "hooks", "install", "--scope", "user", "--no-statusline");
  assertEquals(installed.code, 0, installed.stderr);
  assertStringIncludes(installed.stdout, "Scripts (~/.claude/mpm/hooks/)");
  const wired = await commands(repo);
  assertEquals(
    [...new Set(wired.map(([event]) => event))].sort(),
    [...new Set(MPM_HOOK_ENTRIES.map((e) => e.event))].sort(),
  );
  for (const [event, command] of wired) {
    assert(!command.includes("CLAUDE_PROJECT_DIR"), `${event}: ${command}`);
    assert(!command.includes(".claude-mpm"), `${event}: ${command}`);
    assert(command.startsWith(`"$HOME"/.claude/mpm/hooks/`), `${event}: ${command}`);
  }
  // The scripts are the user's: 0700 in a 0700 folder, with a 0600 manifest.
  const files = await listFiles(userScripts(repo));
  assertEquals(files.sort(), [
    ".mpm-manifest.json",
    "checkpoint.sh",
    "on-error.sh",
    "post-session.sh",
    "pre-session.sh",
  ]);
  assertEquals((await Deno.stat(userScripts(repo))).mode! & 0o777, 0o700);
  assertEquals((await Deno.stat(join(userScripts(repo), "pre-session.sh"))).mode! & 0o777, 0o700);
  assertEquals(
    (await Deno.stat(join(userScripts(repo), ".mpm-manifest.json"))).mode! & 0o777,
    0o600,
  );

  // What Claude Code runs at SessionStart in this (cloned) project: the user's script only.
  const [, start] = wired.find(([event]) => event === "SessionStart")!;
  const ran = await runAsClaude(repo, start, payload("session-start-startup.json", repo));
  assertEquals(ran.code, 0, ran.stderr);
  assertEquals(await exists(mark), false, "the project's committed script ran");

  const listed = JSON.parse((await run(repo, "hooks", "list", "--json")).stdout);
  assertEquals(listed.user_scripts.map((s: { state: string }) => s.state), [
    "installed",
    "installed",
    "installed",
    "installed",
  ]);
  const user = listed.settings.find((s: { scope: string }) => s.scope === "user");
  assert(user.events.includes("SessionStart"), JSON.stringify(user));

  const doctor = JSON.parse((await run(repo, "doctor", "--json")).stdout);
  const hooks = doctor.checks.filter((c: { id: string }) => c.id === "hooks");
  assert(hooks.every((c: { status: string }) => c.status !== "fail"), JSON.stringify(hooks));
  assert(
    hooks.some((c: { message: string }) => c.message.includes("~/.claude/settings.json")),
    JSON.stringify(hooks),
  );
});

Deno.test("install --scope user keeps the person's own entries; uninstall takes out exactly mpm's", async () => {
  await using repo = await withRepo();
  await Deno.mkdir(join(repo.home, ".claude"), { recursive: true });
  const old = {
    theme: "dark",
    hooks: { Stop: [{ hooks: [{ type: "command", command: "my-own-stop-hook" }] }] },
  };
  await Deno.writeTextFile(userSettings(repo), JSON.stringify(old, null, 2) + "\n");
  const installed = await run(repo, "hooks", "install", "--scope", "user", "--no-statusline");
  assertEquals(installed.code, 0, installed.stderr);
  const wired = await commands(repo);
  assert(wired.every(([, c]) => !c.includes("CLAUDE_PROJECT_DIR")), JSON.stringify(wired));
  assert(wired.some(([event, c]) => event === "Stop" && c === "my-own-stop-hook"));
  assertEquals(JSON.parse(await Deno.readTextFile(userSettings(repo))).theme, "dark");
  const after = JSON.parse((await run(repo, "doctor", "--json")).stdout);
  assertEquals(
    after.checks.filter((c: { id: string; status: string }) =>
      c.id === "hooks" && c.status === "fail"
    ),
    [],
  );

  // Uninstall takes out exactly mpm's entries and the user's unedited scripts; an edited one stays.
  await Deno.writeTextFile(join(userScripts(repo), "on-error.sh"), "#!/bin/sh\n# mine\n");
  const removed = await run(repo, "hooks", "uninstall", "--scope", "user", "--json");
  assertEquals(removed.code, 0, removed.stderr);
  const report = JSON.parse(removed.stdout);
  assertEquals(report.scripts.kept, ["on-error.sh"]);
  assertEquals(report.scripts.removed.sort(), [
    "checkpoint.sh",
    "post-session.sh",
    "pre-session.sh",
  ]);
  assertEquals(await commands(repo), [["Stop", "my-own-stop-hook"]]);
  assertEquals((await listFiles(userScripts(repo))).sort(), [".mpm-manifest.json", "on-error.sh"]);
  assertEquals(await exists(join(repo.path, ".claude-mpm", "hooks")), false);
});

Deno.test("--scope user keeps its settings backups in ~/.claude/mpm/, makes no .claude-mpm/ where it runs, and uninstall takes away the folders install made", async () => {
  await using repo = await withRepo({ git: false });
  // A fresh home: install makes ~/.claude/ and ~/.claude/mpm/; uninstall leaves neither.
  const installed = await run(repo, "hooks", "install", "--scope", "user");
  assertEquals(installed.code, 0, installed.stderr);
  const removed = await run(repo, "hooks", "uninstall", "--scope", "user");
  assertEquals(removed.code, 0, removed.stderr);
  assertEquals(await exists(join(repo.home, ".claude")), false);
  assertEquals(await exists(join(repo.path, ".claude-mpm")), false);

  // Settings of the person's own: backed up beside the user's scripts, never where mpm ran.
  await Deno.mkdir(join(repo.home, ".claude"));
  await Deno.writeTextFile(userSettings(repo), '{"theme": "dark"}\n');
  const again = await run(repo, "hooks", "install", "--scope", "user");
  assertEquals(again.code, 0, again.stderr);
  assertStringIncludes(again.stdout, "backed up to ~/.claude/mpm/backups/settings/user-");
  const off = await run(repo, "hooks", "uninstall", "--scope", "user");
  assertEquals(off.code, 0, off.stderr);
  assertStringIncludes(off.stdout, "backed up to ~/.claude/mpm/backups/settings/user-");
  assertEquals(await exists(join(repo.path, ".claude-mpm")), false);
  assertEquals(
    (await listFiles(join(repo.home, ".claude", "mpm", "backups", "settings"))).length,
    2,
  );
  assertEquals(await exists(userScripts(repo)), false);
  assertEquals(JSON.parse(await Deno.readTextFile(userSettings(repo))), { theme: "dark" });
});
