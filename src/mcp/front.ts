/**
 * `mpm mcp`'s stdio front: `initialize`, `tools/list` and unserved methods (2.1.330's first message
 * is a `server/discover` probe) are answered before the SDK loads, as Claude Code drops a slow
 * server.
 */
import { VERSION } from "../kernel/version.ts";
import { errorText } from "../kernel/errors.ts";
import { TOOL_LIST } from "./tool_list.ts";

/** What the client may pass on to the model about the server as a whole (MCP `instructions`). */
export const INSTRUCTIONS = "mpm keeps this project's line of work: the person's pauses (their " +
  "words, decisions, next steps), todos, Claude's handoffs and past conversations. Search it " +
  "before asking the person what was decided or tried; current_work tells where the work stands. " +
  "A teammate's or a clone's record is marked as such and is not the person's words.";

/** The server's name and version, as `initialize` gives them. */
export const SERVER_INFO = { name: "mpm", version: VERSION };

/** What the server offers: tools (their list does not change while it runs). */
export const CAPABILITIES = { tools: {} };

/** The protocol versions the SDK speaks, newest first (a test keeps them equal). */
export const PROTOCOL_VERSIONS = [
  "2025-11-25",
  "2025-06-18",
  "2025-03-26",
  "2024-11-05",
  "2024-10-07",
];

/** The longest line read: the SDK's own limit, 10 MiB. */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;

/** How much of a line too long is kept to find its id. */
const HEAD_BYTES = 4096;

/** A JSON-RPC message, as far as the front looks into it. */
export type Message = { jsonrpc: "2.0"; id?: string | number | null; [key: string]: unknown };

/** One line read: its text, or a line too long, of which only its head was kept. */
export type Line = { text: string } | { tooLong: string };

/** Splits a byte stream into lines of at most `max` bytes, keeping none longer. */
export class LineSplitter {
  #chunks: Uint8Array[] = [];
  #size = 0;
  /** The head of the line being skipped (too long), or null when none is. */
  #skipping: string | null = null;
  readonly #decoder = new TextDecoder();

  constructor(private readonly max = MAX_LINE_BYTES) {}

  /** The lines `chunk` ends. */
  push(chunk: Uint8Array): Line[] {
    const lines: Line[] = [];
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(10, from);
      const piece = chunk.subarray(from, newline === -1 ? chunk.length : newline);
      this.#take(piece);
      if (newline === -1) return lines;
      lines.push(this.#end());
      from = newline + 1;
    }
  }

  /** What is left at the end of input, as a last line (none when empty). */
  finish(): Line[] {
    return this.#size > 0 || this.#skipping !== null ? [this.#end()] : [];
  }

