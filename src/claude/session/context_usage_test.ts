import { assertEquals } from "../../../tests/assert.ts";
import {
  type ContextUsage,
  parseWindowOverride,
  payloadWindow,
  resolveWindow,
  scanTail,
  type UsageOptions,
} from "./context_usage.ts";

/** The context usage the lines show, or null when they show none. */
function contextUsage(lines: readonly string[], options: UsageOptions = {}): ContextUsage | null {
  const scan = scanTail(lines, options);
  return scan.found === "usage" ? scan.usage : null;
}

const MODEL = "claude-sonnet-4-5-20250929";

function assistant(
  input: number,
  creation: number,
  read: number,
  extra: { sidechain?: boolean; model?: string } = {},
): string {
  return JSON.stringify({
    type: "assistant",
    isSidechain: extra.sidechain ?? false,
    message: {
      role: "assistant",
      model: extra.model ?? MODEL,
      content: [{ type: "text", text: "ok" }],
      usage: {
        input_tokens: input,
        cache_creation_input_tokens: creation,
        cache_read_input_tokens: read,
        output_tokens: 500,
      },
    },
  });
}
const user = (text: string) =>
  JSON.stringify({ type: "user", isSidechain: false, message: { role: "user", content: text } });
const boundary = JSON.stringify({
  type: "system",
  subtype: "compact_boundary",
  isSidechain: false,
  content: "Conversation compacted",
  compactMetadata: { trigger: "auto", preTokens: 190500 },
});

Deno.test("usage is input + cache creation + cache read of the last main-thread entry", () => {
  const lines = [user("a"), assistant(1000, 2000, 3000), user("b"), assistant(4000, 10000, 130000)];
  // Sonnet 4.5's documented window is 200,000 tokens.
  assertEquals(contextUsage(lines), {
    tokens: 144000,
    window: 200000,
    percent: 72,
    model: MODEL,
    window_source: "model",
  });
  // A model id no table knows says nothing of its window: no guess, no percentage.
  const unknown = [assistant(4000, 10000, 130000, { model: "claude-opus-9" })];
  assertEquals(contextUsage(unknown), {
    tokens: 144000,
    window: null,
    percent: null,
    model: "claude-opus-9",
  });
});

Deno.test("the window order: status line record, override, reported, [1m], size, documented", () => {
  const sonnet = [assistant(4000, 10000, 130000)];
  // A 1M model at 144,000 tokens is far from a warning, whatever its id says.
  assertEquals(contextUsage(sonnet, { recordedWindow: 1_000_000 })?.percent, 14.4);
  assertEquals(
    contextUsage(sonnet, { recordedWindow: 1_000_000, windowOverride: 160_000 })?.window_source,
    "claude",
  );
  assertEquals(contextUsage(sonnet, { windowOverride: 160_000 })?.percent, 90);
  assertEquals(contextUsage(sonnet, { reportedWindow: 500_000 })?.window, 500_000);
  assertEquals(contextUsage(sonnet, { model: "sonnet[1m]" })?.window, 1_000_000);
  assertEquals(contextUsage([assistant(1, 0, 250_000)])?.window_source, "size");
  const opus = [assistant(4000, 10000, 130000, { model: "claude-opus-5-5" })];
  assertEquals(contextUsage(opus)?.percent, 14.4);
});

Deno.test("sidechain entries after the last main-thread entry do not count", () => {
  const lines = [
    assistant(2000, 10000, 48000),
    user("x"),
    assistant(5000, 20000, 160000, { sidechain: true }),
  ];
  assertEquals(contextUsage(lines)?.tokens, 60000);
  assertEquals(contextUsage(lines, { windowOverride: 200000 })?.percent, 30);
});

Deno.test("entries before the latest compact boundary do not count", () => {
  const before = [assistant(1500, 8000, 181000), boundary, user("go on")];
  // The prompt after it has no reply in the transcript yet.
  assertEquals(scanTail(before), { found: "boundary", behind: true });
  assertEquals(contextUsage(before), null);
  assertEquals(contextUsage([...before, assistant(3000, 12000, 40000)])?.tokens, 55000);
});

Deno.test("a model id with [1m] has a 1,000,000-token window; an override wins", () => {
  const lines = [assistant(5000, 100000, 495000, { model: `${MODEL}[1m]` })];
  assertEquals(contextUsage(lines), {
    tokens: 600000,
    window: 1000000,
    percent: 60,
    model: `${MODEL}[1m]`,
    window_source: "model",
  });
  assertEquals(contextUsage(lines, { windowOverride: 800000 })?.percent, 75);
  assertEquals(resolveWindow(["claude-opus-4-1[1M]-preview"], {}, 0).window, 1_000_000);
  assertEquals(resolveWindow([null], {}, 0).window, null);
});

Deno.test("more than 200,000 tokens under a model id without [1m] is read against 1,000,000", () => {
  const usage = contextUsage([assistant(5000, 100000, 195000)]);
  assertEquals([usage?.tokens, usage?.window, usage?.percent], [300000, 1000000, 30]);
  assertEquals(contextUsage([assistant(5000, 100000, 95000)])?.window, 200000);
  assertEquals(
    contextUsage([assistant(5000, 100000, 95000, { model: "claude-opus-9" })])?.window,
    null,
  );
  assertEquals(
    contextUsage([assistant(5000, 100000, 195000)], { windowOverride: 250000 })?.percent,
    120,
  );
});

