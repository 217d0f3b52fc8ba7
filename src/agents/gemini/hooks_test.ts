import { assertEquals } from "../../../tests/assert.ts";
import { geminiAgent } from "./agent.ts";
import {
  formerEventsIn,
  GEMINI_FORMER_COMMANDS,
  GEMINI_HOOK_COMMANDS,
  GEMINI_HOOK_ENTRIES,
  geminiContainers,
  geminiSettingsFile,
  isServer,
  withMcpServer,
  withoutMcpServer,
} from "./hooks.ts";

const SERVER = { command: "sh", args: ["-c", "exec mpm mcp"] };

/** A person's settings with comments of layout: their hook, another server, odd spacing. */
const THEIRS = `{
    "security": {"auth": {"selectedType": "gemini-api-key"}},
    "hooks": {
        "SessionStart": [ { "hooks": [ { "type": "command", "command": "echo hi", "timeout": 3000 } ] } ]
    },
    "mcpServers": { "other": { "command": "other" } }
}
`;

Deno.test("gemini hooks: install then uninstall gives the person's settings back byte for byte", () => {
  const hooks = geminiAgent.hooks.install(THEIRS);
  assertEquals(hooks.ok, true);
  const added = hooks.ok ? hooks.text : "";
  const served = withMcpServer(added, "mpm", SERVER);
  const text = served.ok ? served.text : "";
  const parsed = JSON.parse(text);
  assertEquals(parsed.hooks.SessionStart.length, 2);
  assertEquals(parsed.hooks.AfterAgent[0].hooks[0].timeout, 10_000);
  assertEquals(Object.keys(parsed.mcpServers), ["other", "mpm"]);
  const kept = geminiContainers(THEIRS);
  const back = geminiAgent.hooks.uninstall(text, "", kept);
  assertEquals(back.ok && withoutMcpServer(back.text, "mpm", SERVER, kept), THEIRS);
});

Deno.test("gemini hooks: empty containers of the person's stay, and only those", () => {
  const theirs = '{ "hooks": {}, "mcpServers": {} }\n';
  const kept = geminiContainers(theirs);
  assertEquals(kept, ["hooks", "mcpServers"]);
  const hooks = geminiAgent.hooks.install(theirs);
  const served = withMcpServer(hooks.ok ? hooks.text : "", "mpm", SERVER);
  const text = served.ok ? served.text : "";
  const back = geminiAgent.hooks.uninstall(text, "", kept);
  assertEquals(back.ok && withoutMcpServer(back.text, "mpm", SERVER, kept), theirs);
  // Without the note, they would go with mpm's entries.
  const bare = geminiAgent.hooks.uninstall(text, "", []);
  assertEquals(bare.ok && withoutMcpServer(bare.text, "mpm", SERVER, []), "{}\n");
});

Deno.test("gemini hooks: a server called mpm of the person's own is refused, never replaced", () => {
  const theirs = '{"mcpServers": {"mpm": {"command": "their-mpm"}}}';
  const served = withMcpServer(theirs, "mpm", SERVER);
  assertEquals(served.ok, false);
  assertEquals(withoutMcpServer(theirs, "mpm", SERVER, []), theirs);
});

Deno.test("gemini hooks: the user's settings by default, GEMINI_CLI_HOME moves them", () => {
  const where = { root: "/r", home: "/h", vars: {} };
  assertEquals(geminiSettingsFile("user", where), "/h/.gemini/settings.json");
  assertEquals(geminiSettingsFile("project", where), "/r/.gemini/settings.json");
  assertEquals(
    geminiSettingsFile("user", { ...where, vars: { GEMINI_CLI_HOME: "/g" } }),
    "/g/.gemini/settings.json",
  );
});

Deno.test("gemini: the start's context as additionalContext; a conversation goes on with -r", () => {
  assertEquals(
    JSON.parse(geminiAgent.startAnswer("ctx", "title")),
    { hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: "ctx" } },
  );
  assertEquals(geminiAgent.startAnswer(null, "title"), "");
  assertEquals(geminiAgent.continueCommand("abc"), "gemini -r abc");
  assertEquals(geminiAgent.moment("AfterAgent"), "turn-end");
});