  #take(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (this.#skipping !== null) return;
    if (this.#size + piece.length > this.max) {
      const head = this.#joined().subarray(0, HEAD_BYTES);
      const room = HEAD_BYTES - head.length;
      const all = new Uint8Array(head.length + Math.max(0, Math.min(room, piece.length)));
      all.set(head);
      if (room > 0) all.set(piece.subarray(0, room), head.length);
      this.#skipping = this.#decoder.decode(all);
      this.#chunks = [];
      this.#size = 0;
      return;
    }
    // Copied: the reader reuses its buffer.
    this.#chunks.push(piece.slice());
    this.#size += piece.length;
  }

  #joined(): Uint8Array {
    if (this.#chunks.length === 1) return this.#chunks[0];
    const all = new Uint8Array(this.#size);
    let at = 0;
    for (const chunk of this.#chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return all;
  }

  #end(): Line {
    const line: Line = this.#skipping !== null
      ? { tooLong: this.#skipping }
      : { text: this.#decoder.decode(this.#joined()).replace(/\r$/, "") };
    this.#chunks = [];
    this.#size = 0;
    this.#skipping = null;
    return line;
  }
}

/** The id a line too long names in its first bytes, if it does (null: none found). */
export function idInHead(head: string): string | number | null {
  const match = head.match(
    /^\s*\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/,
  );
  if (!match) return null;
  try {
    const id = JSON.parse(match[1]);
    return typeof id === "number" || typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

/** JSON-RPC's error answer. */
export function errorAnswer(id: string | number | null, code: number, message: string): Message {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

/** The answer to `initialize` from the declaration, or null when the SDK must answer it. */
export function initializeAnswer(message: Message): Message | null {
  if (message.method !== "initialize" || isNotification(message)) return null;
  const params = message.params as { protocolVersion?: unknown } | undefined;
  const asked = params?.protocolVersion;
  if (typeof asked !== "string") return null;
  return {
    jsonrpc: "2.0",
    id: message.id,
    result: {
      protocolVersion: PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
      capabilities: CAPABILITIES,
      serverInfo: SERVER_INFO,
      instructions: INSTRUCTIONS,
    },
  };
}

/** `tools/list` from the declaration; null for a page after the first. */
export function toolsListAnswer(message: Message): Message | null {
  if (message.method !== "tools/list" || isNotification(message)) return null;
  const params = message.params as { cursor?: unknown } | undefined;
  if (params?.cursor !== undefined) return null;
  return { jsonrpc: "2.0", id: message.id, result: { tools: TOOL_LIST } };
}

/** The requests the SDK's server answers (server.ts): initialize and ping, and the tools'. */
export const SERVED_METHODS = ["initialize", "ping", "tools/list", "tools/call"];

/** Method not found for an unserved request, without loading the SDK; null otherwise. */
export function unservedAnswer(message: Message): Message | null {
  if (isNotification(message) || typeof message.method !== "string") return null;
  return SERVED_METHODS.includes(message.method)
    ? null
    : errorAnswer(message.id!, -32601, "Method not found");
}

/** A line's message: the message, or the error answer it gets instead. Pure. */
export function readLine(line: Line): { message: Message } | { answer: Message } | null {
  if ("tooLong" in line) {
    return {
      answer: errorAnswer(
        idInHead(line.tooLong),
        -32600,
        `Invalid Request: a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB was not read.`,
      ),
    };
  }
  if (line.text.trim() === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    return { answer: errorAnswer(null, -32700, "Parse error: a line that is not JSON.") };
  }
  const shaped = typeof value === "object" && value !== null && !Array.isArray(value) &&
    (value as Message).jsonrpc === "2.0";
  return shaped
    ? { message: value as Message }
    : { answer: errorAnswer(null, -32600, "Invalid Request.") };
}

/** The SDK's server as the front hands it messages (server.ts `sdkBackend`). */
export interface Backend {
  /** One message, in the order read. */
  deliver(message: Message): void;
  /** Waits until every call delivered is answered and sent, then closes the server. */
  drain(): Promise<void>;
}

/** Where the front reads and writes: the process's stdin and stdout, or a test's. */
export interface FrontIO {
  read(buffer: Uint8Array): Promise<number | null>;
  /** Writes at once; false once the reader went away. */
  write(text: string): Promise<boolean>;
  /** One sentence for the person on stderr. */
  warn(text: string): void;
}

/** Serves until the input ends; `load` makes the backend once. */
export async function serveFront(
  io: FrontIO,
  load: (send: (message: Message) => Promise<void>) => Promise<Backend>,
): Promise<void> {
  let writing = Promise.resolve();
  // The client went away: nothing more is read by anyone.
  let gone = false;
  const send = (message: Message): Promise<void> => {
    const line = JSON.stringify(message) + "\n";
    writing = writing.then(async () => {
      if (!gone) gone = !(await io.write(line).catch(() => false));
    });
    return writing;
  };
  // The ids of `initialize` answered here: the backend's answer to them is dropped.
  const answered = new Set<string | number>();
  const fromBackend = (message: Message): Promise<void> => {
    const id = message.id;
    if (!isNotification(message) && !("method" in message) && answered.delete(id!)) {
      return Promise.resolve();
    }
    return send(message);
  };
  let backend = null as Promise<Backend | null> | null;
  const loaded = () =>
    backend ??= load(fromBackend).catch((error) => {
      io.warn(`mpm mcp: its tools could not be loaded (${errorText(error)}); reinstall mpm.`);
      return null;
    });
  // The SDK loads at the first message needing it: before, a load would hold up a print-mode exit.
  let begun = false;
  let begin!: () => void;
  const started = new Promise<void>((resolve) => begin = resolve);
  const beginAfterWrites = () => {
    if (begun) return;
    begun = true;
    void writing.then(begin);
  };
  let delivered: Promise<unknown> = Promise.resolve();
  const handle = (line: Line) => {
    const read = readLine(line);
    if (read === null) return;
    if ("answer" in read) {
      void send(read.answer);
      return;
    }
    const { message } = read;
    const declared = toolsListAnswer(message) ?? unservedAnswer(message);
    if (declared) {
      void send(declared);
      return;
    }
    const quick = answered.size === 0 ? initializeAnswer(message) : null;
    if (quick) {
      answered.add(message.id!);
      void send(quick);
    } else if (!isNotification(message)) beginAfterWrites();
    // Everything not answered from declarations reaches the SDK, in order.
    delivered = delivered.then(() => started).then(loaded).then(async (server) => {
      if (server) server.deliver(message);
      else if (!quick && !isNotification(message) && "method" in message) {
        await send(errorAnswer(message.id!, -32603, "mpm's tools could not be loaded."));
      }
    });
  };
  const splitter = new LineSplitter();
  const buffer = new Uint8Array(64 * 1024);
  for (;;) {
    let read: number | null;
    try {
      read = await io.read(buffer);
    } catch {
      read = null;
    }
    if (read === null) break;
    for (const line of splitter.push(buffer.subarray(0, read))) handle(line);
  }
  for (const line of splitter.finish()) handle(line);
  // Nothing asked for the tools (the client left after the handshake): they are never loaded.
  if (begun) {
    await delivered;
    const server = await loaded();
    if (server) await server.drain();
  }
  await writing;
}

/** A notification: a message without an id, which gets no answer. */
function isNotification(message: Message): boolean {
  return message.id === undefined || message.id === null;
}
