import { assert, assertEquals } from "../../../tests/assert.ts";
import { CODEX_HOOK_ENTRIES, eventLabel, hookHash, hookKey, hooksIn, mpmHooksIn } from "./hooks.ts";
import { codexAgent } from "./agent.ts";

// Goldens from Codex CLI 0.169.0's own `codex app-server` `hooks/list` (`currentHash`).
const COMMAND = `cat > /tmp/codexprobe/ss.json; echo '{"hookSpecificOutput":` +
  `{"hookEventName":"SessionStart","additionalContext":"MPM-CONTEXT-XYZ"}}'`;

Deno.test("hookHash: the hash Codex 0.169.0 reports for a hook with its default timeout", () => {
  assertEquals(
    hookHash({ event: "SessionStart", command: COMMAND, timeout: 600 }),
    "sha256:e1bf85e10809082b5eb261c01df263328cdc746d3095ed78b8d1eb43bb08a2c3",
  );
  assertEquals(
    hookHash({ event: "SessionEnd", command: "cat > /tmp/codexprobe/end.json", timeout: 1 }),
    "sha256:e0768f68c1ca7d5c1aa1fb8ddef0b6629452ecd1973d0cd875790d2b4ffa06fa",
  );
});

Deno.test("hooksIn: a hook with no timeout gets Codex's default (SessionEnd 1 s), keyed by place", () => {
  const text = JSON.stringify({
    hooks: {
      SessionEnd: [{ hooks: [{ type: "command", command: "cat > /tmp/codexprobe/end.json" }] }],
      Stop: [{ hooks: [] }, { matcher: "x", hooks: [{ type: "command", command: "a" }] }],
    },
  });
  const found = hooksIn("/h/hooks.json", text);
  assertEquals(found.map((h) => [h.key, h.timeout]), [
    ["/h/hooks.json:session_end:0:0", 1],
    ["/h/hooks.json:stop:1:0", 600],
  ]);
  assertEquals(hookHash(found[0]).slice(0, 15), "sha256:e0768f68");
});

Deno.test("eventLabel and hookKey name events as Codex does", () => {
  assertEquals(eventLabel("UserPromptSubmit"), "user_prompt_submit");
  assertEquals(hookKey("/a/hooks.json", "Stop", 2, 0), "/a/hooks.json:stop:2:0");
});

Deno.test("install appends mpm's hooks after the person's, whose keys stay; uninstall is exact", () => {
  const theirs =
    '{\n  "hooks": {\n    "SessionStart": [\n      { "hooks": [{ "type": "command", "command": "echo mine" }] }\n    ]\n  }\n}\n';
  const installed = codexAgent.hooks.install(theirs);
  if (!installed.ok) throw new Error(installed.reason);
  const keys = mpmHooksIn("/f", installed.text).map((h) => h.key);
  assertEquals(keys, ["/f:session_start:1:0", "/f:stop:0:0", "/f:session_end:0:0"]);
  assertEquals(hooksIn("/f", installed.text)[0].key, "/f:session_start:0:0");
  assertEquals(mpmHooksIn("/f", installed.text).length, CODEX_HOOK_ENTRIES.length);
  const removed = codexAgent.hooks.uninstall(installed.text);
  assertEquals(removed, { ok: true, text: theirs });
});

Deno.test("Codex waits for mpm's SessionStart only: Stop and SessionEnd return at once", () => {
  const [start, stop, end] = CODEX_HOOK_ENTRIES.map((e) => e.command);
  assert(!start.endsWith("&"), "SessionStart's context is waited for");
  assert(start.includes("exec "), start);
  for (const command of [stop, end]) {
    assert(command.endsWith(" <&3 3<&- >/dev/null 2>&1 &"), command);
    // The shell starts mpm on its stdin and nothing else: no `cat`, no subshell to wait for.
    assert(command.includes("exec 3<&0; "), command);
    assert(!command.includes("$(") && !command.includes("("), command);
  }
});
