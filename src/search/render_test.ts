import { assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import { style } from "../kernel/format/style.ts";
import { renderSearch, searchJson } from "./render.ts";
import type { Hit } from "./sources.ts";

function hit(time: string | null, text: string, extra: Partial<Hit> = {}): Hit {
  const at = text.indexOf("ledger");
  return {
    time,
    source: "transcript",
    kind: "prompt",
    session: "s-1a2b3c4d5e",
    claude_session: "cadbfc5a",
    text,
    match: [at, at + 6],
    file: null,
    open: "claude --resume cadbfc5a",
    ...extra,
  };
}

Deno.test("renderSearch: time, session, source, the match marked, and what reopens it", () => {
  const result = {
    query: "ledger",
    regex: false,
    tools: false,
    since: null,
    total: 3,
    hits: [hit("2026-11-23T10:00:00.000Z", "fix the ledger\nrounding \x1b[31mnow")],
    notes: [],
  };
  const lines = renderSearch(result, style(false), false);
  assertEquals(lines[0], '3 matches for "ledger", the newest 1:');
  assertEquals(lines[2], "2026-11-23 10:00 UTC  s-1a2b3c4d5e  transcript · prompt");
  assertEquals(lines[3], "  fix the «ledger» rounding now", "one line, no terminal controls");
  assertEquals(lines[4], "  claude --resume cadbfc5a");
  assertStringIncludes(lines.join("\n"), "2 more: --limit 0 shows all.");
  const json = searchJson(result);
  assertEquals(json.hits[0].excerpt.slice(...json.hits[0].match), "ledger");
  assertEquals(renderSearch({ ...result, total: 0, hits: [] }, style(false), false), [
    'Nothing matches "ledger" (tool output is searched with --tools).',
  ]);
});

Deno.test("renderSearch shows a hit through the one show function: an unredacted record's token redacted", () => {
  const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
  const result = {
    query: "ledger",
    regex: false,
    tools: false,
    since: null,
    total: 1,
    hits: [hit("2026-11-23T10:00:00.000Z", `ledger pushed with ${token} \x1b]0;t\x07`)],
    notes: [],
  };
  const text = renderSearch(result, style(false), false).join("\n");
  assertStringIncludes(text, "[REDACTED:");
  assertEquals(text.includes("ghp_"), false);
  assertEquals(text.includes("\x1b"), false);
});

Deno.test("renderSearch says a long query back on one bounded line", () => {
  const query = `ledger\n${"x".repeat(100_000)}`;
  const result = {
    query,
    regex: false,
    tools: false,
    since: null,
    total: 1,
    hits: [hit("2026-11-23T10:00:00.000Z", "fix the ledger")],
    notes: [],
  };
  const header = renderSearch(result, style(false), false)[0];
  assertEquals(header.startsWith('1 match for "ledger\\nxxx'), true, header.slice(0, 40));
  assertStringIncludes(header, 'x…", newest first:');
  assertEquals(header.length < 260, true, `${header.length} characters`);
  const none = renderSearch({ ...result, total: 0, hits: [] }, style(false), false);
  assertEquals(none.length, 1);
  assertEquals(none[0].length < 260, true, `${none[0].length} characters`);
  // The JSON keeps the query as given.
  assertEquals(searchJson(result).query, query);
});

Deno.test("searchJson and renderSearch redact the excerpt again: a secret beside the match is never shown", () => {
  const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB";
  const result = {
    query: "ledger",
    regex: false,
    tools: false,
    since: null,
    total: 1,
    hits: [hit("2026-11-23T10:00:00.000Z", `the ledger key is ${token} for now`)],
    notes: [],
  };
  const [json] = searchJson(result).hits;
  assertEquals(json.excerpt, "the ledger key is [REDACTED:github-token] for now");
  assertEquals(json.excerpt.slice(...json.match), "ledger");
  const lines = renderSearch(result, style(false), false);
  assertEquals(lines[3], "  the «ledger» key is [REDACTED:github-token] for now");
});
