import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { daysLeft, vaultChecks, type VaultFacts } from "./judge_vault.ts";

const now = new Date("2026-11-30T12:00:00.000Z");

function facts(over: Partial<VaultFacts>): VaultFacts {
  return {
    now,
    retention: { days: 30, source: null },
    seen: [],
    copies: [],
    limitBytes: 200 * 1024 * 1024,
    configProblem: null,
    ...over,
  };
}

Deno.test("daysLeft counts whole days to Claude Code's cleanup, never below zero", () => {
  assertEquals(daysLeft("2026-11-10T12:00:00.000Z", 30, now), 10);
  assertEquals(daysLeft("2026-10-01T12:00:00.000Z", 30, now), 0);
  assertEquals(daysLeft(null, 30, now), null);
});

Deno.test("a transcript not in the vault: a warning with the days its cleanup leaves", () => {
  const [check] = vaultChecks(facts({
    seen: [
      {
        id: "a",
        there: true,
        mtime: "2026-11-10T12:00:00.000Z",
        pending: 2048,
        copied: false,
        dropped: false,
      },
      {
        id: "b",
        there: true,
        mtime: "2026-11-29T12:00:00.000Z",
        pending: 1024,
        copied: true,
        dropped: false,
      },
    ],
    retention: { days: 30, source: "/home/u/.claude/settings.json" },
  }));
  assertEquals(check.status, "warn");
  assertStringIncludes(
    check.message,
    "2 transcripts the hooks saw are not wholly in the vault (3 KB to copy)",
  );
  assertStringIncludes(check.message, "deletes the oldest in 10 days");
  assertStringIncludes(check.message, "cleanupPeriodDays 30 in /home/u/.claude/settings.json");
  assertEquals(check.fix, "mpm vault sync (or mpm doctor --fix)");
});

Deno.test("a damaged copy fails, with the fix that fits whether Claude Code still has it", () => {
  const checks = vaultChecks(facts({
    copies: [
      { id: "a", bytes: 10, problem: "The copy of a is damaged.", sourceThere: true, files: [] },
      {
        id: "b",
        bytes: 10,
        problem: "The copy of b is damaged.",
        sourceThere: false,
        files: ["/p/.claude-mpm/vault/b.json", "/p/.claude-mpm/vault/b.0.jsonl.gz"],
      },
    ],
  }));
  assertEquals(checks.map((c) => c.status), ["fail", "fail"]);
  assertStringIncludes(checks[0].fix!, "mpm vault sync");
  assertStringIncludes(
    checks[1].fix!,
    "rm /p/.claude-mpm/vault/b.json /p/.claude-mpm/vault/b.0.jsonl.gz",
  );
});

Deno.test("all copied and verified: one ok line with the size against the limit", () => {
  const checks = vaultChecks(facts({
    seen: [{ id: "a", there: true, mtime: null, pending: 0, copied: true, dropped: false }],
    copies: [{ id: "a", bytes: 1536, problem: null, sourceThere: true, files: [] }],
  }));
  assertEquals(checks.length, 1);
  assertEquals(checks[0].status, "ok");
  assertStringIncludes(checks[0].message, "1 transcript, 1.5 KB of 200 MB, every segment verified");
});
