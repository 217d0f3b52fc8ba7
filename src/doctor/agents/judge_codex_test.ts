import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { CODEX_HOOK_ENTRIES, hookKey, mpmHooksIn } from "../../agents/codex/hooks.ts";
import { withBlock } from "../../agents/codex/config_toml.ts";
import { installHooks } from "../../claude/settings/hooks/settings.ts";
import { codexChecks, type CodexFacts } from "./judge_codex.ts";
import { versionIn } from "./judge_agent.ts";

const USER_FILE = "/home/me/.codex/hooks.json";
const PROJECT_FILE = "/srv/app/.codex/hooks.json";
const HOOKS = (installHooks(undefined, CODEX_HOOK_ENTRIES) as { ok: true; text: string }).text;

/** config.toml as install leaves it: mpm's hooks in `file` trusted, mpm mcp registered. */
function installedConfig(file: string, before = 'model = "gpt-5"\n'): string {
  return withBlock(before, {
    trust: mpmHooksIn(file, HOOKS).map(({ key, hash }) => ({ key, hash })),
    mcp: { command: "sh", args: ["-c", "exec mpm mcp"] },
  });
}

function facts(over: Partial<CodexFacts> = {}): CodexFacts {
  return {
    found: true,
    version: "0.169.0",
    configShown: "~/.codex/config.toml",
    config: installedConfig(USER_FILE),
    hooks: [
      { scope: "user", path: USER_FILE, shown: "~/.codex/hooks.json", text: HOOKS },
      { scope: "project", path: PROJECT_FILE, shown: ".codex/hooks.json" },
    ],
    root: "/srv/app",
    ...over,
  };
}

const byStatus = (checks: ReturnType<typeof codexChecks>) =>
  checks.map((c) => `${c.id}:${c.status}`);

Deno.test("codex doctor: no Codex, no checks; installed and trusted, all ok", () => {
  assertEquals(codexChecks(facts({ found: false })), []);
  assertEquals(byStatus(codexChecks(facts())), ["codex:ok", "codex-hooks:ok"]);
});

Deno.test("codex doctor: a hook changed since it was trusted is one Codex will skip", () => {
  const edited = HOOKS.replace('"timeout": 10', '"timeout": 11');
  const checks = codexChecks(facts({
    hooks: [{ scope: "user", path: USER_FILE, shown: "~/.codex/hooks.json", text: edited }],
  }));
  const hooks = checks.find((c) => c.id === "codex-hooks")!;
  assertEquals(hooks.status, "fail");
  assertStringIncludes(hooks.message, "Codex will skip mpm's hooks in ~/.codex/hooks.json");
  assertStringIncludes(hooks.message, "SessionStart (trusted as it was before a change)");
  assertEquals(hooks.fix, "mpm hooks install --agent codex");
});

Deno.test("codex doctor: hooks not trusted at all, and a config defining hooks inline", () => {
  const untrusted = codexChecks(facts({ config: 'model = "gpt-5"\n' }));
  assertStringIncludes(untrusted[1].message, "SessionEnd (not trusted)");
  const inline = codexChecks(facts({ config: "hooks = { state = {} }\n" }));
  assertEquals(inline[1].status, "fail");
  assertStringIncludes(inline[1].message, "in ~/.codex/config.toml, hooks is set inline");
});

Deno.test("codex doctor: a project's hooks in a project Codex does not trust", () => {
  const config = installedConfig(PROJECT_FILE);
  const project = { scope: "project" as const, path: PROJECT_FILE, shown: ".codex/hooks.json" };
  const checks = codexChecks(facts({ config, hooks: [{ ...project, text: HOOKS }] }));
  assertEquals(byStatus(checks), ["codex:ok", "codex-hooks:ok", "codex-hooks:fail"]);
  assertStringIncludes(checks[2].message, "only in a project it trusts");
  const trusted = installedConfig(
    PROJECT_FILE,
    '[projects."/srv/app"]\ntrust_level = "trusted"\n',
  );
  assertEquals(
    byStatus(codexChecks(facts({ config: trusted, hooks: [{ ...project, text: HOOKS }] }))),
    ["codex:ok", "codex-hooks:ok"],
  );
});

Deno.test("codex doctor: an unknown version, and one that could not be read", () => {
  const newer = codexChecks(facts({ version: "0.170.1" }))[0];
  assertEquals(newer.status, "warn");
  assertStringIncludes(newer.message, "Codex CLI 0.170.1: mpm's Codex hooks were checked against");
  const unread = codexChecks(facts({ version: null, versionError: "timed out" }))[0];
  assertEquals([unread.status, unread.message.includes("timed out")], ["warn", true]);
  assertEquals(versionIn("codex-cli 0.169.0\n"), "0.169.0");
});

Deno.test("codex doctor: an MCP server named mpm that is not mpm's", () => {
  const theirs = 'model = "gpt-5"\n[mcp_servers.mpm]\ncommand = "npx"\nargs = ["other-tool"]\n';
  const checks = codexChecks(facts({ config: theirs }));
  const mcp = checks.find((c) => c.id === "codex-mcp")!;
  assertEquals(mcp.status, "warn");
  assertStringIncludes(mcp.message, "is not mpm's: it runs npx other-tool.");
  const own = codexChecks(facts({
    config: '[mcp_servers.mpm]\ncommand = "mpm"\nargs = ["mcp"]\n',
  })).find((c) => c.id === "codex-mcp")!;
  assertEquals(own.status, "info");
});

Deno.test("codex doctor: mpm's hooks not installed says how, and counts the person's skipped", () => {
  const theirs = JSON.stringify({
    hooks: { Stop: [{ hooks: [{ type: "command", command: "echo hi" }] }] },
  });
  const checks = codexChecks(facts({
    config: "",
    hooks: [{ scope: "user", path: USER_FILE, shown: "~/.codex/hooks.json", text: theirs }],
  }));
  assertEquals(checks[1].status, "info");
  assertStringIncludes(checks[1].message, "Codex will skip 1 untrusted hook(s) of yours");
  assertEquals(hookKey(USER_FILE, "Stop", 0, 0), `${USER_FILE}:stop:0:0`);
});

Deno.test("codex doctor: a config.toml or hooks.json Codex cannot read is named, with the fix", () => {
  const checks = codexChecks(facts({
    config: 'model = "o3\n',
    hooks: [{ scope: "user", path: USER_FILE, shown: "~/.codex/hooks.json", text: "{ broken" }],
  }));
  assertEquals(byStatus(checks), ["codex:ok", "codex-config:fail", "codex-hooks:fail"]);
  assertEquals(
    checks[1].message,
    "Codex cannot read ~/.codex/config.toml: it is not valid TOML (line 1, column 12: a string " +
      "is not closed).",
  );
  assertStringIncludes(checks[2].message, "Codex cannot read ~/.codex/hooks.json");
  assertEquals(
    checks[2].fix,
    "Fix ~/.codex/hooks.json (or move it away), then run mpm hooks install --agent codex.",
  );
});
