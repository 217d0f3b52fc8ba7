/**
 * `mpm vault restore` and `mpm resume --conversation`: the vault's copy of a Claude conversation
 * written back where this machine's Claude Code looks for it, its paths moved to this checkout,
 * a last entry saying its redacted values stay redacted. The pure rules first (the path move,
 * the prefix rule), then the commands in-process between two clones of one repository.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { git, type Repo, tempDir, withClones } from "../helpers.ts";
import {
  foldFacts,
  isRestoreNote,
  noFacts,
  type PathMove,
  relocateLine,
  relocateText,
  restoreNoteLine,
} from "../../src/claude/transcript/restore_lines.ts";
import { checkoutMove } from "../../src/vault/restore/restore_types.ts";
import { planPlacement } from "../../src/claude/transcript/restore_place.ts";

/**
 * `text` with every occurrence of the path `move.from` as a whole path (not the start of a
 * longer name, not the end of a longer path) replaced by `move.to`.
 */
const movePaths = (text: string, move: PathMove) =>
  relocateText(text, { paths: [move], names: [] });
const moveLine = (line: string, move: PathMove) => relocateLine(line, { paths: [move], names: [] });
import { signAlike, signWith, sshKey } from "../board/identity_helpers.ts";
import {
  claudeEnds,
  claudeStarts,
  conversationIn,
  dashed,
  fakeClaude,
  FIXTURE,
  FIXTURE_CWD,
  FIXTURE_ID,
  promptLine,
  runner,
  transcriptPath,
} from "./vault_helpers.ts";
import { REAL, REAL_ID } from "../replay/replay_helpers.ts";

const SECRET = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

Deno.test("movePaths moves whole paths of the other checkout, and nothing that only looks alike", () => {
  const move = { from: "/a/shop", to: "/b/projects/shop" };
  assertEquals(movePaths("/a/shop", move), "/b/projects/shop");
  assertEquals(
    movePaths("cat /a/shop/src/x.ts && ls", move),
    "cat /b/projects/shop/src/x.ts && ls",
  );
  assertEquals(movePaths("file:///a/shop/x", move), "file:///b/projects/shop/x");
  assertEquals(movePaths('"/a/shop"', move), '"/b/projects/shop"');
  assertEquals(movePaths("/a/shopping/x", move), "/a/shopping/x");
  assertEquals(movePaths("/c/a/shop/x", move), "/c/a/shop/x");
  assertEquals(movePaths("/a/shop.old", move), "/a/shop.old");
});

Deno.test("relocateText: the other checkout, Claude Code folder and project folder name, in one pass", () => {
  const relocation = {
    paths: [{ from: "/home/alice/shop", to: "/b/shop" }, {
      from: "/home/alice/.claude",
      to: "/root/.claude",
    }],
    names: [{ from: "-home-alice-shop", to: "-b-shop" }],
  };
  assertEquals(
    relocateText("memory at `/home/alice/.claude/projects/-home-alice-shop/memory/`", relocation),
    "memory at `/root/.claude/projects/-b-shop/memory/`",
  );
  // Rewritten once: what one rewrite put in is not rewritten by another.
  assertEquals(
    relocateText("/home/alice/shop/x", {
      paths: [{ from: "/a", to: "/home/alice/shop/a" }, {
        from: "/home/alice/shop",
        to: "/a",
      }],
      names: [],
    }),
    "/a/x",
  );
  // Kept: the rest of the other machine, and names that only look alike.
  assertEquals(relocateText("/home/alice/notes.txt", relocation), "/home/alice/notes.txt");
  assertEquals(relocateText("x-home-alice-shopping", relocation), "x-home-alice-shopping");
  // A path holding a `\\` or a `"`, in a JSON line.
  const windows = { paths: [{ from: 'C:\\a"b', to: "/b" }], names: [] };
  assertEquals(
    JSON.parse(relocateLine(JSON.stringify({ cwd: 'C:\\a"b\\x' }), windows)).cwd,
    "/b\\x",
  );
});

