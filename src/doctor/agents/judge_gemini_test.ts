import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { GEMINI_FORMER_COMMANDS, GEMINI_HOOK_ENTRIES } from "../../agents/gemini/hooks.ts";
import { installHooks } from "../../claude/settings/hooks/settings.ts";
import { geminiChecks, type GeminiFacts, trustOf } from "./judge_gemini.ts";

const ROOT = "/srv/app";
const INSTALLED = (installHooks(undefined, GEMINI_HOOK_ENTRIES) as { ok: true; text: string })
  .text;

function facts(over: Partial<GeminiFacts> = {}): GeminiFacts {
  return {
    found: true,
    version: "0.61.0",
    settings: [
      { scope: "user", shown: "~/.gemini/settings.json", text: INSTALLED },
      { scope: "project", shown: ".gemini/settings.json" },
    ],
    trustShown: "~/.gemini/trustedFolders.json",
    trust: JSON.stringify({ [ROOT]: "TRUST_FOLDER" }),
    root: ROOT,
    ...over,
  };
}

const byStatus = (checks: ReturnType<typeof geminiChecks>) =>
  checks.map((c) => `${c.id}:${c.status}`);

/** The user's settings as install leaves them, with `extra` merged in at the top. */
function userSettings(extra: Record<string, unknown>) {
  return [
    {
      scope: "user" as const,
      shown: "~/.gemini/settings.json",
      text: JSON.stringify({ ...JSON.parse(INSTALLED), ...extra }),
    },
  ];
}

Deno.test("gemini doctor: no Gemini, no checks; installed in a trusted folder, all ok", () => {
  assertEquals(geminiChecks(facts({ found: false })), []);
  const checks = geminiChecks(facts());
  assertEquals(byStatus(checks), ["gemini:ok", "gemini-hooks:ok"]);
  assertStringIncludes(
    checks[1].message,
    "has mpm's hooks (SessionStart, AfterAgent, SessionEnd) in ~/.gemini",
  );
});

Deno.test("gemini doctor: not installed is said with the command that installs", () => {
  const checks = geminiChecks(
    facts({ settings: [{ scope: "user", shown: "~/.gemini/settings.json", text: "{}" }] }),
  );
  assertEquals(byStatus(checks), ["gemini:ok", "gemini-hooks:info"]);
  assertEquals(checks[1].fix, "mpm hooks install --agent gemini");
  // Half of mpm's hooks (one removed by hand): the rest is named, and install puts it back.
  const half = JSON.parse(INSTALLED);
  delete half.hooks.SessionEnd;
  const partial = geminiChecks(
    facts({
      settings: [{ scope: "user", shown: "~/.gemini/settings.json", text: JSON.stringify(half) }],
    }),
  );
  assertEquals(partial[1].status, "warn");
  assertStringIncludes(partial[1].message, "lack SessionEnd");
});

Deno.test("gemini doctor: a version other than 0.61.x, none read, no gemini on PATH", () => {
  const newer = geminiChecks(facts({ version: "0.63.1" }));
  assertEquals(newer[0].status, "warn");
  assertStringIncludes(
    newer[0].message,
    "Gemini CLI 0.63.1: mpm's Gemini hooks were checked against 0.61.x",
  );
  const unread = geminiChecks(facts({ version: null, versionError: "gemini --version exited 1" }));
  assertEquals(unread[0].status, "warn");
  assertStringIncludes(unread[0].message, "(gemini --version exited 1)");
  assertEquals(geminiChecks(facts({ version: undefined }))[0].status, "info");
});

Deno.test("gemini doctor: a folder Gemini does not trust runs no hooks; one it never asked about", () => {
  const refused = geminiChecks(facts({ trust: JSON.stringify({ [ROOT]: "DO_NOT_TRUST" }) }));
  const trust = refused.find((c) => c.id === "gemini-trust")!;
  assertEquals(trust.status, "fail");
  assertStringIncludes(trust.message, "runs no hooks in this project, mpm's nor yours");
  assertStringIncludes(trust.fix!, "/permissions");
  const unknown = geminiChecks(facts({ trust: undefined }));
  assertEquals(unknown.find((c) => c.id === "gemini-trust")?.status, "info");
  // Trusted another way: by the environment, or with folder trust off.
  assertEquals(byStatus(geminiChecks(facts({ trust: undefined, trustEnv: "true" }))).length, 2);
  const off = geminiChecks(
    facts({
      trust: undefined,
      settings: userSettings({ security: { folderTrust: { enabled: false } } }),
    }),
  );
  assertEquals(off.find((c) => c.id === "gemini-trust"), undefined);
  // Not installed: whether Gemini trusts the folder is not mpm's to say.
  const bare = geminiChecks(facts({ trust: undefined, settings: [] }));
  assertEquals(bare.find((c) => c.id === "gemini-trust"), undefined);
});

