import { assertEquals } from "../../../tests/assert.ts";
import { withRepo } from "../../../tests/helpers.ts";
import { join } from "../../kernel/path.ts";
import { commitFacts, looseCommitFacts, subjectOf } from "./loose_commit.ts";

Deno.test("subjectOf joins the first paragraph's lines as git's %s does", () => {
  assertEquals(subjectOf("Fix refunds\n\nBody\n"), "Fix refunds");
  assertEquals(subjectOf("\n  \nFix  \nrefunds\t\r\n\nBody"), "Fix refunds");
  assertEquals(subjectOf(""), "");
  assertEquals(subjectOf("only line without end"), "only line without end");
});

Deno.test("commitFacts refuses an object that is not a whole commit", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const tree = "a".repeat(40);
  assertEquals(commitFacts(bytes(`commit 9\0tree ${tree}\n\nx`)), undefined);
  assertEquals(commitFacts(bytes(`blob 3\0abc`)), undefined);
  const body = `tree ${tree}\nencoding ISO-8859-1\n\nx`;
  assertEquals(commitFacts(bytes(`commit ${body.length}\0${body}`)), undefined);
  const plain = `tree ${tree}\nauthor a <a> 1 +0000\n\nTitle\n`;
  assertEquals(commitFacts(bytes(`commit ${plain.length}\0${plain}`)), { tree, subject: "Title" });
});

Deno.test("looseCommitFacts gives what git log -1 gives, and nothing for a packed commit", async () => {
  await using repo = await withRepo();
  const messages = [
    "Plain subject",
    "\n\nLeading blank lines\nsecond line of the title  \n\nbody",
    "Ünïcode — subject ✓\r\n\r\nbody",
    "trailing spaces   \t",
  ];
  const head = async () => (await repo.git("rev-parse", "HEAD")).trim();
  for (const [i, message] of messages.entries()) {
    await Deno.writeTextFile(join(repo.path, "f.txt"), `${i}\n`);
    await repo.git("add", "f.txt");
    await repo.git("commit", "-q", "--cleanup=verbatim", "-m", message);
    const [tree, subject] = (await repo.git("log", "-1", "--format=%T%x00%s", "HEAD"))
      .replace(/\n$/, "").split("\0");
    assertEquals(await looseCommitFacts(repo.path, await head()), { tree, subject });
  }
  await repo.git("gc", "-q", "--prune=now");
  assertEquals(await looseCommitFacts(repo.path, await head()), undefined);
});

Deno.test("looseCommitFacts leaves a repository with replaced commits to git", async () => {
  await using repo = await withRepo();
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.git("commit", "-q", "--allow-empty", "-m", "Other");
  const other = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.git("replace", head, other);
  assertEquals(await looseCommitFacts(repo.path, head), undefined);
});