Deno.test("moveLine rewrites what Claude Code reads as a path, never what was said or printed", () => {
  const move = { from: "/a/shop", to: "/b/shop" };
  const untouched = '{"type": "user",  "cwd":"/elsewhere"}';
  assertEquals(moveLine(untouched, move), untouched);
  const line = JSON.stringify({
    type: "assistant",
    cwd: "/a/shop",
    message: {
      content: [
        { type: "text", text: "I will fix /a/shop/src/pay.ts" },
        { type: "tool_use", input: { file_path: "/a/shop/src/pay.ts", content: "root=/a/shop" } },
        { type: "tool_use", input: { command: "cd /a/shop && pwd", description: "/a/shop" } },
        { type: "tool_use", input: { pattern: "TODO", path: "/a/shop/src" } },
        { type: "tool_use", input: { notebook_path: "/a/shop/n.ipynb", new_source: "/a/shop" } },
      ],
    },
  });
  const moved = JSON.parse(moveLine(line, move));
  assertEquals(moved.cwd, "/b/shop");
  assertEquals(
    moved.message.content.map((b: { text?: string; input?: unknown }) => b.input ?? b.text),
    [
      "I will fix /a/shop/src/pay.ts",
      { file_path: "/b/shop/src/pay.ts", content: "root=/a/shop" },
      { command: "cd /a/shop && pwd", description: "/a/shop" },
      { pattern: "TODO", path: "/b/shop/src" },
      { notebook_path: "/b/shop/n.ipynb", new_source: "/a/shop" },
    ],
  );
  // A tool's output is history: the result the model read, and the record of it, but for the
  // file a Read, Write or Edit names (`filePath`).
  const result = JSON.stringify({
    type: "user",
    cwd: "/a/shop",
    message: {
      content: [{ type: "tool_result", tool_use_id: "t", content: "/a/shop\n" }],
    },
    toolUseResult: { stdout: "/a/shop\n", stderr: "", interrupted: false, isImage: false },
  });
  const movedResult = JSON.parse(moveLine(result, move));
  assertEquals(movedResult.cwd, "/b/shop");
  assertEquals(movedResult.message.content[0].content, "/a/shop\n");
  assertEquals(movedResult.toolUseResult.stdout, "/a/shop\n");
  const read = JSON.stringify({
    type: "user",
    toolUseResult: { type: "text", file: { filePath: "/a/shop/x.ts", content: "at /a/shop" } },
  });
  assertEquals(JSON.parse(moveLine(read, move)).toolUseResult.file, {
    filePath: "/b/shop/x.ts",
    content: "at /a/shop",
  });
  // A line where only history names it, or that is not JSON, is kept byte for byte.
  const said = '{"type":"user","message":{"role":"user","content":"see /a/shop"}, "x": 1}';
  assertEquals(moveLine(said, move), said);
  assertEquals(moveLine("not json /a/shop/x", move), "not json /a/shop/x");
});

Deno.test("the real 2.1.328 transcript, moved: cwd and the tools' file paths, no tool output", async () => {
  const move = { from: "/home/dev/shop", to: "/b/shop" };
  const before = (await Deno.readTextFile(REAL)).trim().split("\n");
  const after = before.map((line) => moveLine(line, move));
  const entries = after.map((line) => JSON.parse(line));
  const conversation = entries.filter((e) => e.type === "user" || e.type === "assistant");
  assert(conversation.every((e) => e.cwd === "/b/shop"));
  const inputs = conversation.flatMap((e) =>
    Array.isArray(e.message?.content)
      ? e.message.content.filter((b: { type: string }) => b.type === "tool_use")
      : []
  );
  assertEquals(
    inputs.flatMap((b: { input: { file_path?: string } }) => b.input.file_path ?? []),
    ["/b/shop/src/pay.ts", "/b/shop/src/pay.ts", "/b/shop/src/pay.ts"],
  );
  const results = conversation.flatMap((e) =>
    Array.isArray(e.message?.content)
      ? e.message.content.filter((b: { type: string }) => b.type === "tool_result")
      : []
  );
  assertStringIncludes(
    results[0].content,
    "File created successfully at: /home/dev/shop/src/pay.ts",
  );
  const records = conversation.flatMap((e) => e.toolUseResult?.filePath ?? []);
  assertEquals(records, ["/b/shop/src/pay.ts", "/b/shop/src/pay.ts"]);
  // The environment Claude Code records for the model names this checkout.
  const environment = entries.filter((e) => e.type === "api-request-blob");
  assert(environment.some((e) => JSON.stringify(e).includes("Primary working directory: /b/shop")));
});

