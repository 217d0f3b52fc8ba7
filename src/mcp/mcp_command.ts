/**
 * `mpm mcp`: the MCP server Claude Code starts; the front answers `initialize` before server.ts
 * loads. main.ts serves a bare `mpm mcp` the same way.
 */
import type { Declared } from "../cli/command.ts";
import { text } from "../cli/output.ts";
import { MpmError } from "../kernel/errors.ts";

export const mcpCommand: Declared = {
  details: `A Model Context Protocol server for the project it is started in, which the agent
starts on its own: \`mpm hooks install\` registers it (in Claude Code's local scope in
~/.claude.json, where a clone's .mcp.json cannot lend its name; with --agent codex or gemini, in
that agent's settings) and mpm's plugin carries it. Its tools: search, current_work (the active
session, its todos, the parent stack and the newest pause), show_session, show_handoff,
list_recent, team_work (\`mpm board\`), and the only writes, todo_add and todo_done.`,
  more: `Answers are redacted and bounded; a
teammate's or a clone's record is marked as such. It speaks JSON-RPC on stdout only and ends
when stdin closes. docs/format.md names each tool and its output.`,
  examples: ["mpm mcp", "claude mcp add mpm -- mpm mcp"],
  run: async (env) => {
    const { readChunk: read, out: write } = env;
    if (!read || !write) throw new MpmError("mpm mcp serves only on a process's stdin and stdout.");
    const { serveFront } = await import("./front.ts");
    await serveFront(
      { read, write, warn: env.warn },
      (send) => import("./server.ts").then((m) => m.sdkBackend(env, send)),
    );
    return text("");
  },
};
