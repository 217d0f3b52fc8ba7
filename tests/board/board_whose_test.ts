/**
 * Whose a pulled snapshot is, for a third person who pulls: on the board, a snapshot a push
 * renamed (its id was taken on the remote: here a third person changed the pusher's snapshot in
 * place) is its pusher's, though its `sync_origin` names the id the other file holds; and
 * `mpm list` folds two people's snapshots of one session (a takeover) apart, as the board does.
 */
import { join } from "node:path";
import { assertEquals, assertMatch } from "../assert.ts";
import { baseEnv, git, mpm, type Repo, repoAt, runProcess, withClones } from "../helpers.ts";
import { sha256Hex } from "../../src/kernel/hashing/checksum.ts";

interface Who {
  repo: Repo;
  name: string;
  email: string;
}

function identity(name: string, email: string, home: string): Record<string, string> {
  return {
    HOME: home,
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
  };
}

async function run(who: Who, ...args: string[]): Promise<string> {
  const env = identity(who.name, who.email, who.repo.home);
  const result = await mpm(args, { cwd: who.repo.path, env });
  assertEquals(result.code, 0, `mpm ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** Git as Mal, in `cwd`; fails the test when git does. */
async function asMal(cwd: string, ...args: string[]): Promise<string> {
  const home = join(cwd, "..");
  const env = { ...baseEnv(home), ...identity("Mal", "mal@example.com", home) };
  const out = await runProcess("git", args, { cwd, env });
  assertEquals(out.code, 0, `git ${args.join(" ")}: ${out.stderr}`);
  return out.stdout;
}

/** Mal changes the words of snapshot `id` on the remote's sessions ref, checksum and all. */
async function malEdits(remote: string, id: string): Promise<void> {
  const folder = join(remote, "..", "mal");
  await asMal(join(remote, ".."), "clone", "-q", remote, folder);
  await asMal(folder, "fetch", "-q", "origin", "refs/mpm/sessions:refs/heads/sessions");
  await asMal(folder, "checkout", "-q", "sessions");
  const file = join(folder, "sessions", `${id}.json`);
  const text = (await Deno.readTextFile(file)).replace("Ann: refunds", "Mal: refunds");
  await Deno.writeTextFile(file, text);
  await Deno.writeTextFile(`${file}.sha256`, `${sha256Hex(text)}  ${id}.json\n`);
  await asMal(folder, "commit", "-q", "-am", "words");
  await asMal(folder, "push", "-q", "origin", "HEAD:refs/mpm/sessions");
}

Deno.test("a snapshot a push renamed is its pusher's on a teammate's board, not the first id's sender's", async () => {
  await using clones = await withClones();
  const ann: Who = { repo: clones.a, name: "Ann", email: "ann@example.com" };
  const cat: Who = { repo: clones.b, name: "Cat", email: "cat@example.com" };

  await run(ann, "start", "Refunds");
  await ann.repo.write("refund.ts", "export const refund = 1;\n");
  await run(ann, "pause", "-s", "Ann: refunds half done");
  const first = (await run(ann, "sync", "push")).match(/session-[0-9a-z-]+/)![0];
  await malEdits(clones.remote, first);

  await run(ann, "pause", "-s", "Ann: refunds done");
  const pushed = await run(ann, "sync", "push");
  assertMatch(pushed, new RegExp(`${first} → session-[0-9a-z-]+ \\(renamed`));

  await run(cat, "sync", "pull");
  const board = JSON.parse(await run(cat, "board", "--json"));
  const pauses = Object.fromEntries(
    board.people.map((p: { email: string; pauses: number[] }) => [
      p.email,
      p.pauses.reduce((a, b) => a + b, 0),
    ]),
  );
  // Ann's two pauses (the first under its new id) are Ann's; Mal's changed copy is Mal's.
  assertEquals(pauses, { "ann@example.com": 2, "mal@example.com": 1 });
});

Deno.test("after a takeover a third person's list shows each person's snapshots of the session apart", async () => {
  await using clones = await withClones();
  const ann: Who = { repo: clones.a, name: "Ann", email: "ann@example.com" };
  const bob: Who = { repo: clones.b, name: "Bob", email: "bob@example.com" };
  const catPath = join(clones.remote, "..", "c");
  await git(join(clones.remote, ".."), "clone", "-q", clones.remote, catPath);
  const catHome = join(clones.remote, "..", "home-c");
  await Deno.mkdir(catHome);
  const cat: Who = {
    repo: repoAt(catPath, catHome, () => Promise.resolve()),
    name: "Cat",
    email: "cat@example.com",
  };

  await run(ann, "start", "Refunds");
  await run(ann, "pause", "-s", "Ann: refunds begun");
  await run(ann, "sync", "push");
  await run(bob, "sync", "pull");
  await run(bob, "resume", "0", "--from-teammate");
  await run(bob, "pause", "-s", "Bob: refunds his way");
  await run(ann, "resume");
  await run(ann, "pause", "-s", "Ann: refunds her way");
  await run(ann, "sync", "push");
  await run(bob, "sync", "push");

  await run(cat, "sync", "pull");
  const list = await run(cat, "list");
  const entries = list.split("\n").filter((line) => /^ {2}\[\d+\]/.test(line));
  assertEquals(entries.length, 2, list);
  assertMatch(list, /\]\n\s+Ann: refunds her way\n\s+\+ 1 earlier snapshot/);
  assertMatch(list, /\]\n\s+Bob: refunds his way\n\n/);
  const board = JSON.parse(await run(cat, "board", "--json"));
  assertEquals(board.people.map((p: { work: unknown[] }) => p.work.length), [1, 1]);
});
