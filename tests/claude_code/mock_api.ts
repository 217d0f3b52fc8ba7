/**
 * A stand-in for the Anthropic Messages API on 127.0.0.1, for running the real Claude Code
 * against a script of answers and seeing exactly what it sent to the model.
 *
 * What Claude Code 2.1.330 calls (with `ANTHROPIC_BASE_URL` set, `ANTHROPIC_API_KEY=test` and
 * `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1`): only `POST /v1/messages?beta=true`, once per
 * model turn, always with `"stream": true`. No model lookup, no count_tokens, no telemetry. The
 * other routes answered here (`/v1/messages/count_tokens`, `/v1/models[/id]`) are minimal in case
 * another version or feature asks; anything else is a 404 in the API's error shape, and is listed
 * in `others` so a test can notice.
 *
 * The request body (as 2.1.330 sends it): `model` ("claude-opus-5-5" by default), `max_tokens`,
 * `stream`, `thinking`, `metadata`, `context_management`, `output_config`, `tools` (Agent, Bash,
 * Edit, Read, Skill, ToolSearch, Write…, each `{name, description, input_schema}`), `system` (an
 * array of text blocks: a billing header, "You are a Claude agent…", the main prompt), and
 * `messages`. Claude Code puts context in `messages`, not in `system`: the user's turn starts
 * with `<system-reminder>` text blocks, and a `{"role": "system"}` message follows it with the
 * environment, the model's name, deferred tools and agent types. A SessionStart hook's
 * `additionalContext` lands at the top of that system message, as
 * "SessionStart hook additional context: <text>\n\n# Environment…" (a plain string from the
 * second request on). A tool's outcome comes back in the next request's last message:
 * `{"role": "user", "content": [{"type": "tool_result", "tool_use_id", "content": "Exit code 2\n…",
 * "is_error": true}]}` for a failed Bash command.
 *
 * The streaming answer is the API's SSE: `event: NAME\ndata: JSON\n\n` for message_start (the
 * message with empty content and input usage), ping, then per block content_block_start (`text`
 * with "" or `tool_use` with `{id, name, input: {}}`), content_block_delta (`text_delta` or
 * `input_json_delta` with `partial_json`), content_block_stop, then message_delta (`stop_reason`
 * "end_turn" or "tool_use", output usage) and message_stop. A non-streaming request gets the
 * same message as one JSON object.
 */

/** One scripted answer: text, or a tool call (with optional text before it). */
export type MockReply =
  | { text: string; usage?: MockUsage; model?: string }
  | {
    toolUse: { name: string; input: Record<string, unknown>; id?: string };
    text?: string;
    usage?: MockUsage;
    model?: string;
  };

/** Token counts the answer reports (Claude Code's context meter reads these). */
export interface MockUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/** A `POST /v1/messages` body as Claude Code sends it; only the parts tests look at are typed. */
export interface MessagesRequest {
  model: string;
  stream?: boolean;
  system?: string | { type: string; text: string }[];
  messages: { role: string; content: string | ContentBlock[] }[];
  tools?: { name: string; description?: string; input_schema?: unknown }[];
  [key: string]: unknown;
}

export interface ContentBlock {
  type: string;
  text?: string;
  [key: string]: unknown;
}

export interface MockApi extends AsyncDisposable {
  /** The base URL for `ANTHROPIC_BASE_URL` ("http://127.0.0.1:PORT"). */
  url: string;
  /** Every `POST /v1/messages` body, parsed, in arrival order. */
  requests: MessagesRequest[];
  /** Calls to anything other than `/v1/messages` ("GET /v1/models"…), in arrival order. */
  others: string[];
}

/** What the model answers once the script has run out: visible in the result, never silent. */
export const SCRIPT_EXHAUSTED = "(mock API: the script has no more answers)";

/**
 * Starts the mock on a free port. `script` is answered in order, one entry per request; a
 * function instead chooses each answer from the request (its index counts from 0).
 */
