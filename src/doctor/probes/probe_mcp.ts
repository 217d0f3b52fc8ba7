/**
 * `mpm mcp` as Claude Code starts it, asked `initialize` and `tools/list`; JSON-RPC by hand, so
 * doctor does not load the SDK.
 */
import { errorText } from "../../kernel/errors.ts";
import { oneLine } from "../../kernel/safe_text/one_line.ts";
import { OthersFileError, readOthersText } from "../../disk/files/shared/others_file.ts";
import {
  borrowedApprovals,
  MCP_SERVER,
  mcpAddCommand,
  mcpRegistration,
  unreadableClause,
  unregistrable,
} from "../../hooks/install/mcp_entry.ts";
import { projectEntry, turnedOff } from "../../claude/settings/mcp/claude_json.ts";
import {
  approvedProjectServer,
  approvedServerFix,
  approvedServerSentence,
} from "../../hooks/install/approved_server.ts";
import type { Check } from "../judges/judge.ts";

/** Where the server is registered: `~/.claude.json` (as shown) and the project's key there. */
export interface McpRegistry {
  file: string;
  shown: string;
  project: string;
}

/** The server's start and two answers: a cold `deno run` takes about a second. */
export const MCP_PROBE_MS = 10_000;

const REQUESTS = [
  {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "mpm-doctor", version: "1" },
    },
  },
  { jsonrpc: "2.0", method: "notifications/initialized" },
  { jsonrpc: "2.0", id: 2, method: "tools/list" },
].map((message) => JSON.stringify(message)).join("\n") + "\n";

/** The names `tools/list` gave in `stdout` (JSON-RPC lines), or null when it gave none. */
export function listedTools(stdout: string): string[] | null {
  for (const line of stdout.split("\n")) {
    try {
      const message = JSON.parse(line);
      const tools = message?.id === 2 ? message.result?.tools : undefined;
      if (Array.isArray(tools)) return tools.map((tool) => String(tool?.name));
    } catch {
      // Not JSON-RPC: judged below, by what was not listed.
    }
  }
  return null;
}

/** The checks of the registered server, its command and its answer. */
export async function probeMcp(
  root: string,
  registry: McpRegistry | undefined,
  plugin: string | undefined,
  mpm: string | undefined,
  env: Record<string, string>,
  hooksHere = false,
): Promise<Check[]> {
  let text: string | undefined;
  let unreadable: string | undefined;
  if (registry !== undefined) {
    try {
      text = (await readOthersText(registry.file))?.text;
    } catch (error) {
      unreadable = error instanceof OthersFileError
        ? unreadableClause(error.reason)
        : `cannot be read (${errorText(error)})`;
    }
  }
  const found = registry === undefined || unreadable !== undefined
    ? undefined
    : mcpRegistration(text, registry.project);
  const approved = await approvedProjectServer(
    root,
    found === undefined ? undefined : {
      shown: registry!.shown,
      values: () => Promise.resolve(projectEntry(text, registry!.project)),
    },
  ).catch(() => undefined);
  const borrowed: Check[] = [
    ...(approved === undefined ? [] : [{
      id: "mcp",
      status: "warn" as const,
      message: approvedServerSentence(
        approved,
        found?.state === "missing" || found?.state === "problem" ? "missing" : "registered",
      ),
      fix: approvedServerFix(approved),
    }]),
    ...(await borrowedApprovals(root, approved !== undefined).catch(() => [])).map((
      message,
    ): Check => ({
      id: "mcp",
      status: "warn",
      message,
      fix: "Leave the project's own servers unapproved; `mpm hooks install` registers mpm's.",
    })),
  ];
  if (registry === undefined) return borrowed;
  if (found === undefined) {
    return hooksHere ? [...borrowed, unreadableRegistry(registry, unreadable!)] : borrowed;
  }
  if (found.state === "missing" || found.state === "problem") {
    const check = unregisteredCheck(registry, found, text !== undefined);
    return hooksHere ? [...borrowed, check] : borrowed;
  }
  if (found.state === "other") {
    return [...borrowed, {
      id: "mcp",
      status: "warn",
      message: `The "${MCP_SERVER}" MCP server registered for this project in ${registry.shown} ` +
        `is not mpm's own command: ${oneLine(JSON.stringify(found.other), 200)}.`,
      fix: `claude mcp remove --scope local ${MCP_SERVER}, then mpm hooks install (if that is ` +
        "not a server of yours).",
    }];
  }
  if (plugin !== undefined) {
    borrowed.push({
      id: "mcp",
      status: "warn",
      message: `Two mpm MCP servers: mpm's plugin (${plugin}) starts one, and \`mpm hooks ` +
        `install\` registered another in ${registry.shown}: Claude sees every tool twice.`,
      fix: `claude mcp remove --scope local ${MCP_SERVER}`,
    });
  }
  if (turnedOff(text, registry.project, MCP_SERVER)) {
    // Claude Code starts no server turned off in `/mcp`: nothing to start here either.
    return [...borrowed, {
      id: "mcp",
      status: "info",
      message: `MCP server "${MCP_SERVER}" (${registry.shown}): off for this project, turned ` +
        "off in Claude Code's /mcp: Claude does not see mpm's tools.",
      fix: "To turn it on again: /mcp in Claude Code, then mpm, then Enable.",
    }];
  }
  return [...borrowed, await started(registry, root, mpm, env)];
}

