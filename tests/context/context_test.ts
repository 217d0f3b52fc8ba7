/**
 * `mpm context` as a user runs it, in real git repositories: init from a session, update
 * keeping a hand-edited file byte for byte outside mpm's markers, partitions, edit, the
 * SessionStart preview, and the refusals (a link out of the project, a binary file, a bad
 * partition name) that change nothing.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../helpers.ts";

const CONTEXT = ".claude/context.md";

const bytes = (repo: Repo, file: string) => Deno.readFile(join(repo.path, file));

/** The file's bytes outside mpm's blocks (the marker lines kept), as text. */
function outsideBlocks(text: string): string {
  return text.replace(
    /(<!-- mpm:begin [^\n]*-->\r?\n)[\s\S]*?(<!-- mpm:end -->)/g,
    "$1$2",
  );
}

/** A session with todos and next steps, resumed so it is active: what init writes from. */
async function sessionWithSteps(repo: Repo) {
  await ok(repo, "start", "Payment Processing", "--task", "refunds");
  await ok(repo, "todo", "add", "Webhook signature verification failing in dev");
  await ok(repo, "todo", "add", "Add idempotency keys");
  await ok(repo, "todo", "done", "2");
  await ok(repo, "pause", "-s", "half way", "-n", "Implement refund logic", "-n", "Write tests");
  await ok(repo, "resume");
}

Deno.test("mpm context init writes the guide's sections from the session, once", async (t) => {
  await using repo = await withRepo();
  await t.step("before init: says how to start one", async () => {
    const none = await repo.run("context");
    assertEquals(none.code, 3);
    assertStringIncludes(none.stderr, "mpm context init");
  });
  await sessionWithSteps(repo);
  await t.step("init", async () => {
    assertStringIncludes((await ok(repo, "context", "init")).stdout, `Wrote ${CONTEXT}`);
    const text = await Deno.readTextFile(join(repo.path, CONTEXT));
    for (
      const section of [
        "Current Work",
        "Architecture",
        "Recent Decisions",
        "Known Issues",
        "Dependencies",
        "Testing Notes",
        "Next Session",
      ]
    ) assertStringIncludes(text, `\n## ${section}\n`);
    assertStringIncludes(text, "Feature: Payment Processing\nTask: refunds\n");
    assertStringIncludes(text, "Status: active (1 of 2 todos done)\nBranch: main\n");
    assertStringIncludes(text, "## Known Issues\n- [ ] Webhook signature verification failing");
    assertStringIncludes(text, "Continue with:\n1. Implement refund logic\n2. Write tests\n");
    assertEquals((await ok(repo, "context")).stdout, text, "mpm context prints it as it is");
  });
  await t.step(
    "init again is refused (exit 1: it keeps the person's file) and changes nothing",
    async () => {
      await repo.write(CONTEXT, "# mine\n");
      const again = await repo.run("context", "init");
      assertEquals(again.code, 1);
      assertStringIncludes(again.stderr, "already exists");
      assertEquals(await Deno.readTextFile(join(repo.path, CONTEXT)), "# mine\n");
    },
  );
});

Deno.test("mpm context update keeps a hand-edited file byte for byte outside the markers", async () => {
  await using repo = await withRepo();
  await sessionWithSteps(repo);
  await ok(repo, "context", "init");
  // The person rewrites it: CRLF, unicode, trailing spaces, their own notes around the
  // blocks, their own words on the marker line, and no final newline.
  const original = await Deno.readTextFile(join(repo.path, CONTEXT));
  const edited = original
    .replace(
      "## Architecture\n",
      "## Architecture\n- Stripe API — webhooks in src/webhooks/stripe.ts  \n",
    )
    .replace("(mpm context update rewrites the lines up to mpm:end)", "keep: mine ✍")
    .replace("## Testing Notes\n", "## Testing Notes\n\tUse Stripe test mode keys\n\n\n")
    .replaceAll("\n", "\r\n") + "P.S. no newline at the end ";
  await repo.write(CONTEXT, edited);
  await repo.git("checkout", "-q", "-b", "feature/payments");
  await ok(repo, "todo", "done", "1");

  const result = await ok(repo, "context", "update", "--json");
  assertEquals(JSON.parse(result.stdout), { file: CONTEXT, changed: true, added: [] });
  const after = new TextDecoder().decode(await bytes(repo, CONTEXT));
  assertEquals(outsideBlocks(after), outsideBlocks(edited), "every byte outside the blocks");
  assertStringIncludes(after, "Status: active (2 of 2 todos done)\r\nBranch: feature/payments\r\n");
  assertMatch(after, /Last updated: \d{4}-\d\d-\d\d \d\d:\d\d UTC\r\n/);
  assert(after.endsWith("P.S. no newline at the end "));
  assertEquals(after.replaceAll("\r\n", "").includes("\n"), false, "CRLF stays CRLF");
});

