import { assertEquals } from "../../tests/assert.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import {
  backupFileName,
  emptyManifest,
  parseManifest,
  planChanges,
  planInstall,
  plannedFiles,
  planUninstall,
  serializeManifest,
  type SkillFacts,
  type SkillsManifest,
  skillStates,
} from "./plan.ts";

const NOW = new Date("2025-10-20T14:30:22Z");
const EARLIER = "2025-01-01T00:00:00.000Z";
const SHIPPED = [{ name: "mpm-pause", text: "pause v2\n" }, { name: "mpm-status", text: "st\n" }];
const options = { force: false, now: NOW, version: "0.2.0" };

function manifest(entries: Record<string, string>): SkillsManifest {
  return {
    schema_version: 1,
    mpm_version: "0.1.0",
    skills: Object.fromEntries(
      Object.entries(entries).map(([name, text]) => [
        name,
        { sha256: sha256Hex(text), installed_at: EARLIER },
      ]),
    ),
  };
}

function states(onDisk: SkillFacts[], m: SkillsManifest) {
  return skillStates(SHIPPED, onDisk, m).map(({ name, state }) => [name, state]);
}

Deno.test("skillStates: missing, current, outdated, edited, foreign, retired", () => {
  const m = manifest({ "mpm-pause": "pause v1\n", "mpm-status": "st\n", "mpm-old": "old\n" });
  assertEquals(states([], m), [
    ["mpm-pause", "missing"],
    ["mpm-status", "missing"],
    ["mpm-old", "missing"],
  ]);
  assertEquals(
    states([
      { name: "mpm-pause", text: "pause v1\n" },
      { name: "mpm-status", text: "st\n" },
      { name: "mpm-old", text: "old\n" },
    ], m),
    [["mpm-pause", "outdated"], ["mpm-status", "current"], ["mpm-old", "retired"]],
  );
  assertEquals(
    states([
      { name: "mpm-pause", text: "my own words\n" },
      { name: "mpm-old", text: "old, edited\n" },
    ], m),
    [["mpm-pause", "edited"], ["mpm-status", "missing"], ["mpm-old", "edited"]],
  );
  // Without a manifest entry, a different text was never mpm's.
  assertEquals(states([{ name: "mpm-pause", text: "claude-mpm's skill\n" }], emptyManifest("x")), [
    ["mpm-pause", "foreign"],
    ["mpm-status", "missing"],
  ]);
  // The shipped text is recognised even without a manifest (it was copied by hand).
  assertEquals(states([{ name: "mpm-pause", text: "pause v2\n" }], emptyManifest("x"))[0], [
    "mpm-pause",
    "current",
  ]);
});

Deno.test("planInstall: writes, updates, removes retired, keeps edited and foreign", () => {
  const m = manifest({ "mpm-pause": "pause v1\n", "mpm-old": "old\n", "mpm-gone": "gone\n" });
  const disk = [
    { name: "mpm-pause", text: "pause v1\n" },
    { name: "mpm-old", text: "old\n" },
    { name: "mpm-gone", text: "gone, but edited\n" },
  ];
  const plan = planInstall(SHIPPED, skillStates(SHIPPED, disk, m), m, options);
  assertEquals(plan.steps.map(({ name, action }) => [name, action]), [
    ["mpm-pause", "update"],
    ["mpm-status", "write"],
    ["mpm-gone", "kept"],
    ["mpm-old", "remove"],
  ]);
  assertEquals(plan.manifest, {
    schema_version: 1,
    mpm_version: "0.2.0",
    skills: {
      "mpm-pause": { sha256: sha256Hex("pause v2\n"), installed_at: NOW.toISOString() },
      "mpm-status": { sha256: sha256Hex("st\n"), installed_at: NOW.toISOString() },
    },
  });
});

Deno.test("planInstall keeps an edited skill and its entry; --force replaces it", () => {
  const m = manifest({ "mpm-pause": "pause v2\n", "mpm-status": "st\n" });
  const disk = [{ name: "mpm-pause", text: "edited\n" }, { name: "mpm-status", text: "st\n" }];
  const statuses = skillStates(SHIPPED, disk, m);
  const kept = planInstall(SHIPPED, statuses, m, options);
  assertEquals(kept.steps.map((s) => s.action), ["kept", "unchanged"]);
  assertEquals(kept.manifest?.skills, m.skills, "installed_at stays for an unchanged skill");
  const forced = planInstall(SHIPPED, statuses, m, { ...options, force: true });
  assertEquals(forced.steps.map((s) => s.action), ["replace", "unchanged"]);
  assertEquals(forced.manifest?.skills["mpm-pause"].installed_at, NOW.toISOString());
});

Deno.test("planInstall leaves a foreign skill out of the manifest", () => {
  const disk = [{ name: "mpm-pause", text: "the user's own\n" }];
  const m = emptyManifest("0.1.0");
  const plan = planInstall(SHIPPED, skillStates(SHIPPED, disk, m), m, options);
  assertEquals(plan.steps.map((s) => [s.state, s.action]), [["foreign", "kept"], [
    "missing",
    "write",
  ]]);
  assertEquals(Object.keys(plan.manifest!.skills), ["mpm-status"]);
});

