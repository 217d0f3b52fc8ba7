import { assertEquals } from "../../../tests/assert.ts";
import { withRepo } from "../../../tests/helpers.ts";
import { join } from "../../kernel/path.ts";
import { applyDelta, commitFacts, commitObjectFacts, subjectOf } from "./commit_object.ts";

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

Deno.test("commitObjectFacts gives what git log gives, loose or packed", async () => {
  await using repo = await withRepo();
  const messages = [
    "Plain subject",
    "\n\nLeading blank lines\nsecond line of the title  \n\nbody",
    "Ünïcode — subject ✓\r\n\r\nbody",
    "trailing spaces   \t",
  ];
  for (const [i, message] of messages.entries()) {
    await Deno.writeTextFile(join(repo.path, "f.txt"), `${i}\n`);
    await repo.git("add", "f.txt");
    await repo.git("commit", "-q", "--cleanup=verbatim", "-m", message);
  }
  const known = async () => {
    const commits = (await repo.git("rev-list", "HEAD")).trim().split("\n");
    assertEquals(commits.length, messages.length + 1);
    for (const commit of commits) {
      const [tree, subject] = (await repo.git("log", "-1", "--format=%T%x00%s", commit))
        .replace(/\n$/, "").split("\0");
      assertEquals(await commitObjectFacts(repo.path, commit), { tree, subject }, commit);
    }
  };
  await known();
  // Packed: each commit found through the pack's index, the last object of the pack too.
  await repo.git("gc", "-q", "--prune=now");
  assertEquals([...Deno.readDirSync(join(repo.path, ".git/objects/pack"))].length > 0, true);
  await known();
  assertEquals(await commitObjectFacts(repo.path, "0".repeat(40)), undefined);
});

Deno.test("commitObjectFacts follows a packed commit's deltas", async () => {
  await using repo = await withRepo();
  const body = "a line of a long commit message body that each commit shares\n".repeat(40);
  for (let i = 1; i <= 8; i++) {
    await Deno.writeTextFile(join(repo.path, "f.txt"), `${i}\n`);
    await repo.git("add", "f.txt");
    await repo.git("commit", "-q", "-m", `Subject ${i}\n\n${body}`);
  }
  await repo.git("repack", "-adfq", "--window=250", "--depth=50");
  const pack = [...Deno.readDirSync(join(repo.path, ".git/objects/pack"))]
    .find((entry) => entry.name.endsWith(".idx"))!.name;
  const verified = await repo.git("verify-pack", "-v", join(".git/objects/pack", pack));
  // Lines of deltas end with their depth and their base's id.
  assertEquals(/ commit \d+ \d+ \d+ \d+ [0-9a-f]{40}\n/.test(verified), true);
  for (const commit of (await repo.git("rev-list", "HEAD")).trim().split("\n")) {
    const [tree, subject] = (await repo.git("log", "-1", "--format=%T%x00%s", commit))
      .replace(/\n$/, "").split("\0");
    assertEquals(await commitObjectFacts(repo.path, commit), { tree, subject }, commit);
  }
});

Deno.test("applyDelta copies and inserts, and refuses a delta for another base", () => {
  const base = new TextEncoder().encode("hello world");
  // Sizes 11 and 8; copy 5 bytes from 0, insert " it".
  const delta = Uint8Array.from([11, 8, 0x90, 5, 3, ...new TextEncoder().encode(" it")]);
  assertEquals(new TextDecoder().decode(applyDelta(base, delta)), "hello it");
  assertEquals(applyDelta(base.subarray(1), delta), undefined);
});

Deno.test("commitObjectFacts leaves a repository with replaced commits to git", async () => {
  await using repo = await withRepo();
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.git("commit", "-q", "--allow-empty", "-m", "Other");
  const other = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.git("replace", head, other);
  assertEquals(await commitObjectFacts(repo.path, head), undefined);
});

Deno.test("commitObjectFacts leaves a damaged pack or index to git", async () => {
  await using repo = await withRepo();
  await repo.git("commit", "-q", "--allow-empty", "-m", "Packed");
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.git("gc", "-q", "--prune=now");
  const dir = join(repo.path, ".git/objects/pack");
  const base = join(dir, [...Deno.readDirSync(dir)][0].name.replace(/\.\w+$/, ""));
  const index = Deno.readFileSync(`${base}.idx`);
  const pack = Deno.readFileSync(`${base}.pack`);
  // git makes them read-only.
  Deno.chmodSync(`${base}.idx`, 0o644);
  Deno.chmodSync(`${base}.pack`, 0o644);
  assertEquals((await commitObjectFacts(repo.path, head))?.subject, "Packed");
  // An index cut short of the offsets its count promises.
  Deno.writeFileSync(`${base}.idx`, index.subarray(0, index.length - 60));
  assertEquals(await commitObjectFacts(repo.path, head), undefined);
  Deno.writeFileSync(`${base}.idx`, index);
  // A pack whose objects' bytes were overwritten: the inflate refuses them.
  const damaged = pack.slice();
  damaged.fill(0x41, 12, damaged.length - 20);
  Deno.writeFileSync(`${base}.pack`, damaged);
  assertEquals(await commitObjectFacts(repo.path, head), undefined);
});
