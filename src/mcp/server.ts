/**
 * `mpm mcp`'s server: the official MCP SDK's low-level `Server`, serving the tools of tools.ts for
 * the project it was started in, behind the stdio front (front.ts), which reads the lines,
 * answers `initialize` before this module loads, and hands it every message. Only this module
 * (loaded only by the mcp command, after the front answered `initialize`) imports the SDK, and
 * only its subpaths (server, types), so no other command's start-up pays for it.
 *
 * The low-level server, not `McpServer`: call.ts checks the arguments itself, so a bad argument
 * or an unknown tool is an error result in one sentence (McpServer answers them with zod's
 * whole report), and the tools' JSON Schemas come from the same zod schemas. A request the SDK
 * cannot parse at all (a `tools/call` without a tool name, arguments that are not an object) is
 * JSON-RPC's Invalid params in one sentence (invalid_params.ts), checked before the SDK sees it.
 *
 * Lifecycle: JSON-RPC on stdout and nothing else (warnings go to stderr); the server ends when
 * its stdin closes (the client went away), and each call finishes before the answer is sent, so
 * no lock is held between calls.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type CallToolRequest,
  CallToolRequestSchema,
  InitializeRequestSchema,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Env } from "../cli/env.ts";
import { callTool, listed } from "./call.ts";
import { TOOLS } from "./tools.ts";
import { invalidParamsAnswer } from "./invalid_params.ts";
import {
  type Backend,
  CAPABILITIES,
  errorAnswer,
  INSTRUCTIONS,
  type Message,
  SERVER_INFO,
} from "./front.ts";

export { INSTRUCTIONS };

/**
 * The schema the SDK's server parses each request it serves with (front.ts SERVED_METHODS). A
 * request that fails it is answered here (invalid_params.ts): the SDK would answer it with its
 * validator's whole report, as an internal error.
 */
export const REQUEST_SCHEMAS = {
  "initialize": InitializeRequestSchema,
  "ping": PingRequestSchema,
  "tools/list": ListToolsRequestSchema,
  "tools/call": CallToolRequestSchema,
} as const;

/** Whether `message` is a request whose params the SDK's schema for its method refuses. */
function refusedParams(message: JSONRPCMessage): boolean {
  if (!("method" in message) || !("id" in message)) return false;
  const schema = (REQUEST_SCHEMAS as Record<string, typeof PingRequestSchema>)[message.method];
  return schema !== undefined && !schema.safeParse(message).success;
}

/** The server, its tools answering for the project of `env.cwd`; `track` sees each call. */
export function mcpServer(
  env: Env,
  track: <T>(work: Promise<T>) => Promise<T> = (work) => work,
): Server {
  const server = new Server(
    { ...SERVER_INFO },
    { capabilities: CAPABILITIES, instructions: INSTRUCTIONS },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS.map(listed) }));
  server.setRequestHandler(
    CallToolRequestSchema,
    (request: CallToolRequest) =>
      track(callTool(env, request.params.name, request.params.arguments)),
  );
  return server;
}

/**
 * The server behind the stdio front: it sends with `send`, and is drained when stdin ends — the
 * calls under way are finished and answered first (a client may close stdin right after its last
 * request: a todo added is said to be).
 */
export async function sdkBackend(
  env: Env,
  send: (message: Message) => Promise<void>,
): Promise<Backend> {
  const pending = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    work.then(() => pending.delete(work), () => pending.delete(work));
    return work;
  };
  // Each answer is tracked until it is written, as well as each call until it is answered.
  const transport: Transport = {
    start: () => Promise.resolve(),
    send: (message: JSONRPCMessage) => track(send(message as Message)),
    close: () => {
      transport.onclose?.();
      return Promise.resolve();
    },
  };
  const server = mcpServer(env, track);
  await server.connect(transport);
  return {
    deliver(message) {
      // What the front let through is JSON with `"jsonrpc": "2.0"`; the SDK's schema says the rest.
      const checked = JSONRPCMessageSchema.safeParse(message);
      if (!checked.success) void track(send(errorAnswer(null, -32600, "Invalid Request.")));
      else if (refusedParams(checked.data)) void track(send(invalidParamsAnswer(message)));
      else transport.onmessage?.(checked.data as JSONRPCMessage);
    },
    async drain() {
      // A turn between looks: an answered call's reply is sent in the SDK's next steps.
      do {
        await Promise.allSettled([...pending]);
        await new Promise((resolve) => setTimeout(resolve, 0));
      } while (pending.size > 0);
      await server.close();
    },
  };
}