Deno.test("a second install changes nothing", () => {
  const m = emptyManifest("0.2.0");
  const first = planInstall(SHIPPED, skillStates(SHIPPED, [], m), m, options);
  const text = serializeManifest(first.manifest!);
  const after = parseManifest(text, "0.2.0");
  const disk = SHIPPED.map(({ name, text }) => ({ name, text }));
  const second = planInstall(SHIPPED, skillStates(SHIPPED, disk, after), after, {
    ...options,
    now: new Date("2030-01-01T00:00:00Z"),
  });
  assertEquals(second.steps.map((s) => s.action), ["unchanged", "unchanged"]);
  assertEquals(planChanges(second, text), false);
  assertEquals(planChanges(first, undefined), true);
});

Deno.test("plannedFiles: every SKILL.md written or removed, then the manifest; none when nothing changes", () => {
  const m = manifest({ "mpm-old": "old\n" });
  const disk = [{ name: "mpm-pause", text: "mine\n" }, { name: "mpm-old", text: "old\n" }];
  const kept = planInstall(SHIPPED, skillStates(SHIPPED, disk, m), m, options);
  assertEquals(plannedFiles(kept, undefined), [
    "mpm-status/SKILL.md",
    "mpm-old/SKILL.md",
    ".mpm-manifest.json",
  ]);
  const forced = planInstall(SHIPPED, skillStates(SHIPPED, disk, m), m, {
    ...options,
    force: true,
  });
  assertEquals(plannedFiles(forced, undefined)[0], "mpm-pause/SKILL.md");
  const text = serializeManifest(forced.manifest!);
  const current = SHIPPED.map(({ name, text }) => ({ name, text }));
  const after = parseManifest(text, "0.2.0");
  const again = planInstall(SHIPPED, skillStates(SHIPPED, current, after), after, options);
  assertEquals(plannedFiles(again, text), []);
});

Deno.test("planUninstall removes what mpm wrote, keeps edits (and their entry) and foreign skills", () => {
  const m = manifest({ "mpm-pause": "pause v2\n", "mpm-status": "st v1\n", "mpm-old": "old\n" });
  const disk = [
    { name: "mpm-pause", text: "edited\n" },
    { name: "mpm-status", text: "st v1\n" },
    { name: "mpm-old", text: "old\n" },
  ];
  const plan = planUninstall(skillStates(SHIPPED, disk, m), m, "0.2.0");
  assertEquals(plan.steps.map(({ name, state, action }) => [name, state, action]), [
    ["mpm-pause", "edited", "kept"],
    ["mpm-status", "outdated", "remove"],
    ["mpm-old", "retired", "remove"],
  ]);
  assertEquals(Object.keys(plan.manifest!.skills), ["mpm-pause"]);

  const foreign = [{ name: "mpm-pause", text: "mine\n" }];
  const none = planUninstall(
    skillStates(SHIPPED, foreign, emptyManifest("x")),
    emptyManifest("x"),
    "x",
  );
  assertEquals(none.steps.map((s) => s.action), ["kept", "none"]);
  assertEquals(none.manifest, null);
  assertEquals(planChanges(none, undefined), false);
});

Deno.test("the folders install made are recorded, kept by a second install, and removed with the last skill", () => {
  const none = emptyManifest("0.1.0");
  const first = planInstall(SHIPPED, skillStates(SHIPPED, [], none), none, {
    ...options,
    missing: ["skills", "claude"],
  });
  assertEquals(first.manifest?.created, ["skills", "claude"]);
  const disk = SHIPPED.map(({ name, text }) => ({ name, text }));
  const again = planInstall(SHIPPED, skillStates(SHIPPED, disk, first.manifest!), first.manifest!, {
    ...options,
    missing: [],
  });
  assertEquals(again.manifest, first.manifest);
  assertEquals(parseManifest(serializeManifest(first.manifest!), "x"), first.manifest);
  // An edited skill keeps mpm's manifest, and so the folders it is in.
  const edited = [{ name: "mpm-pause", text: "mine now\n" }, disk[1]];
  const partly = planUninstall(skillStates(SHIPPED, edited, again.manifest!), again.manifest!, "x");
  assertEquals([partly.folders, partly.manifest?.created], [[], ["skills", "claude"]]);
  const gone = planUninstall(skillStates(SHIPPED, disk, again.manifest!), again.manifest!, "x");
  assertEquals([gone.manifest, gone.folders], [null, ["skills", "claude"]]);
  // Folders that were there are never recorded; nor are any when nothing is written.
  const had = planInstall(SHIPPED, skillStates(SHIPPED, [], none), none, options);
  assertEquals(had.manifest?.created, undefined);
  assertEquals(
    planUninstall(skillStates(SHIPPED, disk, had.manifest!), had.manifest!, "x").folders,
    [],
  );
  const theirs = SHIPPED.map(({ name }) => ({ name, text: "theirs\n" }));
  const nothing = planInstall(SHIPPED, skillStates(SHIPPED, theirs, none), none, {
    ...options,
    missing: ["claude"],
  });
  assertEquals(nothing.manifest, null);
});

Deno.test("parseManifest: a damaged or foreign manifest reads as empty", () => {
  assertEquals(parseManifest("{not json", "1").skills, {});
  assertEquals(parseManifest('{"schema_version": 2, "skills": {}}', "1").skills, {});
  assertEquals(parseManifest(undefined, "1"), emptyManifest("1"));
  const good = manifest({ a: "a" });
  assertEquals(parseManifest(serializeManifest(good), "9"), good);
});

Deno.test("backupFileName: UTC stamp, a suffix on a clash", () => {
  assertEquals(backupFileName(NOW), "SKILL.md.20251020-143022.bak");
  assertEquals(backupFileName(NOW, 2), "SKILL.md.20251020-143022-2.bak");
});