Deno.test("gemini doctor: trust as Gemini reads it, the longest rule winning", () => {
  assertEquals(trustOf({ "/srv": "TRUST_FOLDER" }, "/srv/app"), true);
  assertEquals(trustOf({ "/srv": "TRUST_FOLDER", "/srv/app": "DO_NOT_TRUST" }, "/srv/app"), false);
  // TRUST_PARENT names the folder one holds.
  assertEquals(trustOf({ "/srv/other": "TRUST_PARENT" }, "/srv/app"), true);
  assertEquals(trustOf({ "/srv/application": "TRUST_FOLDER" }, "/srv/app"), undefined);
  assertEquals(trustOf({}, "/srv/app"), undefined);
});

Deno.test("gemini doctor: hooks turned off or disabled by name are Gemini skipping mpm's", () => {
  const off = geminiChecks(facts({ settings: userSettings({ hooksConfig: { enabled: false } }) }));
  assertEquals(off[1].status, "fail");
  assertStringIncludes(off[1].message, "hooksConfig.enabled is false in ~/.gemini/settings.json");
  const end = GEMINI_HOOK_ENTRIES.find((e) => e.event === "SessionEnd")!.command;
  const named = geminiChecks(
    facts({ settings: userSettings({ hooksConfig: { disabled: [end] } }) }),
  );
  assertEquals(named[1].status, "fail");
  assertStringIncludes(named[1].message, "skips mpm's SessionEnd hook(s)");
});

Deno.test("gemini doctor: an MCP server called mpm that does not run mpm", () => {
  const theirs = geminiChecks(facts({
    settings: userSettings({
      mcpServers: { mpm: { command: "node", args: ["other.js", "\u001b[31mred"] } },
    }),
  }));
  const mcp = theirs.find((c) => c.id === "gemini-mcp")!;
  assertEquals(mcp.status, "warn");
  assertEquals(
    mcp.message,
    "Gemini's MCP server \"mpm\" in ~/.gemini/settings.json is not mpm's: it runs node other.js red.",
  );
  // mpm's own registration, as install writes it, is no finding.
  const ours = geminiChecks(facts({
    settings: userSettings({
      mcpServers: { mpm: { command: "sh", args: ["-c", 'exec "$m" mpm mcp'] } },
    }),
  }));
  assertEquals(ours.find((c) => c.id === "gemini-mcp"), undefined);
});

Deno.test("gemini doctor: an earlier mpm's waited-for hooks are named, with the install that replaces them", () => {
  const now = GEMINI_HOOK_ENTRIES.slice(1).map((entry) => JSON.stringify(entry.command));
  const earlier = INSTALLED.replaceAll(now[0], JSON.stringify(GEMINI_FORMER_COMMANDS[0]))
    .replaceAll(now[1], JSON.stringify(GEMINI_FORMER_COMMANDS[1]));
  const checks = geminiChecks(facts({
    settings: [{ scope: "user", shown: "~/.gemini/settings.json", text: earlier }],
  }));
  const hooks = checks.find((c) => c.id === "gemini-hooks")!;
  assertEquals(hooks.status, "warn");
  assertEquals(
    hooks.message,
    "mpm's AfterAgent, SessionEnd hook(s) in ~/.gemini/settings.json are an earlier mpm's: " +
      "Gemini waits for them after every reply and at exit.",
  );
  assertStringIncludes(hooks.fix!, "mpm hooks install --agent gemini");
  // As install leaves them now: no finding about them.
  assertEquals(geminiChecks(facts()).find((c) => c.id === "gemini-hooks")!.status, "ok");
});
