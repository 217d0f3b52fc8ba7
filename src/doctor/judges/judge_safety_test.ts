import { assert, assertEquals, assertNotIncludes } from "../../../tests/assert.ts";
import { leftoverCheck, secretNameCheck } from "./judge_safety.ts";
import { snapshotCheck } from "../../kernel/snapshot.ts";
import { mustCheck } from "../../kernel/check.ts";

function snapshot(branch: string, paths: string[]) {
  return mustCheck(snapshotCheck, {
    schema_version: 1,
    session_id: "session-20260101-000000",
    paused_at: "2026-01-01T00:00:00.000Z",
    conversation: { summary: "s", accomplishments: [], next_steps: [] },
    git_context: {
      branch,
      commit: "0123456789abcdef0123456789abcdef01234567",
      commit_message: "Fix the cart totals",
      status: { modified: paths, staged: [], untracked: [] },
      is_clean: paths.length === 0,
      ahead_behind: null,
    },
    todos: { active: [], completed: [] },
    version: "0.1.0",
    build: "dev",
    project_path: "/home/dev/shop",
    mpm: {},
  });
}

Deno.test("secretNameCheck: ordinary branches and paths pass, a token-like one is named", () => {
  const ordinary = snapshot("feature/cart-totals", ["src/cart/totals.ts", "docs/README.md"]);
  assertEquals(secretNameCheck([{ id: "a", snapshot: ordinary }]), undefined);
  const token = "ghp_" + "R8vX2mQ7tL4kP9wN3cB6zH1jD5fG0sYaE2uT";
  const leaky = snapshot(`fix/${token}`, ["src/app.ts"]);
  const check = secretNameCheck([{ id: "a", snapshot: ordinary }, { id: "b", snapshot: leaky }]);
  assert(check);
  assertEquals(check.status, "warn");
  assert(check.message.includes("b (branch)"), check.message);
  assertNotIncludes(check.message, token);
});

Deno.test("leftoverCheck: nothing left is no check; otherwise a count and an rm that fixes it", () => {
  assertEquals(leftoverCheck([]), undefined);
  const check = leftoverCheck(["/p/.claude-mpm/.state.json.1.2.tmp"])!;
  assert(check.message.startsWith("1 temp file left"), check.message);
  assertEquals(check.fix, "rm /p/.claude-mpm/.state.json.1.2.tmp");
});
