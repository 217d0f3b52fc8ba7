/**
 * Senders kept for the ref's commit are unpacked as they are asked for (keptSendersOf's `from`):
 * a board's window at once, the rest only when one of it is asked for, and the answers those of
 * the whole.
 */
import { assert, assertEquals } from "../../../tests/assert.ts";
import { type Repo, withRepo } from "../../../tests/helpers.ts";
import { join } from "../../kernel/path.ts";
import { useGitEnvFrom } from "../run/run.ts";
import {
  answers,
  type KeptRecentSenders,
  type KeptSenders,
  KeptSendersMap,
  keptSendersOf,
  type Senders,
} from "./sender.ts";
import { senderIn } from "../../sessions/store/caches/senders_cache.ts";

const PEOPLE = ["p1@example.com\tPerson 1\t\t0", "", "p2@example.com\tPerson 2\tKEY\t1"];

/** `count` files, `sessions/session-<day>-120000.json`, each sent by one of PEOPLE in turn. */
function kept(ref: string, count: number): KeptSenders {
  const files = Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    return `sessions/session-${day.replaceAll("-", "")}-120000.json\t${i % PEOPLE.length}`;
  });
  // Not in order: as git's log gave them.
  return { ref, signers: "s", people: PEOPLE, files: files.reverse().join("\n") };
}

Deno.test("kept senders are unpacked from a window on, and answer as the whole does", async () => {
  await using repo = await withRepo();
  await repo.git("update-ref", "refs/mpm/sessions", "HEAD");
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  const cache = { read: () => Promise.resolve(kept(head, 300)), write: () => Promise.resolve() };
  const signers = { config: [], stamp: "s", own: null };
  const whole: Senders = await keptSendersOf(
    repo.path,
    "refs/mpm/sessions",
    "sessions",
    cache,
    signers,
  );
  assertEquals(whole.size, 300);
  // 2026-10-19 is the 292nd day: 9 files from it on.
  const from = "sessions/session-20261019";
  const lazy = await keptSendersOf(repo.path, "refs/mpm/sessions", "sessions", cache, signers, {
    from,
  });
  assert(lazy instanceof KeptSendersMap);
  assertEquals(lazy.unpacked, 9);
  // Asked within the window (there or not), nothing more is unpacked.
  for (const [path, who] of whole) if (path >= from) assertEquals(lazy.get(path), who);
  assertEquals(lazy.has("sessions/session-20261231-000000.json"), false);
  assertEquals(lazy.get("sessions/session-20261231-000000.json"), undefined);
  assertEquals(lazy.unpacked, 9);
  // One before it: the rest is unpacked, and every answer is the whole's.
  assertEquals(
    lazy.get("sessions/session-20260101-120000.json"),
    whole.get(
      "sessions/session-20260101-120000.json",
    ),
  );
  assertEquals(lazy.unpacked, 300);
  assertEquals(new Map([...lazy].sort()), new Map([...whole].sort()));
});

Deno.test("kept senders walked are unpacked whole first", async () => {
  await using repo = await withRepo();
  await repo.git("update-ref", "refs/mpm/sessions", "HEAD");
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  const cache = { read: () => Promise.resolve(kept(head, 50)), write: () => Promise.resolve() };
  const signers = { config: [], stamp: "s", own: null };
  const at = (from: string) =>
    keptSendersOf(repo.path, "refs/mpm/sessions", "sessions", cache, signers, { from });
  assertEquals((await at("sessions/z")).size, 50);
  assertEquals([...(await at("sessions/z")).values()].filter((who) => who === null).length, 17);
  assertEquals([...(await at("sessions/z")).keys()].length, 50);
  let n = 0;
  (await at("sessions/z")).forEach(() => n++);
  assertEquals(n, 50);
  // Kept for another commit, or against other signers: read anew from git (none there), whole.
  const other = { read: () => Promise.resolve(kept("0".repeat(40), 50)), write: cache.write };
  const anew = await keptSendersOf(repo.path, "refs/mpm/sessions", "sessions", other, signers, {
    from: "sessions/z",
  });
  assert(!(anew instanceof KeptSendersMap));
});