/** mpm's hooks are installed here but its server is not registered. */
function unregisteredCheck(
  registry: McpRegistry,
  found: { state: "missing" } | { state: "problem"; problem: string; invalidJson?: string },
  exists: boolean,
): Check {
  if (found.state === "missing") {
    return {
      id: "mcp",
      status: "warn",
      message: `MCP server "${MCP_SERVER}": not registered for this project (${registry.shown}${
        exists ? "" : " does not exist"
      }), though mpm's hooks are installed here: Claude cannot search mpm's records.`,
      fix: "mpm hooks install (it adds only what is missing)",
    };
  }
  return {
    id: "mcp",
    status: "warn",
    message: `MCP server "${MCP_SERVER}": not registered: ${unregistrable(found, registry.shown)}.`,
    fix: found.invalidJson === undefined
      ? `Fix ${registry.shown} by hand, then run mpm hooks install.`
      : `Fix the JSON of ${registry.shown} by hand, then run mpm hooks install.`,
  };
}

/** `~/.claude.json` could not be read; it is Claude Code's, so mpm never moves or removes it. */
function unreadableRegistry(registry: McpRegistry, why: string): Check {
  return {
    id: "mcp",
    status: "warn",
    message: `MCP server "${MCP_SERVER}": ${registry.shown} ${why}, so mpm cannot read it, ` +
      "and whether mpm's server is registered for this project is not known.",
    fix: `Claude Code keeps its state in ${registry.shown}: once it can read that file, register ` +
      `mpm's server in the project with ${mcpAddCommand()}`,
  };
}

async function started(
  registry: McpRegistry,
  root: string,
  mpm: string | undefined,
  env: Record<string, string>,
): Promise<Check> {
  if (mpm === undefined) {
    return {
      id: "mcp",
      status: "info",
      message: `MCP server "${MCP_SERVER}" (${registry.shown}): not started, as mpm is not found.`,
    };
  }
  try {
    const child = new Deno.Command(mpm, {
      args: ["mcp"],
      cwd: root,
      env,
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), MCP_PROBE_MS);
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(REQUESTS));
    await writer.close();
    const out = await child.output().finally(() => clearTimeout(timer));
    const tools = listedTools(new TextDecoder().decode(out.stdout));
    if (tools !== null) {
      return {
        id: "mcp",
        status: "ok",
        message: `MCP server "${MCP_SERVER}" (${registry.shown}, this project's local scope) ` +
          `answers with ${tools.length} tools: ` +
          `${tools.join(", ")}.`,
      };
    }
    const said = new TextDecoder().decode(out.stderr).trim().split("\n")[0] || `exit ${out.code}`;
    return failed(registry, said.slice(0, 200));
  } catch (error) {
    return failed(registry, errorText(error));
  }
}

function failed(registry: McpRegistry, why: string): Check {
  return {
    id: "mcp",
    status: "warn",
    message: `MCP server "${MCP_SERVER}" (${registry.shown}) did not list its tools: ${why}.`,
    fix: "Run `mpm mcp` in the project to see what it says; `mpm hooks install` registers it anew.",
  };
}