Deno.test("a transcript Claude Code has gives way only when it is the restored one's start", async () => {
  await using dir = await tempDir();
  const id = "0b7e6c2a-1111-4222-8333-444455556666";
  const main = join(dir.path, `${id}.jsonl`);
  const mayReplace = async (existing: string, restored: string) => {
    await Deno.writeTextFile(main, existing);
    const text = async function* () {
      yield restored;
    };
    const [plan] = await planPlacement(main, id, [{ rel: `${id}.jsonl`, text }]);
    return plan.outcome !== "kept";
  };
  const restored = "a\nb\nc\n";
  assert(await mayReplace("", restored));
  assert(await mayReplace("a\nb\n", restored));
  assert(await mayReplace(restored, restored));
  assert(!await mayReplace("a\nX\n", restored), "a transcript that went another way is kept");
  assert(!await mayReplace("a\nb\nc\nd\n", restored), "a longer one is kept");
  // Restored once (with its note), continued by Claude Code, then restored from a longer copy.
  const note = restoreNoteLine({
    sessionId: "s",
    parentUuid: "u",
    move: { from: "/a", to: "/b" },
    uuid: "n",
    at: "2026-01-01T00:00:00.000Z",
    version: "2.1.330",
  });
  assert(isRestoreNote(note));
  assert(await mayReplace(`a\n${note}\nb\n`, `a\nb\nc\n${note}\n`));
  assert(!await mayReplace(`a\n${note}\nX\n`, `a\nb\nc\n${note}\n`));
});

Deno.test("checkoutMove: the other checkout's root, from where the conversation ran", () => {
  assertEquals(checkoutMove("/a/shop", "/b/shop", "/b/shop"), {
    move: { from: "/a/shop", to: "/b/shop" },
    cwd: "/b/shop",
  });
  // It ran in a folder of the checkout, and the restore runs in the same folder here.
  assertEquals(checkoutMove("/a/shop/pkg", "/b/shop", "/b/shop/pkg"), {
    move: { from: "/a/shop", to: "/b/shop" },
    cwd: "/b/shop/pkg",
  });
});

Deno.test("transcriptFacts reads the real 2.1.330 transcript: its folder, version and last entry", async () => {
  const facts = noFacts();
  for (const line of (await Deno.readTextFile(FIXTURE)).trim().split("\n")) foldFacts(facts, line);
  assertEquals(facts.cwd, FIXTURE_CWD);
  assertEquals(facts.versions, ["2.1.330"]);
  assertEquals(facts.leaf?.uuid, "39df3274-925c-484b-b674-462f783f1667");
  assertEquals(facts.redacted, false);
});

/** The 2.1.330 transcript as if it ran in `repo` on its machine, with a `pwd` run by the model. */
function withPwd(repo: Repo, dir: string, id = FIXTURE_ID): Promise<string> {
  return conversationIn(repo, dir, id, pwdLines(repo, id));
}

/** The model runs `pwd` and `ls ~`: a tool call and its output, as Claude Code records them. */
function pwdLines(repo: Repo, id: string): string {
  const base = { isSidechain: false, sessionId: id, cwd: repo.path, version: "2.1.330" };
  return [
    {
      ...base,
      type: "assistant",
      uuid: "7a000000-0000-4000-8000-000000000001",
      parentUuid: "39df3274-925c-484b-b674-462f783f1667",
      timestamp: "2026-11-23T04:26:40.000Z",
      message: {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_pwd", name: "Bash", input: { command: "pwd" } }],
      },
    },
    {
      ...base,
      type: "user",
      uuid: "7a000000-0000-4000-8000-000000000002",
      parentUuid: "7a000000-0000-4000-8000-000000000001",
      timestamp: "2026-11-23T04:26:41.000Z",
      message: {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "toolu_pwd",
          content: `${repo.path}\n(notes in ${repo.home}/notes.txt)`,
        }],
      },
    },
  ].map((e) => JSON.stringify(e) + "\n").join("");
}

// deno-lint-ignore no-explicit-any
function lines(text: string): any[] {
  return text.trim().split("\n").map((l) => JSON.parse(l));
}

