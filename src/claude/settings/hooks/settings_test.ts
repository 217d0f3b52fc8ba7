import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../../../../tests/assert.ts";
import {
  hookCommand,
  MPM_HOOK_COMMANDS,
  MPM_HOOK_ENTRIES,
  SESSION_END_EXIT_MATCHER,
} from "./hook_entries.ts";
import {
  findHookEntries,
  hookContainers,
  type HookEntry,
  installHooks,
  settingsPath,
  uninstallHooks,
} from "./settings.ts";

const SETTINGS = fileURLToPath(
  new URL("../../../../tests/fixtures/claude-code/settings/", import.meta.url),
);
const USER_HOOKS = Deno.readTextFileSync(join(SETTINGS, "settings.local.with-user-hooks.json"));
const INVALID = Deno.readTextFileSync(join(SETTINGS, "invalid-trailing-comma.json"));

function install(
  text: string | undefined,
  entries: readonly HookEntry[] = MPM_HOOK_ENTRIES,
): string {
  const result = installHooks(text, entries);
  if (!result.ok) throw new Error(result.error.message);
  return result.text;
}
function uninstall(text: string): string {
  const result = uninstallHooks(text, MPM_HOOK_COMMANDS);
  if (!result.ok) throw new Error(result.error.message);
  return result.text;
}

Deno.test("install then uninstall gives back the user's settings byte for byte", () => {
  const installed = install(USER_HOOKS);
  assertEquals(uninstall(installed), USER_HOOKS);
});

Deno.test("install keeps every key, hook and their order, and adds each event once", () => {
  const settings = JSON.parse(install(USER_HOOKS));
  const before = JSON.parse(USER_HOOKS);
  assertEquals(Object.keys(settings), ["permissions", "hooks", "env"]);
  assertEquals(settings.permissions, before.permissions);
  assertEquals(settings.env, before.env);
  assertEquals(Object.keys(settings.hooks), [
    "PostToolUse",
    "SessionStart",
    "SessionEnd",
    "PreCompact",
    "Stop",
    "PostToolUseFailure",
    "StopFailure",
  ]);
  assertEquals(settings.hooks.PostToolUse, before.hooks.PostToolUse);
  assertEquals(settings.hooks.SessionStart[0], before.hooks.SessionStart[0]);
  assertEquals(settings.hooks.SessionStart[1], {
    matcher: "startup|resume|clear|compact|fork",
    hooks: [{
      type: "command",
      command: hookCommand("pre-session"),
      timeout: 10,
    }],
  });
  assertEquals(settings.hooks.PreCompact[0].matcher, "manual|auto");
  assertEquals(settings.hooks.SessionEnd, [
    {
      matcher: "clear|resume",
      hooks: [{ type: "command", command: hookCommand("post-session"), timeout: 5 }],
    },
    {
      matcher: SESSION_END_EXIT_MATCHER,
      hooks: [{ type: "command", command: hookCommand("post-session"), timeout: 5, async: true }],
    },
  ]);
  assertEquals(settings.hooks.Stop[0].hooks[0].command, hookCommand("checkpoint"));
  assertEquals(settings.hooks.StopFailure[0].hooks[0].command, hookCommand("on-error"));
});

Deno.test("installing twice gives identical bytes", () => {
  const once = install(USER_HOOKS);
  const twice = installHooks(once, MPM_HOOK_ENTRIES);
  assert(twice.ok);
  assertEquals(twice.text, once);
  assertEquals(twice.changed, false);
});

Deno.test("a new settings file is 2-space JSON with a trailing newline", () => {
  const created = install(undefined);
  assertEquals(created, JSON.stringify(JSON.parse(created), null, 2) + "\n");
  assertEquals(install("  \n"), created);
  assertEquals(install("{}\n"), created);
  // Uninstall of a file mpm created leaves an empty object, which the caller may delete.
  assertEquals(uninstall(created), "{}\n");
});

Deno.test("a file that is not valid JSON is refused with its line and column", () => {
  const result = installHooks(INVALID, MPM_HOOK_ENTRIES);
  assert(!result.ok);
  const line3 = INVALID.split("\n")[2];
  assertEquals([result.error.line, result.error.column], [3, line3.lastIndexOf(",") + 1]);
  assertMatch(result.error.message, /not valid JSON: trailing comma .* at line 3, column \d+\.$/);
  const removal = uninstallHooks(INVALID, MPM_HOOK_COMMANDS);
  assert(!removal.ok);
  assertEquals(removal.error.line, 3);
});

