/**
 * `mpm mcp`'s server, the only module importing the SDK: its low-level `Server`, so call.ts answers
 * bad arguments in one sentence.
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

/** The schema the SDK parses each served request with. */
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

/** The server behind the front; drained when stdin ends, so calls under way are answered first. */
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
