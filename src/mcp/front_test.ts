import { assert, assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import {
  type Backend,
  idInHead,
  initializeAnswer,
  LineSplitter,
  type Message,
  PROTOCOL_VERSIONS,
  serveFront,
} from "./front.ts";
import { sdkBackend } from "./server.ts";
import type { Env } from "../cli/env.ts";

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

const env = {
  cwd: "/nonexistent",
  vars: {},
  now: () => new Date(),
  warn: () => {},
  isTTY: false,
  stderrIsTTY: false,
  color: false,
  readStdin: () => Promise.resolve(""),
  execPath: Deno.execPath(),
  mainModule: "file:///main.ts",
} satisfies Env;

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
const LIST = { jsonrpc: "2.0", id: 2, method: "tools/list" };

Deno.test("the front answers initialize before the tools' code loads, and even when it fails to", async () => {
  const warnings: string[] = [];
  const messages = await front(
    line(INITIALIZE) + line(LIST),
    () => Promise.reject(new Error("Module not found: tools.ts")),
    warnings,
  );
  assertEquals(messages[0], initializeAnswer(INITIALIZE));
  assertEquals(messages[1].id, 2);
  assertEquals((messages[1].error as { code: number }).code, -32603);
  assertEquals(warnings.length, 1);
  assertStringIncludes(warnings[0], "could not be loaded (Module not found: tools.ts)");
});

Deno.test("the front starts loading only once the initialize answer is written; the SDK's own answer to it is dropped", async () => {
  let writtenAtLoad: string[] = [];
  const out: string[] = [];
  const messages = await front(
    line(INITIALIZE) + line(LIST),
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
  assertEquals(messages.map((m) => m.id), [1, 2]);
  assertEquals(messages[0], initializeAnswer(INITIALIZE));
  assertEquals(messages[1].result, { from: "backend" });
});