Deno.test("mpm vault restore: A's conversation continues on B, from B's own checkout", async (t) => {
  await using clones = await withClones();
  await using scratch = await tempDir();
  const { a, b } = clones;
  const tested = await fakeClaude(scratch.path, "2.1.330");
  const onA = runner(a, { PATH: tested });
  const onB = runner(b, { PATH: tested });
  // One person's two machines: the same email, and pushes signed with the same key.
  await signAlike(a, b);
  await onA.ok(["start", "payments"]);
  await claudeStarts(a, FIXTURE_ID, await withPwd(a, scratch.path), {
    extraLines: [promptLine(FIXTURE_ID, `charge with ${SECRET}`)],
  });
  await claudeEnds(a, FIXTURE_ID);
  await onA.ok(["sync", "push"]);
  await onB.ok(["sync", "pull"]);
  const restoredAt = transcriptPath(b, FIXTURE_ID);

  await t.step(
    "B restores it into its own Claude Code folder, A's paths moved to B's",
    async () => {
      const out = await onB.run(["vault", "restore", FIXTURE_ID.slice(0, 8), "--json"]);
      assertEquals(out.code, 0, out.stderr + out.stdout);
      const report = JSON.parse(out.stdout);
      assertEquals(report.status, "restored");
      assertEquals(report.origin, "you", "pushed signed with B's own key: the same person");
      assertEquals(report.transcript, restoredAt);
      assertEquals(report.command, `claude --resume ${FIXTURE_ID}`);
      const text = await Deno.readTextFile(restoredAt);
      // What Claude Code reads as a path names B's checkout: every cwd, every tool's file path.
      const paths = lines(text).flatMap((e) => [
        e.cwd,
        ...(Array.isArray(e.message?.content) ? e.message.content : [])
          .flatMap((b: { input?: { file_path?: string } }) => b.input?.file_path ?? []),
        e.toolUseResult?.filePath,
      ]).filter((p) => typeof p === "string");
      assertEquals(paths.filter((p) => p.startsWith(a.path)), []);
      assert(paths.filter((p) => p.startsWith(b.path)).length > 10);
      // A's checkout is left only in what was said and printed (and the note that says so).
      const left = lines(text).filter((e) => JSON.stringify(e).includes(a.path));
      assertEquals(
        left.map((e) => e.mpmRestore ? "note" : e.message.content[0].type),
        ["tool_result", "note"],
      );
      // Nor A's Claude Code folder or its project folder's name: the system prompt Claude Code
      // recorded (attachments, api-request-shape) names B's memory folder.
      assertNotIncludes(text, `${a.home}/.claude`);
      assertNotIncludes(text, dashed(a.path));
      const memory = `${b.home}/.claude/projects/${dashed(b.path)}/memory/`;
      const recorded = lines(text).filter((e) => JSON.stringify(e).includes(memory));
      assertEquals(
        recorded.map((e) => e.type).sort(),
        ["api-request-shape", "attachment", "attachment"],
      );
      assertEquals(report.claude_config, { from: `${a.home}/.claude`, to: `${b.home}/.claude` });
      // The `pwd` the model ran printed A's checkout: output is history, kept as recorded.
      const pwd = lines(text).find((e) => e.message?.content?.[0]?.tool_use_id === "toolu_pwd");
      assertEquals(pwd.message.content[0].content, `${a.path}\n(notes in ${a.home}/notes.txt)`);
      assert(!text.includes(SECRET));
      const entries = lines(text);
      assertEquals(entries.find((e) => e.cwd)?.cwd, b.path);
      const last = entries.at(-1);
      assertEquals(last.type, "user");
      assertEquals(last.isMeta, true);
      assertStringIncludes(last.message.content, "[REDACTED:");
      assertEquals(last.parentUuid, entries.at(-2).uuid, "the note hangs from the last entry");
      assertEquals((await Deno.stat(restoredAt)).mode! & 0o777, 0o600);
      const subagents = join(restoredAt, "..", FIXTURE_ID, "subagents");
      assertEquals([...Deno.readDirSync(subagents)].length, 1, "its subagent came too");
    },
  );

  await t.step("restoring again changes nothing; the text prints the command", async () => {
    const before = await Deno.readTextFile(restoredAt);
    const again = await onB.ok(["vault", "restore", FIXTURE_ID]);
    assertStringIncludes(again.stdout, "already has");
    assertStringIncludes(again.stdout, `Continue it with: claude --resume ${FIXTURE_ID}`);
    assertEquals(await Deno.readTextFile(restoredAt), before);
  });

  await t.step("a transcript Claude Code went on with here is never overwritten", async () => {
    const mine = (await Deno.readTextFile(restoredAt)).split("\n").slice(0, 3).join("\n") +
      "\n" + promptLine(FIXTURE_ID, "a different turn") + "\n";
    await Deno.writeTextFile(restoredAt, mine);
    const out = await onB.run(["vault", "restore", FIXTURE_ID]);
    assertEquals(out.code, 1);
    assertStringIncludes(out.stderr, "leaves it as it is");
    assertEquals(await Deno.readTextFile(restoredAt), mine);
  });

  await t.step("one that holds only the restored one's start gives way", async () => {
    const whole = (await Deno.readTextFile(restoredAt)).split("\n").slice(0, 3).join("\n") + "\n";
    await Deno.writeTextFile(restoredAt, whole);
    await onB.ok(["vault", "restore", FIXTURE_ID]);
    assert((await Deno.readTextFile(restoredAt)).length > whole.length);
  });

  await t.step(
    "an installed Claude Code it was not tested with is refused, unless --force",
    async () => {
      const newer = runner(b, { PATH: await fakeClaude(scratch.path, "9.0.0") });
      const out = await newer.run(["vault", "restore", FIXTURE_ID, "--dry-run"]);
      assertEquals(out.code, 1);
      assertStringIncludes(out.stderr, "Claude Code 9.0.0");
      assertStringIncludes(out.stderr, `mpm vault restore ${FIXTURE_ID.slice(0, 8)} --force`);
      await newer.ok(["vault", "restore", FIXTURE_ID, "--force", "--dry-run"]);
      // Through `resume --conversation`: resumed, but not a success a script would go on from.
      const resumed = await newer.run(["resume", "--conversation"]);
      assertEquals(resumed.code, 1, resumed.stderr);
      assertStringIncludes(resumed.stdout, "is active again");
      assertStringIncludes(resumed.stdout, "The conversation was not restored");
      assertStringIncludes(resumed.stdout, `mpm vault restore ${FIXTURE_ID.slice(0, 8)} --force`);
    },
  );

  await t.step(
    "mpm resume --conversation resumes the session and restores its conversation",
    async () => {
      await Deno.remove(restoredAt);
      const out = await onB.ok(["resume", "--conversation"]);
      assertStringIncludes(out.stdout, "is active again");
      assertStringIncludes(out.stdout, `Continue it with: claude --resume ${FIXTURE_ID}`);
      assert(lines(await Deno.readTextFile(restoredAt)).at(-1).isMeta);
    },
  );

  await t.step(
    "the person's own conversation, continued on B, goes back with B's push",
    async () => {
      await Deno.writeTextFile(restoredAt, promptLine(FIXTURE_ID, "on B now") + "\n", {
        append: true,
      });
      await claudeEnds(b, FIXTURE_ID);
      const pushed = JSON.parse((await onB.ok(["sync", "push", "--json"])).stdout);
      assertEquals(pushed.transcripts.moved, [FIXTURE_ID]);
      assertEquals(pushed.transcripts.kept, []);
    },
  );
});

