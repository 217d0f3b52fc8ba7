import { assert, assertEquals } from "../../../../tests/assert.ts";
import { checkValue } from "../../../kernel/check.ts";
import {
  buildErrorRecord,
  errorRecordCheck,
  judgeErrorRecord,
  LIMITS,
  serializeErrorRecord,
} from "./error_record.ts";

const base = {
  now: new Date("2025-10-20T14:30:22Z"),
  event: "PostToolUseFailure",
  claudeSessionId: "s1",
  cwd: "/p",
  git: null,
  recentCommits: [],
};

Deno.test("an error record is redacted everywhere, input included", async () => {
  const record = await buildErrorRecord({
    ...base,
    tool: "Bash",
    toolInput: {
      command: "curl -H 'Authorization: Bearer abcdef1234567890abcdef'",
      password: "pw1",
    },
    error: "STRIPE_SECRET_KEY=sk_live_51HqLyjWDarjtT1zdp7dcXYZ was not accepted",
  });
  const text = JSON.stringify(record);
  assert(!text.includes("sk_live_51"));
  assert(!text.includes("abcdef1234567890abcdef"));
  assert(!text.includes("pw1"));
  assertEquals(record.tool, "Bash");
  assertEquals(checkValue(errorRecordCheck, JSON.parse(JSON.stringify(record))).ok, true);
});

Deno.test("long input is cut after redaction; missing fields become null", async () => {
  const record = await buildErrorRecord({
    ...base,
    event: "StopFailure",
    toolInput: { content: "x".repeat(LIMITS.chars + 10), list: Array(LIMITS.items + 5).fill(1) },
    error: { type: "rate_limit" },
  });
  const input = record.tool_input as { content: string; list: unknown[] };
  assert(input.content.endsWith("… [10 more characters]"));
  assertEquals(input.list.length, LIMITS.items + 1);
  assertEquals(record.error, '{"type":"rate_limit"}');
  assertEquals([record.tool, record.tool_use_id, record.is_interrupt], [null, null, null]);
});

Deno.test("git state: cleanliness from every list", async () => {
  const record = await buildErrorRecord({
    ...base,
    error: "boom",
    git: {
      branch: "main",
      head: "a".repeat(40),
      staged: [],
      modified: [],
      untracked: ["new.ts"],
      deleted: [],
      conflicted: [],
    },
  });
  assertEquals(record.git?.is_clean, false);
  assertEquals(record.git?.untracked, ["new.ts"]);
});

Deno.test("a record is this machine's only when its seal checks out with this machine's key", async () => {
  const key = "ab".repeat(32);
  const other = "cd".repeat(32);
  const record = await buildErrorRecord({ ...base, tool: "Bash", error: "boom" });
  const sealed = await serializeErrorRecord(record, key);
  const judged = await judgeErrorRecord(sealed, key);
  assertEquals(judged?.own, true);
  assertEquals(judged?.record.error, "boom");
  assertEquals((await judgeErrorRecord(sealed, other))?.own, false);
  assertEquals((await judgeErrorRecord(sealed.replace("boom", "bOOm"), key))?.own, false);
  const plain = await serializeErrorRecord(record, null);
  assertEquals((await judgeErrorRecord(plain, key))?.own, false);
  // Without any key nothing is sealed, and every record reads as it is.
  assertEquals((await judgeErrorRecord(plain, null))?.own, true);
  assertEquals(await judgeErrorRecord("{}", key), undefined);
  assertEquals(await judgeErrorRecord(undefined, key), undefined);
});
