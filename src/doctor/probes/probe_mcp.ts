/**
 * `mpm mcp` as Claude Code starts it: when the project's `.mcp.json` registers mpm's server
 * (hooks/install/mcp_entry.ts), the mpm the hooks would find is started with `mcp` from the
 * project's root, asked `initialize` and `tools/list` over stdin, and its answer judged: the tools
 * it lists, or why it gave none. Read-only: listing tools changes nothing. JSON-RPC is spoken by
 * hand here, so doctor does not load the MCP SDK.
 */
import { join } from "../../kernel/path.ts";
import { errorText } from "../../kernel/errors.ts";
import { readTextIfExists } from "../../disk/files/atomic.ts";
import { MCP_FILE, MCP_SERVER, withoutMcpServer } from "../../hooks/install/mcp_entry.ts";
import type { Check } from "../judges/judge.ts";

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

/**
 * The check: `mpm` (the mpm the hooks find, or undefined) started as the registered server.
 * No check when nothing registers the server.
 */
export async function probeMcp(
  root: string,
  mpm: string | undefined,
  env: Record<string, string>,
): Promise<Check | undefined> {
  const text = await readTextIfExists(join(root, MCP_FILE)).catch(() => undefined);
  // Registered: mpm's own entry is there to take away.
  if (text === undefined || withoutMcpServer(text) === null) return undefined;
  if (mpm === undefined) {
    return {
      id: "mcp",
      status: "info",
      message: `MCP server "${MCP_SERVER}" in ${MCP_FILE}: not started, as mpm is not found.`,
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
        message: `MCP server "${MCP_SERVER}" (${MCP_FILE}) answers with ${tools.length} tools: ` +
          `${tools.join(", ")}.`,
      };
    }
    const said = new TextDecoder().decode(out.stderr).trim().split("\n")[0] || `exit ${out.code}`;
    return failed(said.slice(0, 200));
  } catch (error) {
    return failed(errorText(error));
  }
}

function failed(why: string): Check {
  return {
    id: "mcp",
    status: "warn",
    message: `MCP server "${MCP_SERVER}" (${MCP_FILE}) did not list its tools: ${why}.`,
    fix: "Run `mpm mcp` in the project to see what it says; `mpm hooks install` registers it anew.",
  };
}
