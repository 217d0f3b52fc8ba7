import { assertEquals } from "../../../tests/assert.ts";
import { geminiAgent } from "./agent.ts";
import { geminiContainers, geminiSettingsFile, withMcpServer, withoutMcpServer } from "./hooks.ts";

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