Deno.test("a cut first line, blank lines and garbage are skipped", () => {
  const full = assistant(2000, 10000, 48000);
  const lines = [full.slice(40), "", "not json", "[1,2]", full, '{"type":"assistant"'];
  assertEquals(contextUsage(lines)?.tokens, 60000);
  assertEquals(scanTail([full.slice(40)]), { found: "nothing" });
  assertEquals(contextUsage([]), null);
});

Deno.test("synthetic and API-error assistant entries are skipped", () => {
  const synthetic = assistant(0, 0, 0, { model: "<synthetic>" });
  const apiError = JSON.stringify({ ...JSON.parse(assistant(0, 0, 0)), isApiErrorMessage: true });
  const lines = [assistant(2000, 10000, 48000), synthetic, apiError];
  assertEquals(contextUsage(lines)?.tokens, 60000);
});

Deno.test("an entry without usage numbers is not a measurement", () => {
  const noUsage = JSON.stringify({ type: "assistant", message: { model: MODEL, content: [] } });
  const badUsage = JSON.stringify({
    type: "assistant",
    message: { model: MODEL, usage: { input_tokens: "9" } },
  });
  assertEquals(contextUsage([assistant(1, 2, 3), noUsage, badUsage])?.tokens, 6);
});

Deno.test("parseWindowOverride takes whole positive numbers only", () => {
  assertEquals(parseWindowOverride("500000"), 500000);
  assertEquals(parseWindowOverride(" 1_000_000 "), 1000000);
  assertEquals(parseWindowOverride("1,000,000"), 1000000);
  assertEquals(parseWindowOverride("0"), undefined);
  assertEquals(parseWindowOverride("-5"), undefined);
  assertEquals(parseWindowOverride("1e6"), undefined);
  assertEquals(parseWindowOverride("big"), undefined);
  assertEquals(parseWindowOverride(""), undefined);
  assertEquals(parseWindowOverride(undefined), undefined);
});

Deno.test("a window Claude Code reports wins over the model id; the override wins over both", () => {
  // What 2.1.330 writes in print mode's result and cost records: modelUsage[model].contextWindow.
  const cost = JSON.stringify({
    type: "cost-state",
    modelUsage: { "claude-opus-5-5": { inputTokens: 150010, contextWindow: 1_000_000 } },
  });
  const lines = [cost, assistant(150000, 0, 0, { model: "claude-opus-5-5" })];
  assertEquals(contextUsage(lines), {
    tokens: 150000,
    window: 1_000_000,
    percent: 15,
    model: "claude-opus-5-5",
    window_source: "claude",
  });
  assertEquals(contextUsage(lines, { windowOverride: 200_000 })?.percent, 75);
  assertEquals(contextUsage([assistant(150000, 0, 0)], { reportedWindow: 500_000 })?.percent, 30);
});

Deno.test("the transcript's model entry and requestedModel can carry the [1m] option", () => {
  const modelEntry = JSON.stringify({
    type: "attachment",
    attachment: { type: "model", identity: { modelId: "claude-opus-5-5[1m]" } },
  });
  assertEquals(contextUsage([modelEntry, assistant(150000, 0, 0)])?.window, 1_000_000);
  const requested = JSON.stringify({
    ...JSON.parse(assistant(150000, 0, 0)),
    requestedModel: "opus[1m]",
  });
  assertEquals(contextUsage([requested])?.percent, 15);
  assertEquals(contextUsage([assistant(150000, 0, 0)], { model: "sonnet[1m]" })?.percent, 15);
});

Deno.test("payloadWindow reads the status line's shape and plain fields", () => {
  assertEquals(payloadWindow({ context_window: { context_window_size: 1_000_000 } }), 1_000_000);
  assertEquals(payloadWindow({ model: { id: "x", context_window: 200_000 } }), 200_000);
  assertEquals(payloadWindow({ contextWindow: 400_000 }), 400_000);
  assertEquals(payloadWindow({ context_window: "big", model: "claude" }), undefined);
});

Deno.test("a prompt or tool result newer than the last reply: the transcript is behind", () => {
  // Claude Code runs Stop a moment before it writes the reply that answered the prompt.
  assertEquals(scanTail([user("a")]), { found: "nothing", behind: true });
  const older = assistant(1000, 2000, 3000);
  assertEquals(scanTail([older, user("b")]), {
    found: "usage",
    usage: contextUsage([older])!,
    behind: true,
  });
  assertEquals(scanTail([user("a"), older]), { found: "usage", usage: contextUsage([older])! });
  // A subagent's prompt is not the main thread's.
  const sidechainUser = JSON.stringify({
    type: "user",
    isSidechain: true,
    message: { role: "user" },
  });
  assertEquals(scanTail([older, sidechainUser]), { found: "usage", usage: contextUsage([older])! });
});
