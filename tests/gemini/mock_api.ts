/**
 * A stand-in for Google's Gemini API on 127.0.0.1, for running the real Gemini CLI against a
 * script of answers and seeing exactly what it sent to the model.
 *
 * What Gemini CLI 0.61.0 calls, with `GOOGLE_GEMINI_BASE_URL` set to this server's address:
 * `POST /v1beta/models/<model>:streamGenerateContent?alt=sse` once per model turn (answered as
 * SSE, `data: <GenerateContentResponse>\n\n`), and `POST /v1beta/models/<model>:generateContent`
 * for its own side questions: the model router asks for JSON `{complexity_reasoning,
 * complexity_score}` (answered: simple), others get `{}` as JSON or the script's next text.
 * Anything else is a 404, listed in `others` so a test can notice.
 *
 * The request body: `contents` (`[{role: "user" | "model", parts: [{text}]}]`),
 * `systemInstruction`, `tools` (`[{functionDeclarations: [{name, …}]}]`), `generationConfig`.
 * A SessionStart hook's `additionalContext` arrives prepended to the first user message's text
 * as `<hook_context>…</hook_context>`; `requestText` flattens a request to search it.
 */

/** One scripted answer: the model's text. */
export interface MockReply {
  text: string;
}

/** A `generateContent` body as Gemini CLI sends it; only the parts tests look at are typed. */
export interface GenerateRequest {
  contents?: { role?: string; parts?: { text?: string; [key: string]: unknown }[] }[];
  systemInstruction?: unknown;
  tools?: { functionDeclarations?: { name?: string; [key: string]: unknown }[] }[];
  generationConfig?: { responseJsonSchema?: unknown; responseSchema?: unknown };
  [key: string]: unknown;
}

export interface MockApi extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`: `GOOGLE_GEMINI_BASE_URL`. */
  baseUrl: string;
  /** Every `streamGenerateContent` body (the conversation's turns), in order. */
  requests: GenerateRequest[];
  /** Every `generateContent` body (the client's side questions), in order. */
  side: GenerateRequest[];
  /** Other requests: `METHOD path`. */
  others: string[];
}

/** What the mock answers once its script has no more answers. */
export const SCRIPT_EXHAUSTED = "(mock API: the script has no more answers)";

const USAGE = { promptTokenCount: 100, candidatesTokenCount: 10, totalTokenCount: 110 };

function answer(text: string, model: string) {
  return {
    candidates: [{
      content: { role: "model", parts: [{ text }] },
      finishReason: "STOP",
      index: 0,
    }],
    usageMetadata: USAGE,
    modelVersion: model,
  };
}

/** The router's question, answered "simple"; any other JSON question gets `{}`. */
function sideAnswer(body: GenerateRequest): string {
  const asked = JSON.stringify(body);
  if (asked.includes("complexity_score")) {
    return JSON.stringify({ complexity_reasoning: "A short request.", complexity_score: 10 });
  }
  return "{}";
}

/** Starts the mock on a free port of 127.0.0.1; dispose it to stop. */
export function startMockApi(script: MockReply[] = []): MockApi {
  const requests: GenerateRequest[] = [];
  const side: GenerateRequest[] = [];
  const others: string[] = [];
  let turn = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    const model = /\/models\/([^:/]+):/.exec(path)?.[1] ?? "gemini-mock";
    if (req.method === "POST" && path.endsWith(":streamGenerateContent")) {
      const body = await req.json() as GenerateRequest;
      requests.push(body);
      const reply = script[turn++] ?? { text: SCRIPT_EXHAUSTED };
      return new Response(`data: ${JSON.stringify(answer(reply.text, model))}\n\n`, {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      });
    }
    if (req.method === "POST" && path.endsWith(":generateContent")) {
      const body = await req.json() as GenerateRequest;
      side.push(body);
      return Response.json(answer(sideAnswer(body), model));
    }
    if (req.method === "POST" && path.endsWith(":countTokens")) {
      await req.body?.cancel();
      return Response.json({ totalTokens: 100 });
    }
    others.push(`${req.method} ${path}`);
    await req.body?.cancel();
    return Response.json({ error: { code: 404, message: "not found", status: "NOT_FOUND" } }, {
      status: 404,
    });
  });
  const { port } = server.addr as Deno.NetAddr;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    side,
    others,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** Every string in a request's system instruction and contents, joined: what the model was told. */
export function requestText(request: GenerateRequest): string {
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(request.systemInstruction);
  walk(request.contents);
  return out.join("\n");
}

/** The names of the tools a request offers the model (MCP tools included). */
export function toolNames(request: GenerateRequest): string[] {
  return (request.tools ?? []).flatMap((tool) =>
    (tool.functionDeclarations ?? []).map((f) => f.name).filter((n): n is string =>
      typeof n === "string"
    )
  );
}
