import { assert, assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import {
  type Backend,
  idInHead,
  initializeAnswer,
  LineSplitter,
  type Message,
  PROTOCOL_VERSIONS,
  SERVED_METHODS,
  serveFront,
  toolsListAnswer,
  unservedAnswer,
} from "./front.ts";
import { mcpServer, REQUEST_SCHEMAS, sdkBackend } from "./server.ts";
import { listed } from "./call.ts";
import { TOOLS } from "./tools.ts";
import { TOOL_LIST } from "./tool_list.ts";
import { quietEnv } from "../../tests/mcp/mcp_helpers.ts";

const encode = (text: string) => new TextEncoder().encode(text);

const INITIALIZE: Message = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "t", version: "1" },
  },
};

Deno.test("LineSplitter: lines across chunks, CRLF, the rest at the end", () => {
  const lines = new LineSplitter(100);
  assertEquals(lines.push(encode("ab")), []);
  assertEquals(lines.push(encode("c\r\nd\ne")), [{ text: "abc" }, { text: "d" }]);
  assertEquals(lines.finish(), [{ text: "e" }]);
  assertEquals(lines.finish(), []);
});

Deno.test("LineSplitter: a line over the limit is skipped to its newline, keeping only its head", () => {
  const lines = new LineSplitter(10);
  assertEquals(lines.push(encode('{"id":3,')), []);
  assertEquals(lines.push(encode("x".repeat(50))), []);
  const [long, next] = lines.push(encode('yy\n{"ok":1}\n'));
  assert("tooLong" in long);
  assert(long.tooLong.startsWith('{"id":3,xx'));
  assertEquals(next, { text: '{"ok":1}' });
});

Deno.test("idInHead: the top level's id, never one inside params", () => {
  assertEquals(idInHead('{"jsonrpc":"2.0","id":12,"method":"x"'), 12);
  assertEquals(idInHead('{"id":"a\\"b","method"'), 'a"b');
  assertEquals(idInHead('{"method":"x","params":{"id":5}'), null);
  assertEquals(idInHead("not json at all"), null);
});

Deno.test("the front's protocol versions are the SDK's", () => {
  assertEquals(PROTOCOL_VERSIONS, SUPPORTED_PROTOCOL_VERSIONS);
});

Deno.test("the declared tools are tools.ts's (else: run scripts/mcp_tool_list.ts)", () => {
  const json = (value: unknown) => JSON.parse(JSON.stringify(value));
  assertEquals(json(TOOL_LIST), json(TOOLS.map(listed)));
});

const env = quietEnv("/nonexistent", {});

Deno.test("the front's initialize answer is the SDK server's, for a known and an unknown version", async () => {
  for (const protocolVersion of ["2025-06-18", "1999-01-01"]) {
    const message = { ...INITIALIZE, params: { ...INITIALIZE.params as object, protocolVersion } };
    const sent: Message[] = [];
    const backend = await sdkBackend(env, (m) => {
      sent.push(m);
      return Promise.resolve();
    });
    backend.deliver(message);
    await backend.drain();
    assertEquals(sent, [initializeAnswer(message)!]);
  }
});

Deno.test("the methods the front leaves to the SDK are those its server has handlers for", () => {
  const handlers = (mcpServer(env) as unknown as { _requestHandlers: Map<string, unknown> })
    ._requestHandlers;
  assertEquals([...handlers.keys()].sort(), [...SERVED_METHODS].sort());
});

Deno.test("a request the SDK cannot parse is Invalid params in one sentence, and the server goes on", async () => {
  assertEquals(Object.keys(REQUEST_SCHEMAS).sort(), [...SERVED_METHODS].sort());
  const call = (id: number, params?: unknown): Message => ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    ...(params === undefined ? {} : { params }),
  });
  const sent: Message[] = [];
  const backend = await sdkBackend(env, (m) => {
    sent.push(m);
    return Promise.resolve();
  });
  backend.deliver(INITIALIZE);
  backend.deliver({ jsonrpc: "2.0", method: "notifications/initialized" });
  backend.deliver(call(2, {}));
  backend.deliver(call(3, { name: "search", arguments: "str" }));
  backend.deliver(call(4));
  backend.deliver({ jsonrpc: "2.0", id: 5, method: "tools/list", params: { cursor: 5 } });
  backend.deliver(call(6, { name: "nope" }));
  await backend.drain();
  const errors: Record<string, { code: number; message: string }> = Object.fromEntries(
    sent.filter((m) => m.error).map((m) => [m.id, m.error]),
  );
  assertEquals(Object.keys(errors).sort(), ["2", "3", "4", "5"]);
  for (const error of Object.values(errors)) {
    assertEquals(error.code, -32602);
    assert(/^[^\n]{1,200}\.$/.test(error.message), error.message);
  }
  assertStringIncludes(errors[2].message, "tools/call needs a tool name: one of search,");
  assertEquals(errors[4].message, errors[2].message);
  assertStringIncludes(errors[3].message, "must be an object of the tool's inputs, not a string");
  assertStringIncludes(errors[5].message, "tools/list's cursor must be a string");
  // A well-formed call to a tool mpm does not have is still the tool's error result.
  const unknown = sent.find((m) => m.id === 6)?.result as { isError?: boolean };
  assertEquals(unknown?.isError, true);
});