Deno.test("mpm context update adds missing markers without moving the person's text", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Work");
  const hand = "# Notes\n\n## Current Work\nFeature: mine\n\n## Next Session\n1. my own plan\n";
  await repo.write(CONTEXT, hand);
  const result = JSON.parse((await ok(repo, "context", "update", "--json")).stdout);
  assertEquals(result.added, ["status", "next-session"]);
  const after = await Deno.readTextFile(join(repo.path, CONTEXT));
  const removed = after.replace(/<!-- mpm:begin [^\n]*\n[\s\S]*?<!-- mpm:end -->\n/g, "");
  assertEquals(removed, hand, "only insertions");
  assertStringIncludes(after, "Feature: mine\n<!-- mpm:begin status");
});

Deno.test("mpm context refuses a link out of the project or a binary file, changing nothing", async (t) => {
  await using repo = await withRepo();
  await ok(repo, "start", "Work");
  const outside = join(repo.path, "..", "outside.md");
  await Deno.writeTextFile(outside, "# not the project's\n");
  await Deno.mkdir(join(repo.path, ".claude"));
  await Deno.symlink(outside, join(repo.path, CONTEXT));
  for (
    const args of [["context"], ["context", "update"], ["context", "init"], ["context", "edit"]]
  ) {
    await t.step(`link: ${args.join(" ")}`, async () => {
      const result = await mpm(args, {
        cwd: repo.path,
        env: { HOME: repo.home, EDITOR: "touch" },
      });
      assert(result.code !== 0, result.stdout);
      assertStringIncludes(result.stderr, "outside the project");
      assertEquals(result.stderr.split("\n")[0].match(/\. /g), null, "one sentence");
      assertEquals(await Deno.readTextFile(outside), "# not the project's\n");
    });
  }
  await t.step("a .claude folder that leads out", async () => {
    await Deno.remove(join(repo.path, ".claude"), { recursive: true });
    const elsewhere = join(repo.path, "..", "elsewhere");
    await Deno.mkdir(elsewhere);
    await Deno.symlink(elsewhere, join(repo.path, ".claude"));
    const result = await repo.run("context", "init");
    assert(result.code !== 0);
    assertEquals([...Deno.readDirSync(elsewhere)], [], "nothing written outside");
    await Deno.remove(join(repo.path, ".claude"));
  });
  await t.step("binary", async () => {
    const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff]);
    await Deno.mkdir(join(repo.path, ".claude"));
    await Deno.writeFile(join(repo.path, CONTEXT), binary);
    for (const args of [["context"], ["context", "update"]]) {
      const result = await repo.run(...args);
      assertEquals(result.code, 2);
      assertStringIncludes(result.stderr, "binary file");
    }
    // The preview shows what SessionStart injects without it, and says why in one line.
    const preview = await repo.run("context", "--preview");
    assertEquals(preview.code, 0, preview.stderr);
    assertStringIncludes(preview.stdout, "### Active session: Work");
    assertEquals(
      preview.stderr,
      "mpm: left out .claude/context.md, as SessionStart does: it is a binary file, not " +
        "markdown text. Save it as UTF-8 markdown text, or remove it.\n",
    );
    assertEquals(await bytes(repo, CONTEXT), binary);
  });
});

Deno.test("mpm context --preview leaves out an oversized context file as SessionStart does", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Work");
  await repo.write(CONTEXT, "# Notes\n" + "x".repeat(2_100_000) + "\n");
  const preview = await repo.run("context", "--preview");
  assertEquals(preview.code, 0, preview.stderr);
  assertStringIncludes(preview.stdout, "### Active session: Work");
  assertStringIncludes(preview.stdout, "the context file was not read");
  assertEquals(preview.stderr.split("\n").length, 2, preview.stderr);
  assertMatch(
    preview.stderr,
    /^mpm: left out \.claude\/context\.md, as SessionStart does: it is 2100009 bytes, .* Cut it/,
  );
  // With --partition, the file's share alone: nothing, said the same way.
  await ok(repo, "context", "init", "-p", "big");
  await repo.write(".claude/context/big.md", "x".repeat(2_100_000));
  const share = await repo.run("context", "-p", "big", "--preview");
  assertEquals([share.code, share.stdout], [0, ""]);
  assertStringIncludes(share.stderr, "left out .claude/context/big.md");
});