Deno.test("settings of the wrong shape are refused, not overwritten", () => {
  const cases: [string, RegExp][] = [
    ["[1, 2]\n", /not a JSON object/],
    ['{"hooks": []}', /"hooks" is not an object \(line 1, column 11\)/],
    ['{"hooks": {"SessionStart": {"matcher": "x"}}}', /"hooks.SessionStart" is not an array/],
  ];
  for (const [text, message] of cases) {
    const result = installHooks(text, MPM_HOOK_ENTRIES);
    assert(!result.ok, text);
    assertMatch(result.error.message, message);
  }
});

Deno.test("uninstall removes exactly mpm's hooks, even ones a user moved or repeated", () => {
  const text = JSON.stringify(
    {
      hooks: {
        Stop: [
          {
            hooks: [
              { type: "command", command: "say done" },
              { type: "command", command: hookCommand("checkpoint"), timeout: 10 },
            ],
          },
          { hooks: [{ type: "command", command: hookCommand("checkpoint") }] },
        ],
        SessionEnd: [
          // Not mpm's: the same script, but not the exact command mpm writes.
          { hooks: [{ type: "command", command: ".claude-mpm/hooks/post-session.sh" }] },
        ],
        Notification: [{ hooks: [] }],
      },
      model: "opus",
    },
    null,
    2,
  ) + "\n";
  assertEquals(JSON.parse(uninstall(text)), {
    hooks: {
      Stop: [{ hooks: [{ type: "command", command: "say done" }] }],
      SessionEnd: [{ hooks: [{ type: "command", command: ".claude-mpm/hooks/post-session.sh" }] }],
      Notification: [{ hooks: [] }],
    },
    model: "opus",
  });
  const nothing = uninstallHooks(USER_HOOKS, MPM_HOOK_COMMANDS);
  assert(nothing.ok);
  assertEquals([nothing.text, nothing.changed], [USER_HOOKS, false]);
});

Deno.test("install adds only the events that are missing", () => {
  const partial = JSON.stringify({
    hooks: {
      Stop: [{ matcher: "", hooks: [{ type: "command", command: hookCommand("checkpoint") }] }],
    },
  });
  const settings = JSON.parse(install(partial));
  assertEquals(settings.hooks.Stop.length, 1);
  assertEquals(Object.keys(settings.hooks), [
    "Stop",
    "SessionStart",
    "SessionEnd",
    "PreCompact",
    "PostToolUseFailure",
    "StopFailure",
  ]);
  assertEquals(settings.hooks.SessionEnd.length, 2);
});

Deno.test("CRLF files, one-line containers and empty objects are edited in their own style", () => {
  const crlf = USER_HOOKS.replaceAll("\n", "\r\n");
  const installed = install(crlf);
  assert(!/[^\r]\n/.test(installed), "every line break stays CRLF");
  assertEquals(uninstall(installed), crlf);

  const inline = '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "say hi"}]}]}}';
  const entries = MPM_HOOK_ENTRIES.filter((entry) => entry.event === "Stop");
  const oneLine = install(inline, entries);
  assertStringIncludes(oneLine, `}]}, {"hooks":[{"type":"command","command":`);
  assertEquals(uninstall(oneLine), inline);

  const empty = '{\n  "hooks": {}\n}\n';
  assertEquals(
    install(empty, entries),
    JSON.stringify(
      {
        hooks: {
          Stop: [{ hooks: [{ type: "command", command: hookCommand("checkpoint"), timeout: 10 }] }],
        },
      },
      null,
      2,
    ) + "\n",
  );
});

Deno.test("uninstall told to keep the person's containers leaves them, emptied, where they were", () => {
  const events = MPM_HOOK_ENTRIES.map((entry) => entry.event);
  for (
    const original of ['{"a":1,"hooks":{}}', '{\n  "hooks": {\n    "Stop": []\n  },\n  "a": 1\n}\n']
  ) {
    const keep = hookContainers(original, events);
    const installed = install(original);
    const removed = uninstallHooks(installed, MPM_HOOK_COMMANDS, { keep });
    assert(removed.ok);
    assertEquals(removed.text, original);
    // Without them, what held only mpm's entries goes, as before.
    assertEquals(uninstall(installed).includes('"hooks"'), false);
  }
  assertEquals(hookContainers('{"hooks":{"Stop":[],"Mine":[]}}', events), ["hooks", "hooks.Stop"]);
  assertEquals(hookContainers('{"hooks":[]}', events), []);
  assertEquals(hookContainers("{", events), []);
  assertEquals(hookContainers(undefined, events), []);
});

