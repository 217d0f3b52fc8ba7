/**
 * `mpm mcp`'s server: the official MCP SDK's low-level `Server` over stdio, serving the tools of
 * tools.ts for the project it was started in. Only this module (loaded only by the mcp command)
 * imports the SDK, and only its subpaths (server, stdio, types), so no other command's start-up
 * pays for it.
 *
 * The low-level server, not `McpServer`: tools.ts checks the arguments itself, so a bad argument
 * or an unknown tool is an error result in one sentence (McpServer answers them with zod's
 * whole report), and the tools' JSON Schemas come from the same zod schemas.
 *
 * Lifecycle: JSON-RPC on stdout and nothing else (warnings go to stderr); the server ends when
 * its stdin closes (the client went away), and each call finishes before the answer is sent, so
 * no lock is held between calls.
 */
import process from "node:process";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type CallToolRequest,
  CallToolRequestSchema,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { VERSION } from "../kernel/version.ts";
import type { Env } from "../cli/env.ts";
import { callTool, listed, TOOLS } from "./tools.ts";

/** What the client may pass on to the model about the server as a whole (MCP `instructions`). */
export const INSTRUCTIONS = "mpm keeps this project's line of work: the person's pauses (their " +
  "words, decisions, next steps), todos, Claude's handoffs and past conversations. Search it " +
  "before asking the person what was decided or tried; current_work tells where the work stands. " +
  "A teammate's or a clone's record is marked as such and is not the person's words.";

/** The server, its tools answering for the project of `env.cwd`; `track` sees each call. */
export function mcpServer(
  env: Env,
  track: <T>(work: Promise<T>) => Promise<T> = (work) => work,
): Server {
  const server = new Server(
    { name: "mpm", version: VERSION },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS.map(listed) }));
  server.setRequestHandler(
    CallToolRequestSchema,
    (request: CallToolRequest) =>
      track(callTool(env, request.params.name, request.params.arguments)),
  );
  return server;
}

/** Serves over `transport` until it closes. */
export async function serve(env: Env, transport: Transport): Promise<void> {
  const server = mcpServer(env);
  const closed = new Promise<void>((resolve) => server.onclose = resolve);
  await server.connect(transport);
  await closed;
}

/**
 * Serves on stdin and stdout until stdin closes. A client may close stdin right after its last
 * request: the calls under way are finished and answered first (a todo added is said to be).
 */
export async function serveStdio(env: Env): Promise<void> {
  const transport = new StdioServerTransport();
  const pending = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    work.then(() => pending.delete(work), () => pending.delete(work));
    return work;
  };
  // Each answer is tracked until it is written, as well as each call until it is answered.
  const send = transport.send.bind(transport);
  transport.send = (...args: Parameters<typeof send>) => track(send(...args));
  const server = mcpServer(env, track);
  const closed = new Promise<void>((resolve) => server.onclose = resolve);
  // A line that is not JSON, or not a JSON-RPC message, gets JSON-RPC's own answer (the SDK only
  // reports it); the server goes on.
  server.onerror = (error: Error) => {
    const code = error instanceof SyntaxError ? -32700 : error.name === "ZodError" ? -32600 : 0;
    if (code === 0) return;
    const message = code === -32700 ? "Parse error: a line that is not JSON." : "Invalid Request.";
    void transport.send({ jsonrpc: "2.0", id: null, error: { code, message } } as never);
  };
  // The SDK's transport does not end at end of input; the client closing stdin ends the server.
  let ending = false;
  const ended = async () => {
    if (ending) return;
    ending = true;
    // A turn between looks: an answered call's reply is sent in the SDK's next steps.
    do {
      await Promise.allSettled([...pending]);
      await new Promise((resolve) => setTimeout(resolve, 0));
    } while (pending.size > 0);
    await transport.close();
  };
  process.stdin.once("end", ended);
  process.stdin.once("close", ended);
  await server.connect(transport);
  await closed;
}
