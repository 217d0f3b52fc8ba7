/**
 * The board keeps the senders of its window's files (`.claude-mpm/cache/senders-recent.json`)
 * beside the whole ref's, and reads those instead of the whole. Whose a record is, and whether
 * it is verified, still comes only from what this machine read and checked: the kept window
 * damaged, edited by hand, sealed by another machine or left from another commit changes
 * nothing the board says.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../assert.ts";
import { withClones } from "../helpers.ts";
import { run, type Who } from "./identity_helpers.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { boardSendersCache } from "../../src/sessions/store/caches/senders_cache.ts";

/** The board as JSON, but for the moment it was made. */
async function board(who: Who): Promise<unknown> {
  const { generated: _, ...rest } = JSON.parse(await run(who, 3, "board", "--json"));
  return rest;
}

Deno.test("the window's kept senders say what the whole does, and a forged one changes nothing", async (t) => {
  await using clones = await withClones();
  const alice: Who = { repo: clones.a, name: "Alice", email: "alice@example.com" };
  const bob: Who = { repo: clones.b, name: "Bob", email: "bob@example.com" };
  await run(bob, 0, "start", "Payouts");
  await bob.repo.write("README.md", "export const bob = 1;\n");
  await run(bob, 0, "pause", "-s", "Bob's words");
  await run(bob, 0, "sync", "push");
  await run(alice, 1, "start", "Refunds");
  await run(alice, 1, "pause", "-s", "Alice's words");
  await run(alice, 2, "sync", "pull");

  const file = join(alice.repo.path, ".claude-mpm/cache/senders-recent.json");
  const first = await board(alice);
  const emails = (first as { people: { email: string }[] }).people.map((p) => p.email);
  assertEquals(emails, ["alice@example.com", "bob@example.com"]);
  const kept = await Deno.readTextFile(file);
  assert(kept.includes("bob@example.com"), kept);

  await t.step("read again: the same board", async () => {
    assertEquals(await board(alice), first);
  });
  await t.step("edited by hand: not used", async () => {
    await Deno.writeTextFile(file, kept.replaceAll("bob@example.com", "alice@example.com"));
    assertEquals(await board(alice), first);
  });
  await t.step("damaged: not used", async () => {
    await Deno.writeTextFile(file, kept.slice(0, kept.length / 2));
    assertEquals(await board(alice), first);
  });
  const paths = projectPaths(alice.repo.path);
  useMachineKeyFrom({ HOME: alice.repo.home });
  const real = await boardSendersCache(paths).recent.read();
  assert(real !== null);
  const forged = { ...real, people: real.people.map((p) => p.replace("bob@", "alice@")) };
  await t.step("left from another commit: not used", async () => {
    await boardSendersCache(paths).recent.write({ ...forged, ref: "0".repeat(40) });
    assertEquals(await board(alice), first);
  });
  await t.step("sealed by another machine: not used", async () => {
    const elsewhere = join(alice.repo.home, "elsewhere");
    await Deno.mkdir(join(elsewhere, ".local", "state", "mpm"), { recursive: true });
    await Deno.writeTextFile(
      join(elsewhere, ".local", "state", "mpm", "machine.json"),
      JSON.stringify({ version: 1, key: "cd".repeat(32) }) + "\n",
    );
    useMachineKeyFrom({ HOME: elsewhere });
    await boardSendersCache(paths).recent.write(forged);
    useMachineKeyFrom({ HOME: alice.repo.home });
    assert((await Deno.readTextFile(file)).includes("alice@"));
    assertEquals(await board(alice), first);
  });
});
