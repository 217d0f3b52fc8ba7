/**
 * Whose hook scripts are whose: a script in `.claude-mpm/hooks/` is the person's edit only when
 * this machine's `mpm hooks install` recorded writing it there (a record sealed with the machine
 * key). A repository that commits its own scripts — or another machine's install, record and
 * all — gets them replaced by mpm's own (the repository's kept as a backup), never wired in as
 * "your edited scripts", and never run by doctor. And what install created, uninstall removes.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../assert.ts";
import { exists, mpm, type Repo, ROOT, withClones, withRepo } from "../../helpers.ts";
import { fakeClaude, listFiles } from "../hooks_helpers.ts";
import { hookCommand, MPM_HOOK_ENTRIES } from "../../../src/claude/settings/hooks/hook_entries.ts";
import { sha256Hex } from "../../../src/kernel/hashing/checksum.ts";

const HOOKS = ".claude-mpm/hooks";
const SHIPPED_PRE = Deno.readTextFileSync(join(ROOT, "hooks", "pre-session.sh"));

async function run(repo: Repo, ...args: string[]) {
  const bin = await fakeClaude(join(repo.home, ".."), "2.1.90");
  return await mpm(args, {
    cwd: repo.path,
    env: { HOME: repo.home, PATH: `${bin}:${Deno.env.get("PATH")}` },
  });
}

/** A hook script that leaves a mark in `mark` when anything runs it. */
function marking(mark: string): string {
  return `#!/bin/sh\n# a repository's own hook\ntouch '${mark}'\ncat >/dev/null\n`;
}

Deno.test("a clone's committed hook scripts are replaced, kept as backups, and said to be untrusted", async (t) => {
  await using clones = await withClones();
  const { a, b } = clones;
  const mark = join(b.home, "repository-script-ran");

  await t.step(
    "A installs, edits, and commits .claude-mpm/hooks/ with its own record",
    async () => {
      assertEquals((await run(a, "hooks", "install")).code, 0);
      // A's edit is A's: this machine's install recorded the script it changed.
      await a.write(`${HOOKS}/pre-session.sh`, marking(mark));
      await a.write(`${HOOKS}/checkpoint.sh`, marking(mark));
      const kept = await run(a, "hooks", "install");
      assertMatch(kept.stdout, /pre-session\.sh +kept: you edited it/);
      await a.git("add", "-f", HOOKS);
      await a.git("commit", "-q", "-m", "our hooks");
      await a.git("push", "-q", "origin", "main");
    },
  );

  await t.step("B's install does not take them for B's edits", async () => {
    await b.git("pull", "-q", "origin", "main");
    const installed = await run(b, "hooks", "install");
    assertEquals(installed.code, 0, installed.stderr);
    assertMatch(
      installed.stdout,
      /pre-session\.sh +replaced: not written by this machine's install/,
    );
    assertMatch(
      installed.stdout,
      /checkpoint\.sh +replaced: not written by this machine's install/,
    );
    assertStringIncludes(installed.stdout, "the repository's scripts were not trusted, never run");
    assert(!installed.stdout.includes("your edited scripts were kept"), installed.stdout);
    assertEquals(await b.read(`${HOOKS}/pre-session.sh`), SHIPPED_PRE);
    assertEquals((await Deno.stat(join(b.path, HOOKS, "pre-session.sh"))).mode! & 0o777, 0o700);
    // The repository's copies, kept where the report says, unable to run.
    const backups = await listFiles(join(b.path, ".claude-mpm", "backups", "hooks"));
    assertEquals(backups.map((f) => f.replace(/-\d{8}-\d{6}/, "")).sort(), [
      "checkpoint.sh",
      "pre-session.sh",
    ]);
    const backup = join(b.path, ".claude-mpm", "backups", "hooks", backups[1]);
    assertStringIncludes(installed.stdout, `→ .claude-mpm/backups/hooks/${backups[1]}`);
    assertEquals(await Deno.readTextFile(backup), marking(mark));
    assertEquals((await Deno.stat(backup)).mode! & 0o777, 0o600);
    const json = JSON.parse((await run(b, "hooks", "list", "--json")).stdout);
    assertEquals(json.scripts.map((s: { state: string }) => s.state), [
      "installed",
      "installed",
      "installed",
      "installed",
    ]);
    assertEquals(await exists(mark), false);
  });

  await t.step("B's own edit after B's install is B's, and kept", async () => {
    const edited = SHIPPED_PRE.replace("  :\n", "  git fetch -q\n  :\n");
    assert(edited !== SHIPPED_PRE);
    await b.write(`${HOOKS}/pre-session.sh`, edited);
    const again = await run(b, "hooks", "install");
    assertMatch(again.stdout, /pre-session\.sh +kept: you edited it/);
    assertEquals(await b.read(`${HOOKS}/pre-session.sh`), edited);
  });
});