Deno.test("mpm vault restore refuses a teammate's copy unless --from-teammate", async () => {
  await using pulled = await alicePushedBPulled();
  const { b, onB } = pulled;
  const refused = await onB.run(["vault", "restore"]);
  assertEquals(refused.code, 1);
  assertStringIncludes(refused.stderr, "came from a teammate (alice@example.com)");
  assertStringIncludes(refused.stderr, "--from-teammate");
  assert(!(await exists(transcriptPath(b, FIXTURE_ID))));
  const out = JSON.parse(
    (await onB.ok(["vault", "restore", "--from-teammate", "--json"])).stdout,
  );
  assertEquals(out.origin, "teammate");
  assert(await exists(transcriptPath(b, FIXTURE_ID)));
});

Deno.test("mpm vault restore refuses a transcript written by a client it was not tested with", async () => {
  await using clones = await withClones();
  await using scratch = await tempDir();
  const { a } = clones;
  const onA = runner(a, { PATH: await fakeClaude(scratch.path, "2.1.330") });
  await onA.ok(["start", "payments"]);
  // Claude Code 2.1.328 wrote this one; Claude Code then deleted it (cleanupPeriodDays).
  const session = await claudeStarts(a, REAL_ID, REAL);
  await claudeEnds(a, REAL_ID);
  await Deno.remove(session.transcript);
  const out = await onA.run(["vault", "restore", REAL_ID]);
  assertEquals(out.code, 1);
  assertStringIncludes(out.stderr, "Claude Code 2.1.328");
  const forced = JSON.parse(
    (await onA.ok(["vault", "restore", REAL_ID, "--force", "--json"])).stdout,
  );
  assertEquals(forced.origin, "here");
  assert(await exists(session.transcript));
});

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("a teammate's conversation continued here stays the teammate's: marked so, and never pushed over theirs", async () => {
  await using pulled = await alicePushedBPulled();
  const { b, onB } = pulled;
  await onB.ok(["resume", "--conversation", "--from-teammate"]);
  // B goes on with it: one more prompt, then Claude Code exits (SessionEnd copies it again).
  const restored = transcriptPath(b, FIXTURE_ID);
  await Deno.writeTextFile(restored, promptLine(FIXTURE_ID, "Bob goes on") + "\n", {
    append: true,
  });
  await claudeEnds(b, FIXTURE_ID);

  const listed = JSON.parse((await onB.ok(["vault", "list", "--json"])).stdout);
  const copy = listed.find((c: { id: string }) => c.id === FIXTURE_ID);
  assertEquals(copy.imported?.sender, "alice@example.com", JSON.stringify(copy));
  const pushed = JSON.parse((await onB.ok(["sync", "push", "--json"])).stdout);
  assertEquals(pushed.transcripts.moved, []);
  assertEquals(pushed.transcripts.kept.map((k: { id: string }) => k.id), [FIXTURE_ID]);
  assertStringIncludes(pushed.transcripts.kept[0].reason, "alice@example.com");
  const sender = await git(
    b.path,
    "log",
    "-1",
    "--format=%ae",
    "refs/mpm/sessions",
    "--",
    `vault/${FIXTURE_ID}.json`,
  );
  assertEquals(sender.trim(), "alice@example.com");
  // Still the teammate's to restore: by the sender recorded when it was pulled.
  const again = await onB.run(["vault", "restore", "--dry-run", "--json"]);
  assertEquals(
    JSON.parse(again.stdout).error?.message.includes("alice@example.com"),
    true,
    again.stdout,
  );
});