Deno.test("a window's kept senders are read instead of the whole, for their commit and signers only", async () => {
  await using repo = await withRepo();
  await repo.git("update-ref", "refs/mpm/sessions", "HEAD");
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  const signers = { config: [], stamp: "s", own: null };
  const reads = { whole: 0, recent: 0 };
  let near = null as KeptRecentSenders | null;
  const cache = {
    read: () => (reads.whole++, Promise.resolve(kept(head, 300))),
    write: () => Promise.resolve(),
    recent: {
      read: () => (reads.recent++, Promise.resolve(near)),
      write: (k: KeptRecentSenders) => (near = k, Promise.resolve()),
    },
  };
  const at = (from: string) =>
    keptSendersOf(repo.path, "refs/mpm/sessions", "sessions", cache, signers, { from });
  const whole = await keptSendersOf(repo.path, "refs/mpm/sessions", "sessions", cache, signers);
  // The first board reads the whole, and keeps its window's: 9 files from 2026-10-19 on.
  reads.whole = 0;
  const first = await at("sessions/session-20261019");
  assertEquals(reads.whole, 1);
  assertEquals(near?.files.split("\n").length, 9);
  // The next, a day later, reads only those, and answers as the whole does for its files.
  const next = await at("sessions/session-20261020");
  assertEquals(reads.whole, 1);
  assert(next instanceof KeptSendersMap);
  assertEquals(next.floor, "sessions/session-20261019");
  for (const [path, who] of whole) {
    if (path >= "sessions/session-20261019") assertEquals(next.get(path), who);
  }
  // It says it cannot name the sender of an older file; the whole could.
  assert(!answers(next, "sessions/session-20260101-120000.json"));
  assert(answers(first, "sessions/session-20260101-120000.json"));
  assert(answers(whole, "sessions/session-20260101-120000.json"));
  // A window reaching further back, or one kept for another commit or signers: the whole.
  await at("sessions/session-20261001");
  assertEquals(reads.whole, 2);
  near = { ...near!, ref: "0".repeat(40) };
  await at("sessions/session-20261020");
  assertEquals(reads.whole, 3);
  near = { ...near!, ref: head, signers: "other" };
  await at("sessions/session-20261020");
  assertEquals(reads.whole, 4);
});

Deno.test("senders kept for the ref's commit are taken with no git process, loose or packed", async () => {
  await using repo = await withRepo();
  await repo.git("update-ref", "refs/mpm/sessions", "HEAD");
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  const cache = { read: () => Promise.resolve(kept(head, 20)), write: () => Promise.resolve() };
  const signers = { config: [], stamp: "s", own: null };
  const trace = join(repo.path, "..", `trace-${crypto.randomUUID()}`);
  useGitEnvFrom({ ...Deno.env.toObject(), GIT_TRACE: trace });
  const gits = async () => {
    const text = await Deno.readTextFile(trace).catch(() => "");
    await Deno.remove(trace).catch(() => {});
    return text.split("\n").filter((line) => line.includes("trace: built-in: git")).length;
  };
  try {
    const read = () => keptSendersOf(repo.path, "refs/mpm/sessions", "sessions", cache, signers);
    assertEquals((await read()).size, 20);
    assertEquals(await gits(), 0);
    await repo.git("pack-refs", "--all");
    assertEquals((await read()).size, 20);
    assertEquals(await gits(), 0);
    // The ref moved on: git is asked what the commits since sent (here nothing).
    await repo.git("commit", "-q", "--allow-empty", "-m", "next");
    await repo.git("update-ref", "refs/mpm/sessions", "HEAD");
    assertEquals((await read()).size, 20);
    assert(await gits() > 0);
  } finally {
    useGitEnvFrom(undefined);
  }
});

