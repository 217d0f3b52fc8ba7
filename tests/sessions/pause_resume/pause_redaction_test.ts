/**
 * "Secrets are redacted before disk", held of everything `mpm pause` writes: a secret in each
 * place a pause takes text from — the summary, an accomplishment, a todo, `--input`'s lists, the
 * last commit's subject (in the record and in the summary mpm writes when none is given), the
 * context file — reaches no file under `.claude-mpm/`, whatever file that is.
 */
import { join, relative } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok, okJson, withRepo } from "../../helpers.ts";

/** A GitHub token for each place, told apart by their last letters (the rule wants 36). */
const SECRETS = {
  subject: token("Subj"),
  context: token("Cntx"),
  summary: token("Summ"),
  accomplishment: token("Accm"),
  todo: token("Todo"),
  inputStep: token("InSt"),
  inputTodo: token("InTd"),
};

function token(tag: string): string {
  return `ghp_R8vX2mQ7tL4kP9wN3cB6zH1jD5fG0sYa${tag}`;
}

/** Every regular file under `dir`, with its text. */
async function filesUnder(dir: string): Promise<[string, string][]> {
  const found: [string, string][] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) found.push(...await filesUnder(path));
    else if (entry.isFile) found.push([path, await Deno.readTextFile(path)]);
  }
  return found;
}

Deno.test("mpm pause writes no secret it was given, nor one from git or the context file, to any file", async () => {
  await using repo = await withRepo();
  await repo.commit(`Rotate the deploy key ${SECRETS.subject}`, { "deploy.txt": "v2\n" });
  await repo.write(".claude/context.md", `# Context\n\nThe CI token is ${SECRETS.context}\n`);
  // A bare pause: mpm's own summary names the last commit.
  const bare = await okJson(repo, "pause", "--json", "--no-prune-worktrees");
  await repo.write(
    "words.yaml",
    [
      "next_steps:",
      `  - "Rotate ${SECRETS.inputStep} again"`,
      "todos:",
      `  - "Revoke ${SECRETS.inputTodo}"`,
    ].join("\n"),
  );
  const worded = await okJson(
    repo,
    "pause",
    "--json",
    "--no-prune-worktrees",
    "-s",
    `Deploy with token ${SECRETS.summary}`,
    "-a",
    `Stored ${SECRETS.accomplishment} in the vault`,
    "--todo",
    `Check ${SECRETS.todo}`,
    "--input",
    "words.yaml",
  );
  const base = join(repo.path, ".claude-mpm");
  const files = await filesUnder(base);
  assert(files.length >= 10, `only ${files.length} files under .claude-mpm/`);
  for (const [path, text] of files) {
    for (const [place, secret] of Object.entries(SECRETS)) {
      assert(!text.includes(secret), `the ${place} secret reached ${relative(base, path)}`);
    }
  }
  // Redacted where it was, not dropped: the words are all there around the mark.
  const read = async (id: string) =>
    JSON.parse(await Deno.readTextFile(join(base, "sessions", `${id}.json`)));
  const first = await read(bare.session_id);
  assertStringIncludes(first.conversation.summary, 'last commit: "Rotate the deploy key [REDACTED');
  const second = await read(worded.session_id);
  assertEquals(second.conversation, {
    summary: "Deploy with token [REDACTED:github-token]",
    accomplishments: ["Stored [REDACTED:github-token] in the vault"],
    next_steps: ["Rotate [REDACTED:github-token] again"],
  });
  assertEquals(
    second.todos.active.map((t: { content: string }) => t.content),
    ["Revoke [REDACTED:github-token]", "Check [REDACTED:github-token]"],
  );
  assertEquals(second.git_context.commit_message, "Rotate the deploy key [REDACTED:github-token]");
  assertStringIncludes(second.mpm.context_file.text, "The CI token is [REDACTED:github-token]");
  await ok(repo, "show", worded.session_id);
});
