import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertMatch, assertNotIncludes } from "../../../tests/assert.ts";
import { modelId, parsePayload } from "./payload.ts";

const PAYLOADS = fileURLToPath(
  new URL("../../../tests/fixtures/claude-code/payloads/", import.meta.url),
);
const read = (name: string) => Deno.readTextFileSync(join(PAYLOADS, name));

const EVENTS: Record<string, string> = {
  "post-tool-use-failure.json": "PostToolUseFailure",
  "pre-compact-auto.json": "PreCompact",
  "session-end.json": "SessionEnd",
  "session-start-compact.json": "SessionStart",
  "session-start-resume.json": "SessionStart",
  "session-start-startup.json": "SessionStart",
  "stop.json": "Stop",
  "stop-failure.json": "StopFailure",
  "user-prompt-submit.json": "UserPromptSubmit",
};

Deno.test("every recorded payload parses", () => {
  const names = [...Deno.readDirSync(PAYLOADS)].map((entry) => entry.name).filter((name) =>
    name.endsWith(".json")
  );
  assertEquals(names.sort(), Object.keys(EVENTS).sort());
  for (const name of names) {
    const result = parsePayload(read(name));
    assert(result.ok, `${name}: ${result.ok ? "" : result.error}`);
    assertEquals(result.payload.hook_event_name, EVENTS[name]);
    assertEquals(result.payload.session_id, "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11");
  }
});

Deno.test("event fields come through, unknown fields are kept", () => {
  const start = parsePayload(read("session-start-resume.json"));
  assert(start.ok && start.payload.hook_event_name === "SessionStart");
  assertEquals(start.payload.source, "resume");
  assertEquals(start.payload.cwd, "/home/dev/shop/src");

  const failure = parsePayload(read("post-tool-use-failure.json"));
  assert(failure.ok && failure.payload.hook_event_name === "PostToolUseFailure");
  assertEquals(failure.payload.tool_name, "Bash");
  assertEquals(failure.payload.tool_input, { command: "npm test", description: "Run tests" });
  assertEquals(failure.payload.duration_ms, 8123);

  const compact = parsePayload(read("pre-compact-auto.json"));
  assert(compact.ok && compact.payload.hook_event_name === "PreCompact");
  assertEquals(compact.payload.trigger, "auto");

  const stop = parsePayload(read("stop.json"));
  assert(stop.ok && stop.payload.hook_event_name === "Stop");
  assertEquals(stop.payload.stop_hook_active, false);

  const future = parsePayload(
    '{"session_id":"s","cwd":"/p","hook_event_name":"SessionStart","source":"teleport","new_field":[1]}',
  );
  assert(future.ok);
  assertEquals((future.payload as Record<string, unknown>).new_field, [1]);
  assert(parsePayload('{"session_id":"s","cwd":"/p","hook_event_name":"PostCompact"}').ok);
});

Deno.test("the truncated payload is refused with a one-line reason", () => {
  const result = parsePayload(read("malformed.txt"));
  assert(!result.ok);
  assertMatch(result.error, /^the hook payload is not valid JSON \(.+\)$/);
  assert(!result.error.includes("\n"));
});

Deno.test("bad payloads are refused without throwing and without echoing the input", () => {
  const cases: [string, RegExp][] = [
    ["", /is empty/],
    ["   \n", /is empty/],
    ["[1, 2]", /not a JSON object/],
    ["null", /not a JSON object/],
    ["password=hunter2 not json", /not valid JSON/],
    ['{"cwd":"/p","hook_event_name":"Stop","stop_hook_active":false}', /has no session_id/],
    ['{"session_id":"s","cwd":"/p","hook_event_name":"Stop"}', /has no stop_hook_active/],
    [
      '{"session_id":"s","cwd":"/p","hook_event_name":"SessionEnd","reason":7}',
      /reason is invalid/,
    ],
    ['{"session_id":"s","cwd":"","hook_event_name":"Stop","stop_hook_active":true}', /cwd/],
  ];
  for (const [text, reason] of cases) {
    const result = parsePayload(text);
    assert(!result.ok, text);
    assertMatch(result.error, reason);
    assertNotIncludes(result.error, "hunter2");
  }
});

Deno.test("a model is recorded only when it has a model id's shape", () => {
  for (
    const model of [
      "claude-sonnet-4-5-20250929",
      "claude-opus-4-1[1m]",
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "anthropic/claude-sonnet-4.5",
      "opus",
    ]
  ) {
    assertEquals(modelId(model), model);
  }
  const token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
  for (
    const model of [
      `claude-sonnet-4-5 ${token} \u001b]0;pwned\u0007`,
      "claude\u001b[2J",
      "a".repeat(101),
      "",
      42,
      null,
    ]
  ) {
    assertEquals(modelId(model), null);
  }
});

Deno.test("Codex's null transcript_path and last_assistant_message read as absent, not invalid", () => {
  // Codex CLI 0.169.0's schemas: both are NullableString (`codex exec --ephemeral` keeps no
  // rollout; a turn can end with no message).
  const start = parsePayload(JSON.stringify({
    session_id: "019a",
    transcript_path: null,
    cwd: "/p",
    hook_event_name: "SessionStart",
    model: "gpt-5",
    permission_mode: "default",
    source: "startup",
  }));
  assert(start.ok, start.ok ? "" : start.error);
  assertEquals(start.payload.transcript_path, undefined);
  const stop = parsePayload(JSON.stringify({
    session_id: "019a",
    transcript_path: null,
    cwd: "/p",
    hook_event_name: "Stop",
    model: "gpt-5",
    permission_mode: "default",
    stop_hook_active: false,
    last_assistant_message: null,
    turn_id: "t",
  }));
  assert(stop.ok, stop.ok ? "" : stop.error);
  assertEquals("last_assistant_message" in stop.payload, false);
  // Another field's null is still refused.
  const bad = parsePayload('{"session_id":null,"cwd":"/p","hook_event_name":"Stop"}');
  assert(!bad.ok);
});
