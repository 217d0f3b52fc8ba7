/**
 * What a restore says, and to whom: `mpm resume --conversation` of a session with no vaulted
 * conversation says that of the session (not of a transcript id), and one whose conversation a
 * pull kept apart from it names the command that restores it; a conversation put back in the
 * checkout it was vaulted in tells the model it came from this checkout's vault; and what cannot
 * be a Claude session id is a usage error.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { tempDir, withClones, withRepo } from "../helpers.ts";
import {
  claudeEnds,
  claudeStarts,
  conversationIn,
  fakeClaude,
  FIXTURE_ID,
  payload,
  runner,
  transcriptPath,
} from "./vault_helpers.ts";

Deno.test("resume --conversation of a session with no vaulted conversation says so of the session", async () => {
  await using repo = await withRepo();
  const { ok, run } = runner(repo);
  await ok(["start", "Payments"]);
  await ok(["pause", "-s", "stripe wired"]);
  const key = JSON.parse((await ok(["list", "--json"])).stdout)[0].line;
  const out = await run(["resume", "--conversation"]);
  assertEquals(out.code, 1, out.stderr);
  assertStringIncludes(out.stdout, "is active again");
  assertStringIncludes(out.stdout, `Session ${key} has no vaulted Claude conversation.`);
  assertNotIncludes(out.stdout, "No vaulted transcript has the id");
});

Deno.test("resume --conversation names the teammate's copy its session's snapshots name, kept apart from it by a pull", async () => {
  await using clones = await withClones();
  await using scratch = await tempDir();
  const { a, b } = clones;
  const tested = await fakeClaude(scratch.path, "2.1.330");
  const alice = runner(a, { PATH: tested, GIT_AUTHOR_EMAIL: "alice@example.com" });
  const onB = runner(b, { PATH: tested });
  await alice.ok(["start", "Refunds"]);
  await alice.ok(["pause", "-s", "refunds begun"]);
  await alice.ok(["sync", "push"]);
  // B takes the session up: it is now one of B's sessions too.
  await onB.ok(["sync", "pull"]);
  await onB.ok(["resume", "0", "--from-teammate"]);
  await onB.ok(["pause", "-s", "B's turn"]);
  // Alice goes on with it in a Claude conversation that changes a file: its end pauses (the
  // snapshot names the conversation) and vaults it; both are pushed.
  await alice.ok(["resume", "--force"]);
  await claudeStarts(a, FIXTURE_ID, await conversationIn(a, scratch.path));
  await a.write("refund.ts", "export const refund = 1;\n");
  await claudeEnds(a, FIXTURE_ID);
  await alice.ok(["sync", "push"]);
  await onB.ok(["sync", "pull"]);
  const listed = JSON.parse((await onB.ok(["vault", "list", "--json"])).stdout);
  assertEquals(listed.map((c: { id: string; session: string | null }) => [c.id, c.session]), [
    [FIXTURE_ID, null],
  ]);

  const out = await onB.run(["resume", "--conversation"]);
  assertEquals(out.code, 1, out.stderr);
  assertStringIncludes(out.stdout, `its snapshots name Claude session ${FIXTURE_ID}`);
  assertStringIncludes(out.stdout, `\`mpm vault restore ${FIXTURE_ID} --from-teammate\``);
  assertNotIncludes(out.stdout, "No vaulted transcript has the id");
});

Deno.test("a conversation restored in the checkout it was vaulted in says it came from this checkout's vault", async () => {
  await using clones = await withClones();
  await using scratch = await tempDir();
  const { a } = clones;
  const onA = runner(a, { PATH: await fakeClaude(scratch.path, "2.1.330") });
  await onA.ok(["start", "Payments"]);
  await claudeStarts(a, FIXTURE_ID, await conversationIn(a, scratch.path));
  await claudeEnds(a, FIXTURE_ID);
  // Claude Code deleted its own copy (cleanupPeriodDays).
  const transcript = transcriptPath(a, FIXTURE_ID);
  await Deno.remove(transcript);
  const report = JSON.parse((await onA.ok(["vault", "restore", FIXTURE_ID, "--json"])).stdout);
  assertEquals([report.origin, report.moved.from, report.moved.to], ["here", a.path, a.path]);
  const last = JSON.parse((await Deno.readTextFile(transcript)).trimEnd().split("\n").at(-1)!);
  assertStringIncludes(last.message.content, "restored from this checkout's mpm vault:");
  assertNotIncludes(last.message.content, "another checkout");
  assertEquals(last.mpmRestore.from, a.path);
});

Deno.test("vault show and restore of what cannot be a Claude session id are usage errors", async () => {
  await using repo = await withRepo();
  const { run } = runner(repo);
  for (const args of [["show", ""], ["show", "../x"], ["restore", "../x"]]) {
    const out = await run(["vault", ...args]);
    assertEquals(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
    assertStringIncludes(out.stderr, "is not a Claude session id");
  }
  assertEquals((await run(["vault", "show", "abcd"])).code, 3, "a well-formed id not held");
});

Deno.test("restoring the copy of a transcript that was empty says there is nothing to restore", async () => {
  await using repo = await withRepo();
  const { ok, run } = runner(repo);
  await ok(["start", "work"]);
  const id = "0c0ffee0-0000-4000-8000-0000000e0e0e";
  await Deno.mkdir(join(transcriptPath(repo, id), ".."), { recursive: true });
  await ok(["hook", "session-start"], payload(repo, "SessionStart", id, { source: "startup" }));
  await Deno.writeTextFile(transcriptPath(repo, id), "");
  await claudeEnds(repo, id);
  await Deno.remove(transcriptPath(repo, id));
  const out = await run(["vault", "restore", id]);
  assertEquals(out.code, 3, out.stderr);
  assertStringIncludes(
    out.stderr,
    `The vault's copy of Claude session ${id} holds no conversation: its transcript was empty.`,
  );
  assertNotIncludes(out.stderr, "cannot be moved");
});