Deno.test("the front's Method not found is the SDK server's, before and after initialize", async () => {
  const probe: Message = {
    jsonrpc: "2.0",
    id: "server-discover-probe-1",
    method: "server/discover",
  };
  const prompts: Message = { jsonrpc: "2.0", id: 7, method: "prompts/list" };
  const sent: Message[] = [];
  const backend = await sdkBackend(env, (m) => {
    sent.push(m);
    return Promise.resolve();
  });
  backend.deliver(probe);
  backend.deliver(INITIALIZE);
  backend.deliver(prompts);
  await backend.drain();
  // By id: the SDK answers initialize a step later than an unknown method.
  const byId = (list: Message[]) => [...list].sort((a, b) => String(a.id) < String(b.id) ? -1 : 1);
  assertEquals(
    byId(sent),
    byId([unservedAnswer(probe)!, initializeAnswer(INITIALIZE)!, unservedAnswer(prompts)!]),
  );
  assertEquals(unservedAnswer({ jsonrpc: "2.0", id: 1, method: "tools/call" }), null);
  assertEquals(unservedAnswer({ jsonrpc: "2.0", method: "notifications/initialized" }), null);
});

/** A front over `input`'s lines, with `load` for the backend; what it wrote, line by line. */
async function front(
  input: string,
  load: (send: (message: Message) => Promise<void>) => Promise<Backend>,
  warnings: string[] = [],
  out: string[] = [],
): Promise<Message[]> {
  let left = encode(input);
  await serveFront({
    read: (buffer) => {
      if (left.length === 0) return Promise.resolve(null);
      const n = Math.min(buffer.length, left.length);
      buffer.set(left.subarray(0, n));
      left = left.subarray(n);
      return Promise.resolve(n);
    },
    write: (text) => {
      out.push(text);
      return Promise.resolve(true);
    },
    warn: (text) => warnings.push(text),
  }, load);
  return out.join("").trimEnd().split("\n").map((line) => JSON.parse(line));
}

const line = (m: unknown) => JSON.stringify(m) + "\n";
const LIST: Message = { jsonrpc: "2.0", id: 2, method: "tools/list" };
const CALL: Message = {
  jsonrpc: "2.0",
  id: 3,
  method: "tools/call",
  params: { name: "current_work", arguments: {} },
};

Deno.test("the front answers initialize and tools/list before the tools' code loads, and even when it fails to", async () => {
  const warnings: string[] = [];
  const messages = await front(
    line(INITIALIZE) + line(LIST) + line(CALL),
    () => Promise.reject(new Error("Module not found: tools.ts")),
    warnings,
  );
  assertEquals(messages[0], initializeAnswer(INITIALIZE));
  assertEquals(messages[1], toolsListAnswer(LIST));
  assertEquals(messages[2].id, 3);
  assertEquals((messages[2].error as { code: number }).code, -32603);
  assertEquals(warnings.length, 1);
  assertStringIncludes(warnings[0], "could not be loaded (Module not found: tools.ts)");
});

Deno.test("the front starts loading only once the initialize answer is written; the SDK's own answer to it is dropped", async () => {
  let writtenAtLoad: string[] = [];
  const out: string[] = [];
  const messages = await front(
    line(INITIALIZE) + line(CALL),
    (send) => {
      writtenAtLoad = [...out];
      return Promise.resolve({
        deliver: (m) => {
          void send({ jsonrpc: "2.0", id: m.id, result: { from: "backend" } });
        },
        drain: () => Promise.resolve(),
      });
    },
    [],
    out,
  );
  assertEquals(writtenAtLoad, [line(initializeAnswer(INITIALIZE))]);
  assertEquals(messages.map((m) => m.id), [1, 3]);
  assertEquals(messages[0], initializeAnswer(INITIALIZE));
  assertEquals(messages[1].result, { from: "backend" });
});

Deno.test("the front loads the tools at the first call, and not at all when nothing calls one", async () => {
  const notified: Message = { jsonrpc: "2.0", method: "notifications/initialized" };
  let loads = 0;
  const messages = await front(line(INITIALIZE) + line(notified) + line(LIST), () => {
    loads++;
    return Promise.reject(new Error("not wanted"));
  });
  assertEquals(loads, 0);
  assertEquals(messages, [initializeAnswer(INITIALIZE), toolsListAnswer(LIST)]);

  let writtenAtLoad: string[] = [];
  const delivered: Message[] = [];
  const out: string[] = [];
  await front(
    line(INITIALIZE) + line(notified) + line(LIST) + line(CALL),
    () => {
      writtenAtLoad = [...out];
      return Promise.resolve({
        deliver: (m) => void delivered.push(m),
        drain: () => Promise.resolve(),
      });
    },
    [],
    out,
  );
  assertEquals(writtenAtLoad, [line(initializeAnswer(INITIALIZE)), line(toolsListAnswer(LIST))]);
  // The SDK's server still hears the handshake, in order; the list was answered already.
  assertEquals(delivered, [INITIALIZE, notified, CALL]);
});

Deno.test("the front answers Claude Code's server/discover probe itself, without loading the tools", async () => {
  const probe: Message = {
    jsonrpc: "2.0",
    id: "server-discover-probe-1",
    method: "server/discover",
    params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } },
  };
  let loads = 0;
  const messages = await front(line(probe) + line(INITIALIZE) + line(LIST), () => {
    loads++;
    return Promise.reject(new Error("not wanted"));
  });
  assertEquals(loads, 0);
  assertEquals(messages, [
    {
      jsonrpc: "2.0",
      id: "server-discover-probe-1",
      error: { code: -32601, message: "Method not found" },
    },
    initializeAnswer(INITIALIZE),
    toolsListAnswer(LIST),
  ]);

  // Loaded later for a call, the SDK's server never hears the probe (it would answer it again).
  const delivered: Message[] = [];
  await front(line(probe) + line(INITIALIZE) + line(CALL), () =>
    Promise.resolve({
      deliver: (m) => void delivered.push(m),
      drain: () => Promise.resolve(),
    }));
  assertEquals(delivered, [INITIALIZE, CALL]);
});
