/**
 * SessionStart's teammates' part takes the teammates' facts `mpm sync pull` kept
 * (`.claude-mpm/cache/teammates.json`, board/mates_cache.ts) instead of reading their records:
 * between two clones of a bare remote, Bob pushes work on Alice's file and Alice pulls. Her
 * start's part then reads no record of Bob's (each read is counted), and says what reading them
 * says: with the kept file deleted, damaged, edited by hand, or left from before another pull
 * (then only the record it does not hold is read). Whose a record is, and whether it is
 * verified, is never taken from the file: an unsigned push is unverified with it as without,
 * a signed one verified only where the allowed signers say so.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import type { Clones } from "../helpers.ts";
import { withClones } from "../helpers.ts";
import { run, signWith, sshKey, type Who } from "./identity_helpers.ts";
import { teammatePart } from "../../src/board/teammates.ts";
import { readBoard } from "../../src/board/board_read.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { readStatus } from "../../src/git/tree/status.ts";
import { pullSync } from "../../src/sync/pull.ts";
import { resolveRemote } from "../../src/sync/remote/refs.ts";

const SHARED = "README.md";

interface Team {
  clones: Clones;
  alice: Who;
  bob: Who;
}

/** Bob's pushed work changes SHARED; Alice's paused work too; Alice has pulled Bob's. */
async function pulled(clones: Clones, sign?: (team: Team) => Promise<void>): Promise<Team> {
  const team: Team = {
    clones,
    alice: { repo: clones.a, name: "Alice", email: "alice@example.com" },
    bob: { repo: clones.b, name: "Bob", email: "bob@example.com" },
  };
  await sign?.(team);
  const { alice, bob } = team;
  await run(bob, 0, "start", "Payouts");
  await bob.repo.write(SHARED, "export const bob = 1;\n");
  await run(bob, 0, "pause", "-s", "Bob's words");
  await run(bob, 0, "sync", "push");
  await run(alice, 1, "start", "Refunds");
  await alice.repo.write(SHARED, "export const alice = 1;\n");
  await run(alice, 1, "pause", "-s", "Alice's words");
  await run(alice, 2, "sync", "pull");
  return team;
}

const keptFile = (who: Who) => join(who.repo.path, ".claude-mpm/cache/teammates.json");

/**
 * Alice's start's teammates' part as of `now`, the teammates' records it read, and whether it
 * told the lines told last again (nothing read).
 */
async function told(
  alice: Who,
  now: Date,
): Promise<{ text: string | null; reads: string[]; again: boolean }> {
  useMachineKeyFrom({ HOME: alice.repo.home });
  const reads: string[] = [];
  let again = false;
  const part = await teammatePart({
    root: alice.repo.path,
    paths: projectPaths(alice.repo.path),
    now,
    status: await readStatus(alice.repo.path),
    budgetMs: 600_000,
    onRead: (id) => reads.push(id),
    onTold: () => again = true,
  });
  return { text: part?.text ?? null, reads, again };
}

Deno.test("a pull keeps the facts of what it imported as it wrote them, reading none back", async () => {
  await using clones = await withClones();
  const { alice, bob } = await pulled(clones);
  await run(bob, 3, "start", "Ledger");
  await bob.repo.write(SHARED, "export const bob = 2;\n");
  await run(bob, 3, "pause", "-s", "Bob's ledger");
  await run(bob, 3, "sync", "push");
  // Alice's pull in this process, each record it reads back for the kept facts counted.
  useMachineKeyFrom({ HOME: alice.repo.home });
  const reads: string[] = [];
  const report = await pullSync(alice.repo.path, await resolveRemote(alice.repo.path), {
    now: new Date(),
    teammateReads: (id) => reads.push(id),
  });
  assertEquals(report.moved.map((m) => m.kind), ["session"]);
  assertEquals(reads, []);
  // The start takes them, and tells what reading the records tells.
  const now = new Date();
  const kept = await told(alice, now);
  assertEquals(kept.reads, []);
  assertStringIncludes(kept.text ?? "", "— Ledger, ");
  await Deno.remove(keptFile(alice));
  const read = await told(alice, now);
  assertEquals(read.reads.length, 2);
  assertEquals(read.text, kept.text);
});

