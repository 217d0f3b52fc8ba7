/** hooks/install/store.ts and hooks/install/settings/settings_file.ts against real folders. */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { endRun, tempDir } from "../../helpers.ts";
import { ensureMachineKey, useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import {
  readInstallRecord,
  writeInstallRecord,
} from "../../../src/hooks/install/settings/install_record.ts";
import { listFiles } from "../hooks_helpers.ts";
import {
  readSettingsFile,
  shownPath,
  writeSettingsFile,
} from "../../../src/hooks/install/settings/settings_file.ts";
import { sha256Hex } from "../../../src/kernel/hashing/checksum.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import {
  installScripts,
  planScripts,
  projectScriptHome,
  readScriptStates,
} from "../../../src/hooks/install/store.ts";
import {
  claimAlert,
  clearAlerts,
  releaseAlert,
  writeResumeFile,
} from "../../../src/sessions/store/claude/records.ts";

const NOW = new Date("2025-10-20T14:30:22Z");

Deno.test("an alert is claimed once per Claude session and threshold, even by racing hooks", async () => {
  await using dir = await tempDir();
  const paths = projectPaths(dir.path);
  const claims = await Promise.all(
    Array.from({ length: 8 }, () => claimAlert(paths, "session-a", 70, NOW)),
  );
  assertEquals(claims.filter(Boolean).length, 1);
  assertEquals(await claimAlert(paths, "session-a", 85, NOW), true);
  assertEquals(await claimAlert(paths, "session-b", 70, NOW), true);
  await releaseAlert(paths, "session-a", 85);
  assertEquals(await claimAlert(paths, "session-a", 85, NOW), true);
  assertEquals(await clearAlerts(paths, "session-a"), 2);
  assertEquals(await claimAlert(paths, "session-a", 70, NOW), true);
  // An odd session id is hashed into a safe name, never a path.
  assertEquals(await claimAlert(paths, "../../x", 70, NOW), true);
  const markers = await listFiles(join(paths.base, "hooks-state"));
  assert(markers.every((name) => !name.includes("/") && !name.startsWith(".")), markers.join());
});

Deno.test("resume files never overwrite each other", async () => {
  await using dir = await tempDir();
  const paths = projectPaths(dir.path);
  const first = await writeResumeFile(paths, NOW, "one\n");
  const second = await writeResumeFile(paths, NOW, "two\n");
  assertEquals(
    [first, second].map((p) => p.slice(paths.sessions.length + 1)),
    ["session-resume-2025-10-20-143022.md", "session-resume-2025-10-20-143022-2.md"],
  );
  assertEquals(Deno.readTextFileSync(first), "one\n");
});

Deno.test("a script this machine's install wrote is updated; one the user edited is kept; a stranger's is replaced", async () => {
  await using dir = await tempDir();
  useMachineKeyFrom({ HOME: join(dir.path, "home") });
  try {
    const paths = projectPaths(dir.path);
    const home = projectScriptHome(paths);
    await installScripts(home, planScripts(await readScriptStates(home), false), NOW);
    // As an mpm this one does not know wrote it, by this machine's record (sealed).
    const older = "#!/bin/sh\n# mpm 0.0.1's checkpoint hook\n";
    Deno.writeTextFileSync(join(paths.hooks, "checkpoint.sh"), older);
    const record = await readInstallRecord(paths.hooks);
    record.scripts.checkpoint.sha256 = sha256Hex(older);
    delete record.scripts["post-session"];
    await writeInstallRecord(paths.hooks, record, paths.base);
    Deno.writeTextFileSync(join(paths.hooks, "on-error.sh"), "#!/bin/sh\n# mine\n");
    // Nothing on this machine recorded writing this one.
    Deno.writeTextFileSync(join(paths.hooks, "post-session.sh"), "#!/bin/sh\n# theirs\n");
    const plans = planScripts(await readScriptStates(home), false);
    assertEquals(plans.map((p) => [p.script, p.state, p.action]), [
      ["pre-session", "installed", "unchanged"],
      ["post-session", "foreign", "untrusted"],
      ["checkpoint", "outdated", "update"],
      ["on-error", "edited", "kept"],
    ]);
    const backups = await installScripts(home, plans, NOW);
    const after = await readScriptStates(home);
    assertEquals(after.map((s) => s.state), ["installed", "installed", "installed", "edited"]);
    // No backup for a script that was mpm's own; the stranger's is kept aside, not runnable.
    assertEquals(await listFiles(paths.backups), ["hooks/post-session-20251020-143022.sh"]);
    assertEquals(Deno.readTextFileSync(backups["post-session"]!), "#!/bin/sh\n# theirs\n");
    assertEquals(Deno.statSync(backups["post-session"]!).mode! & 0o777, 0o600);
    // Under another machine's key, the same record is no one's: the edit is a stranger's.
    useMachineKeyFrom({ HOME: join(dir.path, "other-home") });
    await ensureMachineKey();
    const elsewhere = await readScriptStates(home);
    assertEquals(elsewhere.map((s) => s.state), ["installed", "installed", "installed", "foreign"]);
  } finally {
    endRun();
  }
});

Deno.test("a settings file keeps its mode; the previous content is backed up", async () => {
  await using dir = await tempDir();
  const paths = projectPaths(dir.path);
  const path = join(dir.path, ".claude", "settings.json");
  Deno.mkdirSync(join(dir.path, ".claude"));
  Deno.writeTextFileSync(path, "{}\n");
  Deno.chmodSync(path, 0o644);
  const file = await readSettingsFile(path);
  const backup = await writeSettingsFile(file, '{ "a": 1 }\n', {
    paths,
    label: "project",
    now: NOW,
  });
  assertEquals(Deno.readTextFileSync(path), '{ "a": 1 }\n');
  assertEquals(Deno.statSync(path).mode! & 0o777, 0o644);
  assertEquals(backup, join(paths.backups, "settings", "project-20251020-143022.json"));
  assertEquals(Deno.readTextFileSync(backup!), "{}\n");
  // A new file has no backup.
  const fresh = await readSettingsFile(join(dir.path, ".claude", "settings.local.json"));
  assertEquals(fresh.text, undefined);
  assertEquals(await writeSettingsFile(fresh, "{}\n", { paths, label: "local", now: NOW }), null);
});

Deno.test("settings paths are shown relative to the project, else to ~, else in full", () => {
  const root = join(Deno.cwd(), "shop");
  const home = join(Deno.cwd(), "home");
  assertEquals(
    shownPath(join(root, ".claude", "settings.json"), root, home),
    join(".claude", "settings.json"),
  );
  assertEquals(
    shownPath(join(home, ".claude", "settings.json"), root, home),
    join("~", ".claude", "settings.json"),
  );
  assertEquals(shownPath(join(home, "x.json"), root, undefined), join(home, "x.json"));
  // A folder that only starts with the project's name is not inside it.
  const sibling = join(`${root}-old`, "x.json");
  assertEquals(shownPath(sibling, root, home), sibling);
});
