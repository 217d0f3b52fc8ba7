/**
 * `mpm skills install | uninstall | list` and `mpm plugin export`, run as a user would, in temp
 * projects with a temp HOME: what lands on disk, what is left alone, and what a dry run writes
 * (nothing).
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { exists, mpm, tempDir, withRepo } from "../helpers.ts";

const NAMES = [
  "mpm-branch",
  "mpm-checkpoint",
  "mpm-handoff",
  "mpm-pause",
  "mpm-resume",
  "mpm-return",
  "mpm-session-pause",
  "mpm-session-resume",
  "mpm-status",
];
const IS_WINDOWS = Deno.build.os === "windows";

async function entries(dir: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

function mode(path: string): number {
  return (Deno.statSync(path).mode ?? 0) & 0o777;
}

Deno.test("skills install writes every skill and a manifest; again, it changes nothing", async () => {
  await using repo = await withRepo();
  const dir = join(repo.path, ".claude", "skills");
  const first = await repo.run("skills", "install");
  assertEquals(first.code, 0, first.stderr);
  assertStringIncludes(first.stdout, "mpm-pause           written");
  assertEquals(await entries(dir), [".mpm-manifest.json", ...NAMES]);
  const shown = await repo.run("skills", "show", "mpm-pause");
  assertEquals(await Deno.readTextFile(join(dir, "mpm-pause", "SKILL.md")), shown.stdout);
  const manifest = JSON.parse(await Deno.readTextFile(join(dir, ".mpm-manifest.json")));
  assertEquals(Object.keys(manifest.skills).sort(), NAMES);
  if (!IS_WINDOWS) {
    assertEquals(mode(join(dir, "mpm-pause", "SKILL.md")), 0o600);
    assertEquals(mode(join(dir, "mpm-pause")), 0o700);
  }
  const before = await Deno.readTextFile(join(dir, ".mpm-manifest.json"));
  const again = await repo.run("skills", "install", "--json");
  assertEquals(again.code, 0, again.stderr);
  const report = JSON.parse(again.stdout);
  assertEquals(report.changed, false);
  assert(report.skills.every((s: { action: string }) => s.action === "unchanged"));
  assertEquals(await Deno.readTextFile(join(dir, ".mpm-manifest.json")), before);
});

Deno.test("skills install --dry-run and uninstall --dry-run write nothing", async () => {
  await using repo = await withRepo();
  const dry = await repo.run("skills", "install", "--dry-run");
  assertEquals(dry.code, 0, dry.stderr);
  assertStringIncludes(dry.stdout, "Dry run: nothing was written.");
  assertStringIncludes(dry.stdout, "mpm-pause           would be written");
  assertEquals(await entries(repo.path), [".git", "README.md"]);

  await repo.run("skills", "install");
  const dir = join(repo.path, ".claude", "skills");
  const dryUninstall = await repo.run("skills", "uninstall", "--dry-run");
  assertEquals(dryUninstall.code, 0, dryUninstall.stderr);
  assertStringIncludes(dryUninstall.stdout, "mpm-status          would be removed");
  assertEquals(await entries(dir), [".mpm-manifest.json", ...NAMES]);
});

Deno.test("uninstall leaves the user's own skill and an edited mpm skill untouched", async (t) => {
  await using repo = await withRepo();
  const dir = join(repo.path, ".claude", "skills");
  const own = "---\nname: deploy\ndescription: Ship it.\n---\nRun the deploy.\n";
  await repo.write(".claude/skills/deploy/SKILL.md", own);
  await repo.run("skills", "install");
  const edited = (await Deno.readTextFile(join(dir, "mpm-pause", "SKILL.md"))) +
    "\nAlways add the ticket number to the summary.\n";
  await Deno.writeTextFile(join(dir, "mpm-pause", "SKILL.md"), edited);
  await repo.write(".claude/skills/mpm-status/notes.txt", "my notes\n");

  await t.step("install keeps the edit", async () => {
    const out = await repo.run("skills", "install");
    assertStringIncludes(out.stdout, "mpm-pause           kept: you edited it");
    assertEquals(await Deno.readTextFile(join(dir, "mpm-pause", "SKILL.md")), edited);
  });

  await t.step("uninstall removes only what mpm wrote and nobody changed", async () => {
    const out = await repo.run("skills", "uninstall");
    assertEquals(out.code, 0, out.stderr);
    assertStringIncludes(out.stdout, "mpm-pause           kept: you edited it; delete it by hand");
    assertStringIncludes(out.stdout, "mpm-resume          removed");
    // Another tool's or the user's skill is not even mentioned.
    assert(!out.stdout.includes("deploy"));
    assertEquals(await entries(dir), [".mpm-manifest.json", "deploy", "mpm-pause", "mpm-status"]);
    assertEquals(await Deno.readTextFile(join(dir, "deploy", "SKILL.md")), own);
    assertEquals(await Deno.readTextFile(join(dir, "mpm-pause", "SKILL.md")), edited);
    // The user's file in an mpm skill's folder keeps the folder; only SKILL.md went.
    assertEquals(await entries(join(dir, "mpm-status")), ["notes.txt"]);
    const manifest = JSON.parse(await Deno.readTextFile(join(dir, ".mpm-manifest.json")));
    assertEquals(Object.keys(manifest.skills), ["mpm-pause"]);
  });

  await t.step("install --force replaces the edit and keeps it as a backup", async () => {
    const out = await repo.run("skills", "install", "--force");
    assertEquals(out.code, 0, out.stderr);
    assertStringIncludes(out.stdout, "mpm-pause           replaced");
    const shipped = (await repo.run("skills", "show", "mpm-pause")).stdout;
    assertEquals(await Deno.readTextFile(join(dir, "mpm-pause", "SKILL.md")), shipped);
    const backups = (await entries(join(dir, "mpm-pause"))).filter((n) => n.endsWith(".bak"));
    assertEquals(backups.length, 1);
    assertEquals(await Deno.readTextFile(join(dir, "mpm-pause", backups[0])), edited);
  });
});

Deno.test("install keeps a skill of the same name that mpm never wrote (claude-mpm's)", async () => {
  await using repo = await withRepo();
  const old = "---\nname: mpm-session-pause\ndescription: claude-mpm's pause\n---\nPython.\n";
  await repo.write(".claude/skills/mpm-session-pause/SKILL.md", old);
  const out = await repo.run("skills", "install");
  assertStringIncludes(out.stdout, "mpm-session-pause   kept: not written by mpm");
  const uninstall = await repo.run("skills", "uninstall");
  assertStringIncludes(uninstall.stdout, "mpm-session-pause   kept: not written by mpm");
  const path = join(repo.path, ".claude", "skills", "mpm-session-pause", "SKILL.md");
  assertEquals(await Deno.readTextFile(path), old);
  // Everything mpm wrote is gone, manifest included.
  assertEquals(await entries(join(repo.path, ".claude", "skills")), ["mpm-session-pause"]);
});

Deno.test("--scope user installs under HOME (or CLAUDE_CONFIG_DIR), not in the project", async () => {
  await using repo = await withRepo();
  const out = await repo.run("skills", "install", "--scope", "user");
  assertEquals(out.code, 0, out.stderr);
  assertStringIncludes(out.stdout, "Skills (~/.claude/skills/):");
  assertEquals(await entries(join(repo.home, ".claude", "skills")), [
    ".mpm-manifest.json",
    ...NAMES,
  ]);
  assertEquals(await entries(join(repo.path, ".claude")), []);
  const list = JSON.parse((await repo.run("skills", "list", "--json")).stdout);
  const states = (scope: string) =>
    list.scopes.find((s: { scope: string }) => s.scope === scope).skills
      .map((s: { state: string }) => s.state);
  assert(states("user").every((s: string) => s === "current"));
  assert(states("project").every((s: string) => s === "missing"));
  assertEquals((await repo.run("skills", "uninstall", "--scope", "user")).code, 0);
  assertEquals(await entries(join(repo.home, ".claude", "skills")), []);

  const config = join(repo.home, "config");
  const custom = await mpm(["skills", "install", "--scope", "user"], {
    cwd: repo.path,
    env: { HOME: repo.home, CLAUDE_CONFIG_DIR: config },
  });
  assertEquals(custom.code, 0, custom.stderr);
  assertEquals((await entries(join(config, "skills"))).length, NAMES.length + 1);
});

Deno.test("uninstall takes away the skills folders install made, once empty, and never one the person had", async (t) => {
  await using repo = await withRepo();
  const claude = join(repo.home, ".claude");
  const user = (...args: string[]) => repo.run("skills", ...args, "--scope", "user");

  await t.step(
    "a fresh HOME: ~/.claude/skills/ and ~/.claude/ go, even installed twice",
    async () => {
      assertEquals((await user("install")).code, 0);
      assertEquals((await user("install")).code, 0);
      assertEquals((await user("uninstall")).code, 0);
      assertEquals(await exists(claude), false);
    },
  );

  await t.step(
    "~/.claude/ of the person's stays; the skills folder install made goes",
    async () => {
      await Deno.mkdir(claude);
      await Deno.writeTextFile(join(claude, "settings.json"), "{}\n");
      assertEquals((await user("install")).code, 0);
      assertEquals((await user("uninstall")).code, 0);
      assertEquals(await entries(claude), ["settings.json"]);
    },
  );

  await t.step("an empty skills folder the person had stays", async () => {
    await Deno.mkdir(join(claude, "skills"));
    assertEquals((await user("install")).code, 0);
    assertEquals((await user("uninstall")).code, 0);
    assertEquals(await entries(claude), ["settings.json", "skills"]);
    assertEquals(await entries(join(claude, "skills")), []);
  });

  await t.step("a skill of the person's keeps the folder install made", async () => {
    await Deno.remove(claude, { recursive: true });
    assertEquals((await user("install")).code, 0);
    await Deno.mkdir(join(claude, "skills", "deploy"));
    await Deno.writeTextFile(join(claude, "skills", "deploy", "SKILL.md"), "mine\n");
    assertEquals((await user("uninstall")).code, 0);
    assertEquals(await entries(join(claude, "skills")), ["deploy"]);
  });

  await t.step("the project: .claude/skills/ and .claude/ go when install made them", async () => {
    assertEquals((await repo.run("skills", "install")).code, 0);
    assertEquals((await repo.run("skills", "uninstall")).code, 0);
    assertEquals(await exists(join(repo.path, ".claude")), false);
  });
});

Deno.test("hooks and skills installed and uninstalled in any order leave no .claude/ that mpm made", async (t) => {
  const orders = [
    [["hooks", "skills"], ["hooks", "skills"]],
    [["hooks", "skills"], ["skills", "hooks"]],
    [["skills", "hooks"], ["hooks", "skills"]],
    [["skills", "hooks"], ["skills", "hooks"]],
  ];
  for (const scope of ["project", "user"]) {
    for (const [installs, uninstalls] of orders) {
      await t.step(`${scope}: install ${installs}, uninstall ${uninstalls}`, async () => {
        await using repo = await withRepo();
        const claude = scope === "user" ? join(repo.home, ".claude") : join(repo.path, ".claude");
        const hooksScope = scope === "user" ? "user" : "local";
        const run = async (feature: string, verb: string) => {
          const out = await repo.run(
            feature,
            verb,
            "--scope",
            feature === "hooks" ? hooksScope : scope,
          );
          assertEquals(out.code, 0, out.stderr);
        };
        for (const feature of installs) await run(feature, "install");
        for (const feature of uninstalls) await run(feature, "uninstall");
        assertEquals(await entries(claude), []);
        assertEquals(await exists(claude), false);
      });
    }
  }
});

Deno.test("uninstall where no skill of mpm's is installed says so, and claims nothing removed", async () => {
  await using repo = await withRepo();
  const out = await repo.run("skills", "uninstall");
  assertEquals(out.code, 0, out.stderr);
  assertEquals(out.stdout.split("\n")[0], "No mpm skills to remove (scope: project).");
  assert(!out.stdout.includes("removed"), out.stdout);
  assertEquals(await exists(join(repo.path, ".claude")), false);
});

Deno.test({
  name: "install refuses to write through a skill folder that links out of the skills folder",
  ignore: IS_WINDOWS,
  fn: async () => {
    await using repo = await withRepo();
    await using outside = await tempDir();
    await Deno.mkdir(join(repo.path, ".claude", "skills"), { recursive: true });
    await Deno.symlink(outside.path, join(repo.path, ".claude", "skills", "mpm-pause"));
    const out = await repo.run("skills", "install");
    assertEquals(out.code, 1);
    assertStringIncludes(out.stderr, "Refusing to write .claude/skills/mpm-pause/SKILL.md");
    assertEquals(await entries(outside.path), []);
  },
});

Deno.test({
  name: "install --force refuses a committed skill folder link before it writes any skill",
  ignore: IS_WINDOWS,
  fn: async () => {
    await using repo = await withRepo();
    await using outside = await tempDir();
    const dir = join(repo.path, ".claude", "skills");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.symlink(outside.path, join(dir, "mpm-status"));
    await repo.commit("the clone's link");
    const out = await repo.run("skills", "install", "--force");
    assertEquals(out.code, 1, out.stdout);
    assertStringIncludes(out.stderr, "Refusing to write .claude/skills/mpm-status/SKILL.md");
    assertStringIncludes(out.stderr, "that git tracks");
    assertEquals(await entries(dir), ["mpm-status"]);
    assertEquals(await entries(outside.path), []);
  },
});

Deno.test({
  name: "a linked .claude is refused naming a skill install would write",
  ignore: IS_WINDOWS,
  fn: async () => {
    await using repo = await withRepo();
    await using outside = await tempDir();
    await Deno.symlink(outside.path, join(repo.path, ".claude"));
    const out = await repo.run("skills", "install");
    assertEquals(out.code, 1, out.stdout);
    assertStringIncludes(out.stderr, "Refusing to write .claude/skills/mpm-pause/SKILL.md");
    assertEquals(await entries(outside.path), []);
  },
});

Deno.test({
  name: "uninstall --dry-run refuses a skill link out of the project as the real run does",
  ignore: IS_WINDOWS,
  fn: async () => {
    await using repo = await withRepo();
    assertEquals((await repo.run("skills", "install", "--scope", "user")).code, 0);
    assertEquals((await repo.run("skills", "install")).code, 0);
    await repo.commit("the team's skills");
    const own = join(repo.home, ".claude", "skills", "mpm-resume");
    const linked = join(repo.path, ".claude", "skills", "mpm-resume");
    await Deno.remove(linked, { recursive: true });
    await Deno.symlink(own, linked);
    const dry = await repo.run("skills", "uninstall", "--dry-run");
    const real = await repo.run("skills", "uninstall");
    for (const out of [dry, real]) {
      assertEquals(out.code, 1, out.stdout);
      assertStringIncludes(out.stderr, "Refusing to write .claude/skills/mpm-resume/SKILL.md");
    }
    assertEquals(dry.stderr, real.stderr);
    assert(await exists(join(own, "SKILL.md")), "the user's own skill was removed");
    assertEquals(await entries(join(repo.path, ".claude", "skills")), [
      ".mpm-manifest.json",
      ...NAMES,
    ]);
  },
});

Deno.test("--scope other than project or user is refused", async () => {
  await using repo = await withRepo();
  const out = await repo.run("skills", "install", "--scope", "local");
  assertEquals(out.code, 2);
  assertStringIncludes(out.stderr, "--scope must be project or user");
});

Deno.test("plugin export writes a plugin that is its own marketplace; refuses a foreign folder", async (t) => {
  await using repo = await withRepo();
  const dir = join(repo.path, "..", "plugin");

  await t.step("into a new folder", async () => {
    const out = await repo.run("plugin", "export", dir, "--json");
    assertEquals(out.code, 0, out.stderr);
    const report = JSON.parse(out.stdout);
    assertEquals(report.install, "mpm@mpm");
    const plugin = JSON.parse(await Deno.readTextFile(join(dir, ".claude-plugin", "plugin.json")));
    const version = (await repo.run("--version")).stdout;
    assertEquals(plugin.name, "mpm");
    assertStringIncludes(version, plugin.version);
    assertEquals(await entries(join(dir, "skills")), NAMES);
    assertEquals(await entries(join(dir, "hooks")), [
      "checkpoint.sh",
      "hooks.json",
      "on-error.sh",
      "post-session.sh",
      "pre-session.sh",
    ]);
    if (!IS_WINDOWS) assertEquals(mode(join(dir, "hooks", "pre-session.sh")), 0o700);
  });

  await t.step("over an earlier export, with another marketplace name", async () => {
    const out = await repo.run("plugin", "export", dir, "--marketplace", "acme-tools");
    assertEquals(out.code, 0, out.stderr);
    assertStringIncludes(out.stdout, "/plugin install mpm@acme-tools");
    const market = JSON.parse(
      await Deno.readTextFile(join(dir, ".claude-plugin", "marketplace.json")),
    );
    assertEquals(market.name, "acme-tools");
  });

  await t.step(
    "again: what it wrote and no longer ships goes; edited and foreign files stay",
    async () => {
      // As if an older mpm had shipped two more skills: the manifest records what it wrote.
      const manifestPath = join(dir, ".mpm-export.json");
      const manifest = JSON.parse(await Deno.readTextFile(manifestPath));
      assertEquals(manifest.files["skills/mpm-status/SKILL.md"].length, 64);
      const sha = async (text: string) =>
        Array.from(
          new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))),
        ).map((b) => b.toString(16).padStart(2, "0")).join("");
      const old = "---\nname: mpm-old\n---\nRetired.\n";
      await Deno.mkdir(join(dir, "skills", "mpm-old"));
      await Deno.writeTextFile(join(dir, "skills", "mpm-old", "SKILL.md"), old);
      await Deno.mkdir(join(dir, "skills", "mpm-edited"));
      await Deno.writeTextFile(join(dir, "skills", "mpm-edited", "SKILL.md"), "edited by hand\n");
      await Deno.mkdir(join(dir, "skills", "mine"));
      await Deno.writeTextFile(join(dir, "skills", "mine", "SKILL.md"), "the team's own\n");
      manifest.files["skills/mpm-old/SKILL.md"] = await sha(old);
      manifest.files["skills/mpm-edited/SKILL.md"] = await sha("as mpm wrote it\n");
      manifest.files["../outside.txt"] = await sha("x");
      await Deno.writeTextFile(join(dir, "..", "outside.txt"), "x");
      await Deno.writeTextFile(manifestPath, JSON.stringify(manifest));

      const out = await repo.run("plugin", "export", dir, "--json");
      assertEquals(out.code, 0, out.stderr);
      const report = JSON.parse(out.stdout);
      assertEquals(report.removed, ["skills/mpm-old/SKILL.md"]);
      assertEquals(report.kept, ["skills/mpm-edited/SKILL.md"]);
      assertEquals(await entries(join(dir, "skills")), [...NAMES, "mine", "mpm-edited"].sort());
      assertEquals(await Deno.readTextFile(join(dir, "..", "outside.txt")), "x");
      // The new manifest records only what this export wrote.
      const now = JSON.parse(await Deno.readTextFile(manifestPath));
      assertEquals(
        Object.keys(now.files).filter((f) => f.includes("mpm-old") || f.includes("mine")),
        [],
      );
    },
  );

  await t.step("not into a folder holding something else", async () => {
    const other = join(repo.path, "..", "other");
    await Deno.mkdir(other);
    await Deno.writeTextFile(join(other, "notes.txt"), "mine\n");
    const out = await repo.run("plugin", "export", other);
    assertEquals(out.code, 1);
    assertStringIncludes(out.stderr, "nothing was written");
    assertEquals(await entries(other), ["notes.txt"]);
    const bad = await repo.run("plugin", "export", dir, "--marketplace", "Acme Tools");
    assertEquals(bad.code, 2);
  });
});

Deno.test("doctor reports the skills: not installed, current, stale against this mpm", async () => {
  await using repo = await withRepo();
  const skillsCheck = async () => {
    const out = await repo.run("doctor", "--json");
    return JSON.parse(out.stdout).checks.filter((c: { id: string }) => c.id === "skills");
  };
  assertEquals((await skillsCheck()).map((c: { status: string }) => c.status), ["info"]);
  await repo.run("skills", "install");
  const [ok] = await skillsCheck();
  assertEquals(ok.status, "ok");
  assertStringIncludes(ok.message, `${NAMES.length} installed`);

  // What an older mpm wrote: another text, recorded in the manifest as mpm's.
  const dir = join(repo.path, ".claude", "skills");
  const older = "---\nname: mpm-status\ndescription: Old.\n---\nRun mpm status.\n";
  await Deno.writeTextFile(join(dir, "mpm-status", "SKILL.md"), older);
  const manifestPath = join(dir, ".mpm-manifest.json");
  const manifest = JSON.parse(await Deno.readTextFile(manifestPath));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(older));
  manifest.skills["mpm-status"].sha256 = Array.from(new Uint8Array(digest))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  await Deno.writeTextFile(manifestPath, JSON.stringify(manifest));
  const [stale] = await skillsCheck();
  assertEquals(stale.status, "warn");
  assertStringIncludes(stale.message, "mpm-status from an older mpm");
  assertEquals(stale.fix, "mpm skills install");
  const fixed = await repo.run("skills", "install");
  assertStringIncludes(fixed.stdout, "mpm-status          updated to this mpm's version");
  assertEquals((await skillsCheck())[0].status, "ok");
});
