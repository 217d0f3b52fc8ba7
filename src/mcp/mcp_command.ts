/**
 * `mpm mcp`: the Model Context Protocol server Claude Code starts (src/mcp/server.ts). The SDK
 * is imported only when the command runs.
 */
import type { Command } from "../cli/command.ts";
import { text } from "../cli/output.ts";

export const mcpCommand: Command = {
  name: "mcp",
  summary: "Serve mpm's records to Claude as MCP tools (a server on stdin and stdout).",
  details: `A Model Context Protocol server for the project it is started in, which Claude
Code starts on its own: \`mpm hooks install\` registers it (the \`mpm\` server in the
project's .mcp.json) and mpm's plugin carries it. Its tools: search (what \`mpm search\`
finds), current_work (the active session, its todos, the parent stack and the newest
pause), show_session, show_handoff, list_recent, team_work (who works on what: \`mpm
board\`), and the only writes, todo_add and todo_done. Answers are redacted and bounded; a teammate's or a clone's record is marked
as such. It speaks JSON-RPC on stdout only and ends when stdin closes. docs/format.md
names each tool and its output.`,
  examples: ["mpm mcp", "claude mcp add mpm -- mpm mcp"],
  run: async (env) => {
    const { serveStdio } = await import("./server.ts");
    await serveStdio(env);
    return text("");
  },
};
