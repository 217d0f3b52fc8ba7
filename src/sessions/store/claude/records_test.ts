import { assert, assertEquals } from "../../../../tests/assert.ts";
import { join } from "../../../kernel/path.ts";
import { projectPaths } from "../../../disk/paths.ts";
import { buildErrorRecord } from "./error_record.ts";
import { MAX_ERROR_RECORDS, writeErrorRecord } from "./records.ts";

Deno.test("records dated ahead (a clone's) go first: the record just written is always kept", async () => {
  const root = await Deno.makeTempDir({ prefix: "mpm-errors-" });
  try {
    const paths = projectPaths(root);
    await Deno.mkdir(paths.errors, { recursive: true });
    for (let i = 0; i < MAX_ERROR_RECORDS; i++) {
      const n = String(i).padStart(4, "0");
      await Deno.writeTextFile(join(paths.errors, `2099-01-01T00-00-00-${n}Z-Bash.json`), "{}\n");
    }
    const now = new Date("2026-11-25T12:00:00Z");
    const record = await buildErrorRecord({
      now,
      event: "PostToolUseFailure",
      claudeSessionId: "s1",
      cwd: root,
      tool: "Bash",
      git: null,
      recentCommits: [],
    });
    const written = await writeErrorRecord(paths, record, now);
    const names = [...Deno.readDirSync(paths.errors)].map((entry) => entry.name);
    assertEquals(names.length, MAX_ERROR_RECORDS);
    assert(names.some((name) => join(paths.errors, name) === written), written);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