Deno.test("partitions: init, list, use; a bad name is refused in one sentence", async (t) => {
  await using repo = await withRepo();
  await ok(repo, "start", "Work");
  await t.step("bad names change nothing", async () => {
    for (
      const args of [
        ["context", "use", "../x"],
        ["context", "use", "a/b"],
        ["context", "init", "-p", ".."],
        ["context", "--partition", "../../etc/passwd"],
      ]
    ) {
      const result = await repo.run(...args);
      assertEquals(result.code, 2, args.join(" "));
      assertStringIncludes(result.stderr, "is not a partition name");
    }
    assertEquals(await Deno.lstat(join(repo.path, ".claude")).catch(() => null), null);
  });
  await t.step("init and use a partition", async () => {
    await ok(repo, "context", "init", "--partition", "backend");
    assertStringIncludes(
      await Deno.readTextFile(join(repo.path, ".claude/context/backend.md")),
      "# Context: backend\n",
    );
    assertStringIncludes((await ok(repo, "context", "list")).stdout, "  backend  Context: backend");
    assertStringIncludes((await ok(repo, "context", "use", "backend")).stdout, "backend.md");
    assertStringIncludes((await ok(repo, "context", "list")).stdout, "* backend");
    // The session's partition is what `mpm context` and `update` work on now.
    assertStringIncludes((await ok(repo, "context")).stdout, "# Context: backend");
    const list = JSON.parse((await ok(repo, "context", "list", "--json")).stdout);
    assertEquals(list.in_use, "backend");
    await ok(repo, "context", "use", "--none");
    assertEquals((await repo.run("context")).code, 3, "back to .claude/context.md, not there yet");
  });
});

Deno.test("mpm context edit opens $VISUAL before $EDITOR on the file", async () => {
  await using repo = await withRepo();
  await ok(repo, "context", "init");
  const script = join(repo.home, "editor.sh");
  await Deno.writeTextFile(script, '#!/bin/sh\nprintf "edited by %s\\n" "$1" >> "$2"\n');
  await Deno.chmod(script, 0o755);
  const run = (env: Record<string, string>) =>
    mpm(["context", "edit"], { cwd: repo.path, env: { HOME: repo.home, ...env } });
  const result = await run({ VISUAL: `${script} visual`, EDITOR: `${script} editor` });
  assertEquals(result.code, 0, result.stderr);
  const text = await Deno.readTextFile(join(repo.path, CONTEXT));
  assert(text.endsWith("edited by visual\n"), text);
  const none = await run({});
  assertEquals(none.code, 2);
  assertStringIncludes(none.stderr, "$EDITOR");
});

Deno.test("mpm context --preview stays within 10,000 characters and marks the cut", async () => {
  await using repo = await withRepo();
  const long = Array.from({ length: 800 }, (_, i) => `- decision ${i + 1}: ${"x".repeat(40)}`);
  await repo.write(CONTEXT, `# Project Context\n\n## Recent Decisions\n${long.join("\n")}\n`);
  const out = (await ok(repo, "context", "--preview")).stdout;
  assert(out.length <= 10_001, `${out.length}`); // the text, and the newline that ends it
  const match = out.match(/\(truncated: (\d+) more lines in \.claude\/context\.md\)\n/);
  assert(match, out.slice(-300));
  const shown = out.split("\n").filter((line) => line.startsWith("- decision ")).length;
  assertEquals(shown + Number(match[1]), 803 - 3, "shown and cut lines add up");
});

Deno.test("mpm context prints the file without control sequences, piped or not", async () => {
  await using repo = await withRepo();
  await repo.write(CONTEXT, "# Project Context\r\n\nInjected \x1b[2J\x1b]0;PWN\x07 \u202eend\r\n");
  const out = (await ok(repo, "context")).stdout;
  assertEquals(out, "# Project Context\r\n\nInjected  end\r\n");
});