Deno.test("gemini hooks: a turn's end and the end run mpm in the background, the start in place", () => {
  const command = (event: string) => GEMINI_HOOK_ENTRIES.find((e) => e.event === event)!.command;
  assertEquals(
    command("SessionStart").endsWith('exec "${MPM_BIN:-mpm}" hook session-start --agent gemini'),
    true,
  );
  for (const [event, verb] of [["AfterAgent", "checkpoint"], ["SessionEnd", "session-end"]]) {
    assertEquals(
      command(event).endsWith(
        `exec 3<&0; trap '' HUP; "\${MPM_BIN:-mpm}" hook ${verb} --agent gemini <&3 3<&- >/dev/null 2>&1 &`,
      ),
      true,
    );
  }
});

Deno.test("gemini hooks: install puts its hooks in place of an earlier mpm's; uninstall takes either", () => {
  // An earlier mpm's install: the same hooks, AfterAgent and SessionEnd waited for.
  const former = (verb: string) =>
    `command -v "\${MPM_BIN:-mpm}" >/dev/null 2>&1 || exit 0; exec "\${MPM_BIN:-mpm}" hook ${verb} --agent gemini`;
  assertEquals(GEMINI_FORMER_COMMANDS, [former("checkpoint"), former("session-end")]);
  const entry = (command: string, timeout: number) => ({
    hooks: [{ type: "command", command, timeout }],
  });
  const earlier = JSON.stringify(
    {
      hooks: {
        SessionStart: [entry("echo hi", 3000), entry(GEMINI_HOOK_COMMANDS[0], 10_000)],
        AfterAgent: [entry(former("checkpoint"), 10_000), entry("echo theirs", 1000)],
        SessionEnd: [entry(former("session-end"), 5000)],
      },
    },
    null,
    2,
  ) + "\n";
  assertEquals(formerEventsIn(JSON.parse(earlier)), ["AfterAgent", "SessionEnd"]);
  const upgraded = geminiAgent.hooks.install(earlier);
  const parsed = JSON.parse(upgraded.ok ? upgraded.text : "null");
  const commands = (event: string) =>
    parsed.hooks[event].flatMap((g: { hooks: { command: string }[] }) =>
      g.hooks.map((h) => h.command)
    );
  assertEquals(commands("SessionStart"), ["echo hi", GEMINI_HOOK_COMMANDS[0]]);
  assertEquals(commands("AfterAgent"), ["echo theirs", GEMINI_HOOK_COMMANDS[1]]);
  assertEquals(commands("SessionEnd"), [GEMINI_HOOK_COMMANDS[2]]);
  assertEquals(formerEventsIn(parsed), []);
  // Once there, installing again changes nothing.
  const again = geminiAgent.hooks.install(upgraded.ok ? upgraded.text : "");
  assertEquals(again.ok && again.text, upgraded.ok && upgraded.text);
  // Uninstall takes an earlier mpm's hooks too, and leaves the person's.
  const back = geminiAgent.hooks.uninstall(earlier, "", []);
  const left = JSON.parse(back.ok ? back.text : "null");
  assertEquals(Object.keys(left.hooks), ["SessionStart", "AfterAgent"]);
  assertEquals(left.hooks.AfterAgent.length, 1);
});

Deno.test("mpm's server as Gemini writes it back, values put in, is still mpm's", () => {
  const server = {
    command: "sh",
    args: ["-c", 'for m in "${MPM_BIN:-}" "$HOME/x"; do :; done', "n"],
  };
  const back = { command: "sh", args: ["-c", 'for m in "" "/home/me/x"; do :; done', "n"] };
  assertEquals(isServer(server, server), true);
  assertEquals(isServer(back, server), true);
  assertEquals(isServer({ ...back, env: { A: "1" } }, server), false);
  assertEquals(isServer({ command: "sh", args: ["-c", "exec other", "n"] }, server), false);
  const text = JSON.stringify({ mcpServers: { mpm: back, theirs: { command: "x" } } });
  assertEquals(
    withoutMcpServer(text, "mpm", server, []),
    '{"mcpServers":{"theirs":{"command":"x"}}}',
  );
});