export function startMockApi(
  script: MockReply[] | ((request: MessagesRequest, index: number) => MockReply),
): MockApi {
  const requests: MessagesRequest[] = [];
  const others: string[] = [];
  const next = typeof script === "function"
    ? script
    : (_: MessagesRequest, index: number) => script[index] ?? { text: SCRIPT_EXHAUSTED };

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === "POST" && path === "/v1/messages") {
      const body = await req.json() as MessagesRequest;
      const index = requests.push(body) - 1;
      const message = assistantMessage(next(body, index), body.model, index);
      return body.stream ? streamed(message) : Response.json(message);
    }
    others.push(`${req.method} ${path}`);
    if (req.method === "POST" && path === "/v1/messages/count_tokens") {
      // Roughly four characters a token, which is all a client uses this for.
      return Response.json({ input_tokens: Math.ceil((await req.text()).length / 4) });
    }
    if (req.method === "GET" && path === "/v1/models") {
      return Response.json({ data: [model("claude-opus-5-5")], has_more: false });
    }
    if (req.method === "GET" && path.startsWith("/v1/models/")) {
      return Response.json(model(decodeURIComponent(path.slice("/v1/models/".length))));
    }
    return Response.json(
      { type: "error", error: { type: "not_found_error", message: `No route ${path}` } },
      { status: 404 },
    );
  });

  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    others,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function model(id: string) {
  return { type: "model", id, display_name: id, created_at: "2026-01-01T00:00:00Z" };
}

interface AssistantMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: ContentBlock[];
  stop_reason: "end_turn" | "tool_use";
  stop_sequence: null;
  usage: Required<MockUsage>;
}

function assistantMessage(reply: MockReply, requested: string, index: number): AssistantMessage {
  const content: ContentBlock[] = [];
  if (reply.text !== undefined) content.push({ type: "text", text: reply.text });
  if ("toolUse" in reply) {
    const { name, input, id } = reply.toolUse;
    content.push({ type: "tool_use", id: id ?? `toolu_mock_${index + 1}`, name, input });
  }
  return {
    id: `msg_mock_${index + 1}`,
    type: "message",
    role: "assistant",
    model: reply.model ?? requested,
    content,
    stop_reason: "toolUse" in reply ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: 10,
      output_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      ...reply.usage,
    },
  };
}

/** The message as the API streams it: SSE events, one content block at a time. */
function streamed(message: AssistantMessage): Response {
  const events: [string, unknown][] = [];
  const { output_tokens, ...inputUsage } = message.usage;
  events.push(["message_start", {
    type: "message_start",
    message: {
      ...message,
      content: [],
      stop_reason: null,
      usage: { ...inputUsage, output_tokens: 1 },
    },
  }]);
  events.push(["ping", { type: "ping" }]);
  message.content.forEach((block, index) => {
    const start = block.type === "text" ? { ...block, text: "" } : { ...block, input: {} };
    const delta = block.type === "text"
      ? { type: "text_delta", text: block.text }
      : { type: "input_json_delta", partial_json: JSON.stringify(block.input) };
    events.push(["content_block_start", {
      type: "content_block_start",
      index,
      content_block: start,
    }]);
    events.push(["content_block_delta", { type: "content_block_delta", index, delta }]);
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
  });
  events.push(["message_delta", {
    type: "message_delta",
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens },
  }]);
  events.push(["message_stop", { type: "message_stop" }]);
  const body = events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    .join("");
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

/** All the text of a request's messages (and system prompt), for "did X reach the model". */
export function requestText(request: MessagesRequest): string {
  const parts: string[] = [];
  const add = (content: string | ContentBlock[] | undefined) => {
    if (typeof content === "string") parts.push(content);
    else for (const block of content ?? []) parts.push(blockText(block));
  };
  add(request.system);
  for (const message of request.messages) add(message.content);
  return parts.join("\n");
}

function blockText(block: ContentBlock): string {
  if (typeof block.text === "string") return block.text;
  const content = block.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((inner) => blockText(inner)).join("\n");
  return "";
}

/** The tool results a request carries (the outcome of the previous answer's tool calls). */
export function toolResults(request: MessagesRequest): ContentBlock[] {
  return request.messages.flatMap((message) =>
    typeof message.content === "string"
      ? []
      : message.content.filter((block) => block.type === "tool_result")
  );
}