Deno.test("after a pull the start reads no teammate's record, and tells what reading them tells", async () => {
  await using clones = await withClones();
  const { alice, bob } = await pulled(clones);
  const now = new Date();
  const file = keptFile(alice);
  const info = await Deno.lstat(file);
  assert(info.isFile);
  assertEquals(info.mode! & 0o777, 0o600);

  const fresh = await told(alice, now);
  assertStringIncludes(fresh.text ?? "", "- bob@example.com (unverified) — Payouts, ");
  assertStringIncludes(fresh.text ?? "", `also changed ${SHARED}`);
  assertEquals(fresh.reads, []);

  // Deleted: Bob's record is read, the line is the same, and the start keeps it again.
  await Deno.remove(file);
  const deleted = await told(alice, now);
  assertEquals(deleted.text, fresh.text);
  assertEquals(deleted.reads.length, 1);
  assertEquals((await told(alice, now)).reads, []);

  // Damaged: the same.
  await Deno.writeTextFile(file, '{"paths": [');
  const damaged = await told(alice, now);
  assertEquals(damaged.text, fresh.text);
  assertEquals(damaged.reads.length, 1);

  // Edited by hand (the record made the person's own, another name): its seal no longer holds.
  const kept = JSON.parse(await Deno.readTextFile(file));
  kept.records[0].elsewhere = false;
  kept.records[0].name = "Forged";
  await Deno.writeTextFile(file, JSON.stringify(kept));
  const forged = await told(alice, now);
  assertEquals(forged.text, fresh.text);
  assertEquals(forged.reads.length, 1);

  // Another pull brings Bob's next work; a file from before it holds only the first record.
  const before = await Deno.readTextFile(file);
  await run(bob, 3, "start", "Ledger");
  await bob.repo.write(SHARED, "export const bob = 2;\n");
  await run(bob, 3, "pause", "-s", "Bob's ledger");
  await run(bob, 3, "sync", "push");
  await run(alice, 4, "sync", "pull");
  const later = new Date();
  const second = await told(alice, later);
  assertEquals(second.reads, []);
  assertStringIncludes(second.text ?? "", "— Ledger, ");
  assertStringIncludes(second.text ?? "", "— Payouts, ");
  await Deno.writeTextFile(file, before);
  const stale = await told(alice, later);
  assertEquals(stale.text, second.text);
  assertEquals(stale.reads.length, 1);
  // A record removed (pruned) is not told from the kept facts.
  const sessions = join(alice.repo.path, ".claude-mpm/sessions");
  for await (const entry of Deno.readDir(sessions)) {
    if (!entry.name.endsWith(".json")) continue;
    const path = join(sessions, entry.name);
    if (!(await Deno.readTextFile(path)).includes('"Payouts"')) continue;
    await Deno.remove(path);
    await Deno.remove(`${path}.sha256`);
  }
  const pruned = await told(alice, later);
  assertStringIncludes(pruned.text ?? "", "— Ledger, ");
  assert(!pruned.text?.includes("Payouts"), pruned.text ?? "");
});

Deno.test("the lines told are told again till a pull, a changed file or the clock changes them", async () => {
  await using clones = await withClones();
  const { alice, bob } = await pulled(clones);
  const now = new Date();
  const first = await told(alice, now);
  assertStringIncludes(first.text ?? "", "— Payouts, ");
  assertEquals(first.again, false);
  // Nothing changed: told again as of now, no facts opened.
  const later = new Date(now.getTime() + 3600_000);
  const again = await told(alice, later);
  assertEquals(again.again, true);
  // As worked out then.
  const toldFile = join(alice.repo.path, ".claude-mpm/cache/teammates-told.json");
  await Deno.rename(toldFile, `${toldFile}.away`);
  assertEquals(again.text, (await told(alice, later)).text);
  await Deno.rename(`${toldFile}.away`, toldFile);

  // Another file of Alice's changed: worked out again, then kept for it.
  await alice.repo.write("refund.ts", "export {};\n");
  assertEquals((await told(alice, later)).again, false);
  assertEquals((await told(alice, later)).again, true);

  // Bob's next push, pulled: the pull works the lines out for the files last told, and the
  // start tells them with nothing read.
  await run(bob, 3, "start", "Ledger");
  await bob.repo.write(SHARED, "export const bob = 2;\n");
  await run(bob, 3, "pause", "-s", "Bob's ledger");
  await run(bob, 3, "sync", "push");
  await run(alice, 4, "sync", "pull");
  const pulledNow = await told(alice, later);
  assertStringIncludes(pulledNow.text ?? "", "— Ledger, ");
  assertEquals([pulledNow.again, pulledNow.reads], [true, []]);
  // A record come some other way than a pull: worked out again.
  const sessions = join(alice.repo.path, ".claude-mpm/sessions");
  await Deno.writeTextFile(join(sessions, "note.txt"), "");
  assertEquals((await told(alice, later)).again, false);

  // Fifteen days on the lines' work has left the window: not told from what was kept.
  const gone = await told(alice, new Date(now.getTime() + 15 * 86_400_000));
  assertEquals([gone.text, gone.again], [null, false]);
});