Deno.test("a copy pushed under the person's own email, unsigned or by another key, is a teammate's", async () => {
  // A pushes with the email B runs with (the tests' own), unsigned: a claim, not a proof.
  await using pulled = await alicePushedBPulled({ email: null });
  const { a, b, onB } = pulled;
  const refused = await onB.run(["vault", "restore"]);
  assertEquals(refused.code, 1, refused.stderr);
  assertStringIncludes(refused.stderr, "came from a teammate");
  assertStringIncludes(refused.stderr, "signed with your own signing key");
  assert(!(await exists(transcriptPath(b, FIXTURE_ID))));

  // Signed, but with A's own key, not B's: still a teammate's.
  const keys = await tempDir();
  const [aKey, bKey] = [await sshKey(keys.path, "a"), await sshKey(keys.path, "b")];
  await signWith(a, aKey);
  await signWith(b, bKey);
  await a.write("more.txt", "more\n");
  await claudeEnds(a, FIXTURE_ID);
  await pulled.alice.ok(["sync", "push"]);
  await onB.ok(["sync", "pull"]);
  const json = JSON.parse((await onB.ok(["vault", "restore", "--from-teammate", "--json"])).stdout);
  assertEquals(json.origin, "teammate");
  await keys[Symbol.asyncDispose]();
});

/**
 * Alice (machine A, her own git email unless `email` says another, null: the tests' own) starts
 * a session, has a conversation and pushes; B (the tests' own email) pulls it. Disposing removes
 * both clones and the fake Claude Code.
 */
async function alicePushedBPulled(options: { email?: string | null } = {}) {
  const clones = await withClones();
  const scratch = await tempDir();
  const { a, b } = clones;
  const tested = await fakeClaude(scratch.path, "2.1.330");
  const email = options.email === undefined ? "alice@example.com" : options.email;
  const alice = runner(a, { PATH: tested, ...email === null ? {} : { GIT_AUTHOR_EMAIL: email } });
  const onB = runner(b, { PATH: tested });
  await alice.ok(["start", "payments"]);
  await claudeStarts(a, FIXTURE_ID, await withPwd(a, scratch.path));
  await claudeEnds(a, FIXTURE_ID);
  await alice.ok(["sync", "push"]);
  await onB.ok(["sync", "pull"]);
  return {
    a,
    b,
    alice,
    onB,
    async [Symbol.asyncDispose]() {
      await clones[Symbol.asyncDispose]();
      await scratch[Symbol.asyncDispose]();
    },
  };
}
