/**
 * `/mpm-resume` hands the model everything `mpm resume` prints: a snapshot with very long words
 * is shown capped, with a line that says where the whole of it is, and resume still does its work.
 */
import { assert, assertStringIncludes } from "../../assert.ts";
import { ok, okJson, withRepo } from "../../helpers.ts";

Deno.test("mpm resume caps what it prints of a very long snapshot and names where the rest is", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  const long = "The refunds table migration went in halves; ".repeat(18_000);
  const id = (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", long))
    .session_id;
  const out = (await ok(repo, "resume", id, "--no-changes")).stdout;
  assert(out.length < 96 * 1024, `mpm resume printed ${out.length} characters`);
  assertStringIncludes(out, `\`mpm show ${id} --format md\` prints the snapshot whole.`);
  assertStringIncludes(out, "is active again");
});
