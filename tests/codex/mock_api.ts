/**
 * A stand-in for OpenAI's Responses API on 127.0.0.1, for running the real Codex CLI against a
 * script of answers and seeing exactly what it sent to the model.
 *
 * What Codex CLI 0.169.0 calls, with a `[model_providers.mock]` whose `base_url` is this server's
 * `/v1` and `wire_api = "responses"`: `POST /v1/responses` with `"stream": true`, once per model
 * turn. It may also ask `GET /v1/models`: answered with an empty list. Anything else is a 404,
 * listed in `others` so a test can notice.
 *
 * The request body: `model`, `instructions` (the system prompt), `input` (an array of items:
 * `{type: "message", role: "developer" | "user" | "assistant", content: [{type: "input_text",
 * text}]}`…), `tools`, `stream`… A SessionStart hook's `additionalContext` arrives as a developer
 * (or user) message's text in `input`; `requestText` flattens a request to search it.
 *
 * The streaming answer is SSE, `event: NAME\ndata: JSON\n\n`, in this order: response.created,
 * response.output_item.added (the assistant message, empty), response.output_text.delta (the
 * text), response.output_item.done (the message, whole), response.completed (with usage). A
 * tool call is a `function_call` item instead of the message, with no delta; Codex sends its
 * result back as a `function_call_output` item of the next request's `input`.
 */

/**
 * One scripted answer: the assistant's text, or (`call`) a call of one of the tools the request
 * offered; an MCP server's tool is named within its namespace (`mcp__mpm` and `search`).
 */
export interface MockReply {
  text: string;
  call?: { namespace?: string; name: string; arguments: Record<string, unknown> };
}

/** A `POST /responses` body as Codex sends it; only the parts tests look at are typed. */
export interface ResponsesRequest {
  model: string;
  stream?: boolean;
  instructions?: string;
  input?: unknown[];
  tools?: { type?: string; name?: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface MockApi extends AsyncDisposable {
  /** `http://127.0.0.1:PORT/v1`: the provider's `base_url`. */
  baseUrl: string;
  /** Every `POST /responses` body, in order. */
  requests: ResponsesRequest[];
  /** Other requests: `METHOD path`. */
  others: string[];
}

/** What the mock answers once its script has no more answers. */
export const SCRIPT_EXHAUSTED = "(mock API: the script has no more answers)";

/** Starts the mock on a free port of 127.0.0.1; dispose it to stop. */
export function startMockApi(script: MockReply[] = []): MockApi {
  const requests: ResponsesRequest[] = [];
  const others: string[] = [];
  let turn = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === "POST" && path.endsWith("/responses")) {
      const body = await req.json() as ResponsesRequest;
      requests.push(body);
      // The TUI's side request for a task title (a JSON schema for its answer) is answered
      // apart, so that the script's answers go to the turns, in order.
      const titling = JSON.stringify(body.text ?? null).includes('"title"');
      const reply = titling
        ? { text: JSON.stringify({ title: "Mock task" }) }
        : script[turn++] ?? { text: SCRIPT_EXHAUSTED };
      return new Response(sse(reply, body.model, requests.length), {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      });
    }
    if (req.method === "GET" && path.endsWith("/models")) {
      return Response.json({ object: "list", data: [], models: [] });
    }
    others.push(`${req.method} ${path}`);
    await req.body?.cancel();
    return Response.json({ error: { message: "not found", type: "not_found" } }, { status: 404 });
  });
  const { port } = server.addr as Deno.NetAddr;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    others,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** The SSE stream of one answer. */
function sse(reply: MockReply, model: string, turn: number): string {
  const id = `resp_mock_${turn}`;
  const itemId = `msg_mock_${turn}`;
  const response = (status: string, output: unknown[]) => ({
    id,
    object: "response",
    created_at: 1_700_000_000 + turn,
    status,
    model,
    output,
  });
  const message = (text: string, status: string) => ({
    type: "message",
    id: itemId,
    status,
    role: "assistant",
    content: text === "" ? [] : [{ type: "output_text", text, annotations: [] }],
  });
  const call = reply.call && {
    type: "function_call",
    id: `fc_mock_${turn}`,
    call_id: `call_mock_${turn}`,
    ...reply.call,
    arguments: JSON.stringify(reply.call.arguments),
  };
  const done = call ? { ...call, status: "completed" } : message(reply.text, "completed");
  const events: [string, unknown][] = [
    ["response.created", { type: "response.created", response: response("in_progress", []) }],
    ["response.output_item.added", {
      type: "response.output_item.added",
      output_index: 0,
      item: call ? { ...call, status: "in_progress", arguments: "" } : message("", "in_progress"),
    }],
    ...(call ? [] : [["response.output_text.delta", {
      type: "response.output_text.delta",
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      delta: reply.text,
    }] as [string, unknown]]),
    ["response.output_item.done", {
      type: "response.output_item.done",
      output_index: 0,
      item: done,
    }],
    ["response.completed", {
      type: "response.completed",
      response: {
        ...response("completed", [done]),
        usage: {
          input_tokens: 100,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: 10,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 110,
        },
      },
    }],
  ];
  return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join("");
}

/** Every string in a request's `instructions` and `input`, joined: what the model was told. */
export function requestText(request: ResponsesRequest): string {
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(request.instructions);
  walk(request.input);
  return out.join("\n");
}

/** The names of the tools a request offers the model (MCP tools included). */
export function toolNames(request: ResponsesRequest): string[] {
  const names: string[] = [];
  for (const tool of request.tools ?? []) {
    if (typeof tool.name === "string") names.push(tool.name);
    // A namespace of tools (an MCP server's) lists its own.
    const inner = (tool as { tools?: unknown }).tools;
    if (Array.isArray(inner)) {
      for (const t of inner) if (typeof t?.name === "string") names.push(t.name);
    }
  }
  return names;
}