Deno.test("the ref moved on and a window asked: what came is added to the kept lines, unpacking the window only", async () => {
  await using repo = await withRepo();
  const { before, path } = await bobArrives(repo);
  let written = null as KeptSenders | null;
  const cache = {
    read: () => Promise.resolve(kept(before, 300)),
    write: (k: KeptSenders) => (written = k, Promise.resolve()),
  };
  const signers = { config: [], stamp: "s", own: null };
  const from = "sessions/session-20261019";
  const sent = await keptSendersOf(repo.path, "refs/mpm/sessions", "sessions", cache, signers, {
    from,
  });
  assert(sent instanceof KeptSendersMap && sent.anyone);
  assertEquals([sent.unpacked, sent.get(path)?.email], [10, "bob@example.com"]);
  // The whole kept is the old lines and the new one, read as before.
  assertEquals(written!.files.split("\n").length, 301);
  const whole = await keptSendersOf(repo.path, "refs/mpm/sessions", "sessions", {
    read: () => Promise.resolve(written),
    write: () => Promise.resolve(),
  }, signers);
  assertEquals([whole.size, whole.get(path)?.name], [301, "Bob"]);
});

Deno.test("a pull moved the ref on from the window's commit: the window takes what came, the whole is not read", async () => {
  await using repo = await withRepo();
  const { before, head, path } = await bobArrives(repo);
  const signers = { config: [], stamp: "s", own: null };
  const from = "sessions/session-20261019";
  const reads = { whole: 0, wholeWrites: 0 };
  let near = { ...kept(before, 300), from } as KeptRecentSenders;
  near = { ...near, files: near.files.split("\n").filter((l) => l >= from).join("\n") };
  const cache = {
    read: () => (reads.whole++, Promise.resolve(kept(before, 300))),
    write: () => (reads.wholeWrites++, Promise.resolve()),
    recent: {
      read: () => Promise.resolve(near),
      write: (k: KeptRecentSenders) => (near = k, Promise.resolve()),
    },
  };
  const sent = await keptSendersOf(repo.path, "refs/mpm/sessions", "sessions", cache, signers, {
    from,
    head,
    since: before,
  });
  assertEquals([reads.whole, reads.wholeWrites], [0, 0]);
  assert(sent instanceof KeptSendersMap && sent.anyone);
  assertEquals([sent.unpacked, sent.get(path)?.email], [10, "bob@example.com"]);
  assertEquals([near.ref, near.from, near.files.split("\n").length], [head, from, 10]);
  // The whole, kept at the older commit, is brought up to the ref when one asks for it.
  const whole = await keptSendersOf(repo.path, "refs/mpm/sessions", "sessions", cache, signers);
  assertEquals([whole.size, whole.get(path)?.name, reads.wholeWrites], [301, "Bob", 1]);
});

/** The ref at HEAD, then a teammate's snapshot arrives on it, in the window. */
async function bobArrives(repo: Repo) {
  await repo.git("update-ref", "refs/mpm/sessions", "HEAD");
  const before = (await repo.git("rev-parse", "HEAD")).trim();
  const path = "sessions/session-20261231-120000.json";
  await repo.write(path, "{}\n");
  await repo.git("add", path);
  await repo.git("commit", "-qm", "b", "--author", "Bob <bob@example.com>");
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.git("update-ref", "refs/mpm/sessions", head);
  return { before, head, path };
}

Deno.test("a file sent again is the later sender's, in the kept text as unpacked", async () => {
  await using repo = await withRepo();
  const { before, path } = await bobArrives(repo);
  // Kept before Bob's push: the file as Person 2 sent it, verified.
  const earlier = kept(before, 300);
  earlier.files += `\n${path}\t2`;
  let written = null as KeptSenders | null;
  const cache = {
    read: () => Promise.resolve(earlier),
    write: (k: KeptSenders) => (written = k, Promise.resolve()),
  };
  const signers = { config: [], stamp: "s", own: null };
  const sent = await keptSendersOf(repo.path, "refs/mpm/sessions", "sessions", cache, signers, {
    from: "sessions/session-20261019",
  });
  assertEquals(sent.get(path)?.email, "bob@example.com");
  // Both lines are kept; SessionStart's look into the text finds the later, as the board does.
  assertEquals(written!.files.split("\n").filter((l) => l.startsWith(`${path}\t`)).length, 2);
  assertEquals(senderIn(written!, path), { email: "bob@example.com", verified: false });
  assertEquals(senderIn(earlier, path), { email: "p2@example.com", verified: true });
  assertEquals(senderIn(written!, "sessions/none.json"), null);
});
