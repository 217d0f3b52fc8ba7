import { assertEquals } from "../../../tests/assert.ts";
import { endDecision } from "./end_decision.ts";

Deno.test("SessionEnd records only a conversation's end, and never for a folder that is gone", () => {
  const tree = "/repo/.claude/worktrees/agent";
  // A conversation ended where it was held (the main tree, or a worktree that is there).
  assertEquals(
    endDecision({
      transcriptThere: true,
      cwdThere: true,
      projectDir: null,
      projectDirThere: false,
    }),
    "record",
  );
  assertEquals(
    endDecision({ transcriptThere: true, cwdThere: true, projectDir: tree, projectDirThere: true }),
    "record",
  );
  // `claude mcp list`, `claude plugin install`, `claude -p ""`: no transcript was ever written.
  assertEquals(
    endDecision({
      transcriptThere: false,
      cwdThere: true,
      projectDir: null,
      projectDirThere: false,
    }),
    "no-conversation",
  );
  // A clean `claude --worktree` removed before its SessionEnd ran back in the main tree.
  assertEquals(
    endDecision({
      transcriptThere: true,
      cwdThere: true,
      projectDir: tree,
      projectDirThere: false,
    }),
    "folder-gone",
  );
  // The same, were Claude Code to run it with the payload's cwd naming the worktree.
  assertEquals(
    endDecision({
      transcriptThere: true,
      cwdThere: false,
      projectDir: null,
      projectDirThere: false,
    }),
    "folder-gone",
  );
});
