/**
 * The context file in snapshots and checkpoints, end to end: stored redacted with its hash,
 * and `resume` / `checkpoint diff` saying whether it changed since, with a short diff.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { ok, type Repo, withRepo } from "../helpers.ts";

const SECRET = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789";
const CONTEXT = `# Project Context

## Current Work
Parser rewrite. Key: ${SECRET}

## Known Issues
- none yet
`;

async function snapshot(repo: Repo, id: string) {
  return JSON.parse(
    await Deno.readTextFile(join(repo.path, ".claude-mpm/sessions", `${id}.json`)),
  );
}

Deno.test("a snapshot stores the context file redacted with its hash; resume reports a change", async () => {
  await using repo = await withRepo();
  await repo.write(".claude/context.md", CONTEXT);
  await ok(repo, "start", "parser");
  const paused = JSON.parse((await ok(repo, "pause", "-s", "half way", "--json")).stdout);
  const stored = (await snapshot(repo, paused.session_id)).mpm.context_file;
  assertEquals(stored.file, ".claude/context.md");
  assertEquals(stored.sha256.length, 64);
  assertStringIncludes(stored.text, "Parser rewrite.");
  assertNotIncludes(stored.text, SECRET);
  // Unchanged: resume says so.
  const same = await ok(repo, "resume", "--no-changes");
  assertStringIncludes(same.stdout, "Context file .claude/context.md: unchanged since the pause.");
  await ok(repo, "pause", "-s", "again");
  await repo.write(
    ".claude/context.md",
    CONTEXT.replace("- none yet", "- the lexer drops BOMs"),
  );
  const changed = await ok(repo, "resume", "--no-changes");
  assertStringIncludes(changed.stdout, "Context file .claude/context.md: changed since the pause:");
  assertStringIncludes(changed.stdout, "-- none yet");
  assertStringIncludes(changed.stdout, "+- the lexer drops BOMs");
  await ok(repo, "pause", "-s", "third");
  const json = JSON.parse((await ok(repo, "resume", "--no-changes", "--json")).stdout);
  assertEquals(json.context.status, "unchanged");
});

Deno.test("a context file linked out of the project is not recorded, and the pause still works", async () => {
  await using repo = await withRepo();
  const outside = join(repo.path, "..", "outside.md");
  await Deno.writeTextFile(outside, "# elsewhere\n");
  await Deno.mkdir(join(repo.path, ".claude"), { recursive: true });
  await Deno.symlink(outside, join(repo.path, ".claude/context.md"));
  const paused = JSON.parse((await ok(repo, "pause", "-s", "x", "--json")).stdout);
  assertEquals((await snapshot(repo, paused.session_id)).mpm.context_file, null);
});

Deno.test("checkpoints record the context file, render ## Context, and diff reports a change", async () => {
  await using repo = await withRepo();
  await repo.write(".claude/context.md", CONTEXT);
  await ok(repo, "checkpoint", "save", "before");
  const md = await Deno.readTextFile(join(repo.path, ".claude-mpm/checkpoints/before.md"));
  assertStringIncludes(md, "## Context");
  assertStringIncludes(md, "Parser rewrite.");
  assertNotIncludes(md, SECRET);
  const same = JSON.parse((await ok(repo, "checkpoint", "diff", "before", "--json")).stdout);
  assertEquals(same.context.status, "unchanged");
  await repo.write(".claude/context.md", CONTEXT + "\n## Next Session\n- ship it\n");
  const text = (await ok(repo, "checkpoint", "diff", "before")).stdout;
  assertStringIncludes(text, "Context file .claude/context.md: changed since checkpoint before:");
  assertStringIncludes(text, "+- ship it");
  assertNotIncludes(text, "Nothing changed.");
  await ok(repo, "checkpoint", "save", "after");
  const between = JSON.parse(
    (await ok(repo, "checkpoint", "diff", "before", "after", "--json")).stdout,
  );
  assertEquals(between.context.status, "changed");
  assert(between.context.diff.some((l: string) => l === "+- ship it"));
});