Deno.test("a teammate's signed push is verified with the kept facts as without, a forged one never", async () => {
  await using clones = await withClones();
  const keys = join(clones.remote, "..");
  const [bobKey, malloryKey] = await Promise.all([sshKey(keys, "bob"), sshKey(keys, "mallory")]);
  const { alice, bob } = await pulled(clones, async ({ alice }) => {
    await alice.repo.write(".claude-mpm/allowed_signers", `bob@example.com ${bobKey.pub}\n`);
    await signWith(clones.b, bobKey);
  });
  const now = new Date();
  const fresh = await told(alice, now);
  assertStringIncludes(fresh.text ?? "", "- bob@example.com (verified) — Payouts, ");
  assertEquals(fresh.reads, []);
  // A claim of proof is worked out at each start: a signer dropped since must not stay told.
  assertEquals((await told(alice, now)).again, false);
  await Deno.remove(keptFile(alice));
  assertEquals((await told(alice, now)).text, fresh.text);

  // Mallory claims Bob's email, signing with her own key: unverified, with the kept facts too.
  const mallory: Who = { ...bob, name: "Mallory" };
  await signWith(clones.b, malloryKey);
  await run(mallory, 3, "start", "Takeover");
  await bob.repo.write(SHARED, "export const mallory = 1;\n");
  await run(mallory, 3, "pause", "-s", "Mallory's words");
  await run(mallory, 3, "sync", "push");
  await run(alice, 4, "sync", "pull");
  const later = new Date();
  const pulledAgain = await told(alice, later);
  assertEquals(pulledAgain.reads, []);
  assertStringIncludes(pulledAgain.text ?? "", "- bob@example.com (unverified) — Takeover, ");
  assertStringIncludes(pulledAgain.text ?? "", "- bob@example.com (verified) — Payouts, ");
  await Deno.remove(keptFile(alice));
  assertEquals((await told(alice, later)).text, pulledAgain.text);
});

Deno.test("the start's teammates' part is bounded without a Node timer", async () => {
  await using clones = await withClones();
  const { alice } = await pulled(clones);
  // Deno's global setTimeout is Node's: its first call loads Node's timers into the start.
  const setTimeout = globalThis.setTimeout;
  let timers = 0;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    timers++;
    return setTimeout(...args);
  }) as typeof setTimeout;
  try {
    const { text } = await told(alice, new Date());
    assertStringIncludes(text ?? "", "- bob@example.com (unverified) — Payouts, ");
  } finally {
    globalThis.setTimeout = setTimeout;
  }
  assertEquals(timers, 0);
});

Deno.test("the teammates' read does not ask for the person's identity; the board does", async () => {
  await using clones = await withClones();
  const { alice } = await pulled(clones);
  useMachineKeyFrom({ HOME: alice.repo.home });
  const base = {
    root: alice.repo.path,
    paths: projectPaths(alice.repo.path),
    now: new Date(),
    sinceDays: 14,
  };
  // The person's own records are left out of the teammates' read: whose they are is not needed.
  const mates = await readBoard({ ...base, teammatesOnly: true });
  assertEquals(mates.you.email, "");
  assertEquals(mates.fold.count, 1);
  const board = await readBoard(base);
  assertEquals(board.you.email, alice.email);
});
