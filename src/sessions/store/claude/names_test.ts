import { assert, assertEquals } from "../../../../tests/assert.ts";
import { isCheckpointName } from "../../../checkpoints/checkpoint.ts";
import {
  autoCheckpointName,
  backupName,
  errorFileName,
  resumeFileName,
  safeSegment,
} from "./names.ts";

const NOW = new Date("2025-10-20T04:05:06.789Z");

Deno.test("hook file names are UTC stamps with a suffix on a clash", () => {
  assertEquals(autoCheckpointName(NOW), "auto-20251020-040506");
  assert(isCheckpointName(autoCheckpointName(NOW)), "an automatic name is a valid checkpoint name");
  assertEquals(resumeFileName(NOW), "session-resume-2025-10-20-040506.md");
  assertEquals(resumeFileName(NOW, 2), "session-resume-2025-10-20-040506-2.md");
  assertEquals(errorFileName(NOW, "Bash"), "20251020-040506-Bash.json");
  assertEquals(
    errorFileName(NOW, "mcp__github__create_issue", 3),
    "20251020-040506-mcp__github__create_issue-3.json",
  );
  assertEquals(backupName("local", NOW, ".json"), "local-20251020-040506.json");
});

Deno.test("a tool name cannot leave its folder", () => {
  assertEquals(safeSegment("../../etc/passwd"), "etc_passwd");
  assertEquals(safeSegment(""), "unknown");
  assertEquals(safeSegment("a".repeat(100)).length, 60);
});