Deno.test("settingsPath for each scope", () => {
  assertEquals(settingsPath("local", "/p", "/h", {}), "/p/.claude/settings.local.json");
  assertEquals(settingsPath("project", "/p", "/h", {}), "/p/.claude/settings.json");
  assertEquals(settingsPath("user", "/p", "/h", {}), "/h/.claude/settings.json");
  assertEquals(
    settingsPath("user", "/p", "/h", { CLAUDE_CONFIG_DIR: "/cfg" }),
    "/cfg/settings.json",
  );
});

Deno.test("uninstall limited to some events leaves the same command under the others", () => {
  const installed = install(USER_HOOKS);
  const result = uninstallHooks(installed, MPM_HOOK_COMMANDS, {
    events: ["StopFailure", "SessionEnd"],
  });
  if (!result.ok) throw new Error(result.error.message);
  const hooks = JSON.parse(result.text).hooks;
  assertEquals(hooks.StopFailure, undefined);
  assertEquals(hooks.SessionEnd, undefined);
  assertEquals(hooks.PostToolUseFailure[0].hooks[0].command, hookCommand("on-error"));
  assertEquals(uninstall(result.text), USER_HOOKS);
});

Deno.test("findHookEntries reports which of mpm's entries a file holds", () => {
  const none = findHookEntries(USER_HOOKS, MPM_HOOK_ENTRIES);
  assertEquals(none.ok && none.found, []);
  const all = findHookEntries(install(USER_HOOKS), MPM_HOOK_ENTRIES);
  assertEquals(all.ok && all.found.length, MPM_HOOK_ENTRIES.length);
  const missing = findHookEntries(undefined, MPM_HOOK_ENTRIES);
  assertEquals(missing.ok && missing.found, []);
  const broken = findHookEntries(INVALID, MPM_HOOK_ENTRIES);
  assert(!broken.ok);
  assertEquals(broken.error.line, 3);
});

/** A SessionEnd entry for every reason (no matcher), in the foreground, as a hand may write it. */
const EVERY_REASON: HookEntry = {
  event: "SessionEnd",
  command: hookCommand("post-session"),
  timeout: 5,
};

Deno.test("SessionEnd is two blocks: clear|resume waited for, every other reason async", () => {
  const once = install(USER_HOOKS);
  const hooks = JSON.parse(once).hooks;
  assertEquals(hooks.SessionEnd.map((block: { matcher: string }) => block.matcher), [
    "clear|resume",
    SESSION_END_EXIT_MATCHER,
  ]);
  assertEquals(hooks.SessionEnd[0].hooks[0].async, undefined);
  assertEquals(hooks.SessionEnd[1].hooks[0].async, true);
  // Only SessionEnd's exit entry is async.
  const asyncHooks = Object.values(hooks).flat().flatMap((block) =>
    (block as { hooks: { async?: boolean }[] }).hooks.filter((hook) => hook.async !== undefined)
  );
  assertEquals(asyncHooks.length, 1);
  // The async key is written as the other keys are: 2-space JSON, one key a line.
  assertStringIncludes(once, '"timeout": 5,\n            "async": true\n');
  const twice = installHooks(once, MPM_HOOK_ENTRIES);
  assert(twice.ok);
  assertEquals([twice.text, twice.changed], [once, false]);
  assertEquals(uninstall(once), USER_HOOKS);
});

Deno.test("an entry with another matcher or async flag is not taken for install's own", () => {
  const foreground = MPM_HOOK_ENTRIES.filter((entry) =>
    entry.event === "SessionEnd" && !entry.async
  );
  const background = MPM_HOOK_ENTRIES.filter((entry) =>
    entry.event === "SessionEnd" && entry.async
  );
  // The same command in the same matcher, but waited for: the async entry is still added.
  const waited = install(undefined, [{ ...background[0], async: undefined }]);
  const added = JSON.parse(install(waited, background)).hooks.SessionEnd;
  assertEquals(added.length, 2);
  assertEquals(added[1].hooks[0].async, true);
  // No matcher, "" and "*" all mean every reason: the same as none, and nothing else.
  for (const matcher of ["", "*"]) {
    const every = install(undefined, [{ ...EVERY_REASON, matcher }]);
    assertEquals(install(every, [EVERY_REASON]), every);
    assertEquals(JSON.parse(install(every, foreground)).hooks.SessionEnd.length, 2);
  }
});