Deno.test("a committed script is foreign even beside a committed manifest naming it; doctor never runs it", async () => {
  await using repo = await withRepo();
  const mark = join(repo.home, "repository-script-ran");
  // What a repository can commit: scripts, an unsealed manifest naming them, and project
  // settings that run them.
  const scripts: Record<string, string> = {};
  for (const script of ["pre-session", "post-session", "checkpoint", "on-error"]) {
    await repo.write(`${HOOKS}/${script}.sh`, marking(mark));
    await Deno.chmod(join(repo.path, HOOKS, `${script}.sh`), 0o755);
    scripts[script] = {
      sha256: sha256Hex(marking(mark)),
      installed_at: "2025-01-01T00:00:00Z",
    } as never;
  }
  await repo.write(`${HOOKS}/.mpm-manifest.json`, JSON.stringify({ schema_version: 1, scripts }));
  const hooks: Record<string, unknown[]> = {};
  for (const entry of MPM_HOOK_ENTRIES) {
    (hooks[entry.event] ??= []).push({
      ...(entry.matcher ? { matcher: entry.matcher } : {}),
      hooks: [{ type: "command", command: hookCommand(entry.script), timeout: 10 }],
    });
  }
  await repo.write(".claude/settings.json", JSON.stringify({ hooks }, null, 2));
  await repo.git("add", "-f", ".");
  await repo.git("commit", "-q", "-m", "a repository's hooks");

  const doctor = await run(repo, "doctor", "--json");
  assertEquals(await exists(mark), false, "doctor ran a script the repository brought");
  const checks = JSON.parse(doctor.stdout).checks as { id: string; message: string }[];
  assert(
    checks.some((c) =>
      c.id === "hooks" && c.message.includes("not written by mpm on this machine")
    ),
    JSON.stringify(checks),
  );
  const listed = JSON.parse((await run(repo, "hooks", "list", "--json")).stdout);
  assertEquals(listed.scripts.map((s: { state: string }) => s.state), [
    "foreign",
    "foreign",
    "foreign",
    "foreign",
  ]);
  const installed = await run(repo, "hooks", "install", "--json");
  assertEquals(installed.code, 0, installed.stderr);
  const report = JSON.parse(installed.stdout);
  assertEquals(report.scripts.map((s: { action: string }) => s.action), [
    "untrusted",
    "untrusted",
    "untrusted",
    "untrusted",
  ]);
  assert(report.scripts.every((s: { backup?: string }) => s.backup?.startsWith(".claude-mpm/")));
  assertEquals(await repo.read(`${HOOKS}/pre-session.sh`), SHIPPED_PRE);
  // The record install wrote is sealed: the repository's version of it is gone.
  const record = JSON.parse(await repo.read(`${HOOKS}/.mpm-manifest.json`));
  assertEquals(record.schema_version, 2);
  assertMatch(record.seal, /^[0-9a-f]{64}$/);
  await run(repo, "doctor", "--json");
  assertEquals(await exists(mark), false);
});

Deno.test("install then uninstall where there was no settings file leaves none, nor .claude/", async () => {
  await using repo = await withRepo();
  assertEquals((await run(repo, "hooks", "install")).code, 0);
  assert(await exists(join(repo.path, ".claude", "settings.local.json")));
  const removed = await run(repo, "hooks", "uninstall", "--json");
  assertEquals(removed.code, 0, removed.stderr);
  assertEquals(JSON.parse(removed.stdout).settings.removed, true);
  assertEquals(await exists(join(repo.path, ".claude")), false);
  assertEquals(await exists(join(repo.path, HOOKS)), false);
  assertEquals(await repo.git("status", "--porcelain", "--ignored"), "");

  // A .claude/ that was there stays; a file the person added to keeps what they added.
  await repo.write(".claude/commands/deploy.md", "Deploy.\n");
  assertEquals((await run(repo, "hooks", "install")).code, 0);
  const dry = await run(repo, "hooks", "uninstall", "--dry-run");
  assertStringIncludes(dry.stdout, ".claude/settings.local.json would be removed");
  assertEquals((await run(repo, "hooks", "uninstall")).code, 0);
  assertEquals(await listFiles(join(repo.path, ".claude")), ["commands/deploy.md"]);

  assertEquals((await run(repo, "hooks", "install")).code, 0);
  const local = join(repo.path, ".claude", "settings.local.json");
  const settings = JSON.parse(await Deno.readTextFile(local));
  await Deno.writeTextFile(local, JSON.stringify({ ...settings, model: "opus" }, null, 2));
  const kept = await run(repo, "hooks", "uninstall", "--json");
  assertEquals(JSON.parse(kept.stdout).settings.removed, false);
  assertEquals(JSON.parse(await Deno.readTextFile(local)), { model: "opus" });
});

Deno.test("the user settings file that install created goes at uninstall, and so do the folders install made", async () => {
  await using repo = await withRepo();
  const settings = join(repo.home, ".claude", "settings.json");
  const installed = await run(repo, "hooks", "install", "--scope", "user");
  assertEquals(installed.code, 0, installed.stderr);
  assert(await exists(settings));
  const removed = await run(repo, "hooks", "uninstall", "--scope", "user");
  assertEquals(removed.code, 0, removed.stderr);
  assertEquals(await exists(settings), false);
  assertEquals(await exists(join(repo.home, ".claude", "mpm", "hooks")), false);
  // Install made ~/.claude/ and ~/.claude/mpm/ too: empty once the scripts are gone, they go.
  assertEquals(await exists(join(repo.home, ".claude")), false);
});
