import { assert, assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { isHealthy } from "./judge.ts";
import {
  hookChecks,
  type ScriptFacts,
  settingsCommands,
  type SettingsFacts,
  type WantedHook,
} from "./judge_hooks.ts";

Deno.test("settingsCommands reads every hook command under its event, skipping odd shapes", () => {
  assertEquals(
    settingsCommands({
      hooks: {
        Stop: [{ hooks: [{ type: "command", command: "a" }, { command: 3 }] }, "junk"],
        SessionEnd: [{ matcher: "", hooks: [{ command: "b" }] }],
        Odd: { not: "an array" },
      },
    }),
    [{ event: "Stop", command: "a" }, { event: "SessionEnd", command: "b" }],
  );
  assertEquals(settingsCommands(null), []);
  assertEquals(settingsCommands({ hooks: [] }), []);
});

const wanted: WantedHook[] = [
  { script: "pre", event: "SessionStart", command: "run pre" },
  { script: "post", event: "SessionEnd", command: "run post" },
  { script: "post", event: "Stop", command: "run post" },
];
const script = (name: string, extra: Partial<ScriptFacts> = {}): ScriptFacts => ({
  script: name,
  path: `/p/.claude-mpm/hooks/${name}.sh`,
  installed: true,
  executable: true,
  ...extra,
});
const settings = (shown: string, pairs: [string, string][]): SettingsFacts => ({
  scope: "local",
  shown,
  exists: true,
  hooks: pairs.map(([event, command]) => ({ event, command })),
});
const allWired = settings(".claude/settings.local.json", [
  ["SessionStart", "run pre"],
  ["SessionEnd", "run post"],
  ["Stop", "run post"],
]);

Deno.test("hookChecks: nothing installed anywhere is a note, not a failure", () => {
  const checks = hookChecks(
    [script("pre", { installed: false }), script("post", { installed: false })],
    [settings("x", [["Stop", "someone else's"]])],
    wanted,
  );
  assertEquals(checks.map((c) => c.status), ["info"]);
  assertEquals(checks[0].fix, "mpm hooks install");
});

Deno.test("hookChecks: installed and wired is ok and says where", () => {
  const checks = hookChecks([script("pre"), script("post")], [allWired], wanted);
  assertEquals(checks.map((c) => c.status), ["ok"]);
  assertStringIncludes(checks[0].message, ".claude/settings.local.json");
});

Deno.test("hookChecks: installed but not wired for an event fails, naming the event", () => {
  const partly = settings("s", [["SessionStart", "run pre"], ["SessionEnd", "run post"]]);
  const checks = hookChecks([script("pre"), script("post")], [partly], wanted);
  assertEquals(checks.map((c) => c.status), ["fail"]);
  assertStringIncludes(checks[0].message, "post.sh is installed but no settings file runs it");
  assertStringIncludes(checks[0].message, "Stop");
});

Deno.test("hookChecks: wired but the script is missing fails; not executable gives a chmod", () => {
  const checks = hookChecks(
    [script("pre", { installed: false }), script("post", { executable: false })],
    [allWired],
    wanted,
  );
  assertEquals(checks.map((c) => c.status), ["fail", "fail"]);
  assertStringIncludes(checks[0].message, "pre.sh is missing");
  assertStringIncludes(checks[0].message, "SessionStart");
  assertEquals(checks[1].fix, "chmod 700 /p/.claude-mpm/hooks/post.sh");
});

Deno.test("hookChecks: an outdated script warns, an edited one is a note; bad settings warn", () => {
  const broken: SettingsFacts = { ...settings("b.json", []), error: "not valid JSON (x)." };
  const checks = hookChecks(
    [script("pre", { state: "outdated" }), script("post", { state: "edited" })],
    [allWired, broken],
    wanted,
  );
  assertEquals(checks.map((c) => `${c.id}:${c.status}`), [
    "settings:warn",
    "hooks:warn",
    "hooks:info",
    "hooks:ok",
  ]);
  assertStringIncludes(checks[1].message, "pre.sh is another mpm's version");
  assertEquals(checks[2].fix, "mpm hooks install --force replaces it, keeping a backup");
  assert(isHealthy(checks));
});

Deno.test("hookChecks: with a settings file that cannot be read, the fix starts there", () => {
  const broken: SettingsFacts = {
    ...settings(".claude/settings.local.json", []),
    error: "not valid JSON (x).",
  };
  const checks = hookChecks([script("pre"), script("post")], [broken], wanted);
  const failed = checks.filter((c) => c.status === "fail");
  assertEquals(failed.length, 2);
  assertStringIncludes(failed[0].message, "no readable settings file runs it on SessionStart");
  assertStringIncludes(failed[0].message, ".claude/settings.local.json cannot be read");
  assertEquals(
    failed[0].fix,
    "Fix .claude/settings.local.json first, then mpm hooks install if it is still needed.",
  );
});

Deno.test("after `hooks uninstall`, an edited script mpm kept is a note, not a failure", () => {
  const checks = hookChecks(
    [script("pre", { installed: false }), script("post", { state: "edited" })],
    [settings(".claude/settings.local.json", [])],
    wanted,
  );
  assert(isHealthy(checks), JSON.stringify(checks));
  assertEquals(checks.map((c) => c.status), ["info"]);
  assertStringIncludes(
    checks[0].message,
    ".claude-mpm/hooks/post.sh was kept because you edited it",
  );
  // An unedited script left behind is still half an install.
  const half = hookChecks([script("post", { state: "current" })], [], wanted);
  assert(!isHealthy(half));
});

Deno.test("hookChecks: a teammate's clone (committed settings wire the hooks, none installed) is one warning", () => {
  const committed = { ...allWired, shown: ".claude/settings.json", repository: true };
  const missing = [script("pre", { installed: false }), script("post", { installed: false })];
  const checks = hookChecks(missing, [committed], wanted);
  assertEquals(checks.map((c) => `${c.id}:${c.status}`), ["hooks:warn"]);
  assertStringIncludes(checks[0].message, ".claude/settings.json (the repository's) wires");
  assertStringIncludes(checks[0].message, "not installed in this clone");
  assertEquals(checks[0].fix, "mpm hooks install");
  assert(isHealthy(checks));
  // The person's own settings wiring scripts that are gone: their install is broken.
  const own = hookChecks(missing, [allWired], wanted);
  assertEquals(own.map((c) => c.status), ["fail", "fail"]);
  assertStringIncludes(own[0].message, "those events do nothing");
});

Deno.test("hookChecks: a settings file that cannot be read fails when it holds mpm's, else warns", () => {
  const broken = (mpmInside?: string): SettingsFacts => ({
    ...settings(".claude/settings.local.json", []),
    error: "not valid JSON (x).",
    ...(mpmInside ? { mpmInside } : {}),
  });
  const none = [script("pre", { installed: false }), script("post", { installed: false })];
  const holding = hookChecks(none, [broken("hooks and status line")], wanted);
  assertEquals(holding.map((c) => `${c.id}:${c.status}`), ["settings:fail"]);
  assertStringIncludes(holding[0].message, "mpm's hooks and status line in it do not run");
  assert(!isHealthy(holding));
  // Installed scripts it wired are told once, by that check.
  const wiredThere = hookChecks([script("pre"), script("post")], [broken("hooks")], wanted);
  assertEquals(wiredThere.map((c) => `${c.id}:${c.status}`), ["settings:fail"]);
  const other = hookChecks(none, [broken()], wanted);
  assertEquals(other.map((c) => `${c.id}:${c.status}`), ["settings:warn", "hooks:info"]);
  assert(isHealthy(other));
});
