/**
 * What SessionStart injects, end to end in real repositories: the last session first, then the
 * context file, the last commits and the branch status, within 10,000 characters with each cut
 * part marked; `.claude-mpm/config.json` choosing the order and sources (a bad one reported, the
 * defaults used, the hook still exit 0); `mpm context --preview` printing exactly the same text;
 * and SessionEnd refreshing the context file's managed lines.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";
import { payload } from "../hooks_helpers.ts";

async function hook(repo: Repo, event: string, fixture: string) {
  const result = await mpm(["hook", event], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload(fixture, repo),
  });
  assertEquals(result.code, 0, result.stderr);
  return result;
}

async function injected(repo: Repo): Promise<{ text: string; stderr: string }> {
  const result = await hook(repo, "session-start", "session-start-startup.json");
  if (result.stdout === "") return { text: "", stderr: result.stderr };
  return {
    text: JSON.parse(result.stdout).hookSpecificOutput.additionalContext,
    stderr: result.stderr,
  };
}

/** The parts' headings: "## Title (source)" (a context file's own "## Current Work" is not one). */
const headings = (text: string) => text.split("\n").filter((l) => /^## .+ \([^)]+\)$/.test(l));

Deno.test("SessionStart: session, context file, commits, branch — in order; preview is exact", async () => {
  await using repo = await withRepo();
  await repo.commit("Add the parser", { "src/parser.ts": "export {};\n" });
  await ok(repo, "start", "parser");
  await ok(repo, "pause", "-s", "Parser half done", "-n", "Write the lexer tests");
  await repo.write(".claude/context.md", "# Project Context\n\n## Current Work\nThe parser.\n");
  const { text } = await injected(repo);
  assertEquals(headings(text), [
    `## Last session (mpm) (.claude-mpm/sessions/${
      (await Deno.readTextFile(join(repo.path, ".claude-mpm/sessions/LATEST-SESSION.txt"))).trim()
    }.md)`,
    "## Context file (.claude/context.md)",
    "## Last 2 commits (git log)",
    "## Branch status (git status)",
  ]);
  // The person's words come first in the session part.
  assert(text.indexOf("Parser half done") < text.indexOf("The parser."));
  assertStringIncludes(text, "Add the parser (Test Author");
  assertStringIncludes(text, "Branch: main at ");
  const preview = (await ok(repo, "context", "--preview")).stdout;
  assertEquals(preview, text + "\n");
});

Deno.test("SessionStart after mpm return tells the urgent work put aside for is finished", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "parser");
  await ok(repo, "branch", "hotfix");
  await ok(repo, "return", "-s", "Patched the login redirect");
  const { text } = await injected(repo);
  assertStringIncludes(text, 'put aside for "hotfix"');
  assertStringIncludes(
    text,
    'Since this pause: "hotfix", branched from it, was completed (',
  );
  assertStringIncludes(text, "): Patched the login redirect");
  // A second branch, returned without words: said with no words of its own.
  await ok(repo, "branch", "docs");
  await ok(repo, "return");
  const again = (await injected(repo)).text;
  assertStringIncludes(again, 'Since this pause: "docs", branched from it, was completed (');
  assertNotIncludes(again, '"hotfix", branched from it');
});

Deno.test("SessionStart stays within 10,000 characters and marks each cut part", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "x".repeat(1500));
  const long = Array.from({ length: 900 }, (_, i) => `- decision ${i + 1}: ${"y".repeat(40)}`);
  await repo.write(".claude/context.md", `# Project Context\n\n${long.join("\n")}\n`);
  const { text } = await injected(repo);
  assert(text.length <= 10_000, `${text.length}`);
  assert(/\(truncated: \d+ more lines in \.claude\/context\.md\)/.test(text), text.slice(-400));
  // Later parts keep their place: the commits and the branch are still there.
  assertStringIncludes(text, "## Last commit (git log)");
  assertStringIncludes(text, "## Branch status (git status)");
});

Deno.test("config.json chooses the sources and order; README's head and named files are marked when cut", async () => {
  await using repo = await withRepo();
  await repo.commit("docs", {
    "README.md": Array.from({ length: 12 }, (_, i) => `readme line ${i + 1}`).join("\n") + "\n",
    "docs/ARCHITECTURE.md": "# Architecture\nLayers by feature.\n",
  });
  await repo.write(".claude/context.md", "# Project Context\n\n## Current Work\nDocs.\n");
  await Deno.mkdir(join(repo.path, ".claude-mpm"), { recursive: true });
  await repo.write(
    ".claude-mpm/config.json",
    JSON.stringify({
      session_start: {
        sources: ["files", "context", "readme"],
        readme_lines: 3,
        files: ["docs/ARCHITECTURE.md", "../outside.md"],
      },
    }),
  );
  const { text } = await injected(repo);
  assertEquals(headings(text), [
    "## File (docs/ARCHITECTURE.md)",
    "## Context file (.claude/context.md)",
    "## README (head) (README.md)",
    "## Notes (mpm)",
  ]);
  assertStringIncludes(text, "readme line 3\n(truncated: 9 more lines in README.md)");
  assertNotIncludes(text, "readme line 4");
  assertStringIncludes(text, "../outside.md was not read");
  assertNotIncludes(text, "git log");
});

Deno.test("a bad config.json is reported and the defaults are used; the hook still succeeds", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "work");
  await Deno.mkdir(join(repo.path, ".claude-mpm"), { recursive: true });
  for (
    const bad of [
      "{ not json",
      JSON.stringify({ session_start: { sources: ["context", "nonsense"] } }),
      JSON.stringify({ session_start: { limit: 50000 } }),
    ]
  ) {
    await repo.write(".claude-mpm/config.json", bad);
    const { text, stderr } = await injected(repo);
    assertStringIncludes(stderr, ".claude-mpm/config.json was not used");
    assertStringIncludes(text, "## Last session (mpm)");
    assertStringIncludes(text, "## Branch status (git status)");
  }
});

Deno.test("SessionEnd refreshes the context file's managed lines and leaves the rest as it was", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "parser");
  await ok(repo, "context", "init");
  const file = join(repo.path, ".claude/context.md");
  const mine = (await Deno.readTextFile(file)).replace(
    "## Architecture\n",
    "## Architecture\nHand-written: layers by feature.  \n",
  );
  await Deno.writeTextFile(file, mine);
  await hook(repo, "session-end", "session-end.json");
  const after = await Deno.readTextFile(file);
  assertStringIncludes(after, "Hand-written: layers by feature.  \n");
  assert(after !== mine, "the status lines were refreshed");
  assertStringIncludes(after, "paused");
});
