/**
 * What a restore writes is computed on this machine, and only what this machine wrote is the
 * person's: a teammate who can push `refs/mpm/sessions`, or a repository someone clones, cannot
 * make `mpm vault restore` (plain, `--from-teammate`) or `mpm resume --conversation` write
 * anywhere but Claude Code's transcripts of this checkout, cannot make a restore write half of a
 * conversation it then refuses, cannot pass a committed copy for the person's newest one, and
 * cannot make a pull or a restore inflate a gzip bomb. Judged by what lands on disk.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { hangGuard, type Repo, tempDir, withClones } from "../helpers.ts";
import {
  claudeEnds,
  claudeStarts,
  commitAndPull,
  conversationIn,
  fakeClaude,
  filesUnder,
  FIXTURE_ID,
  manifest,
  pushCrafted,
  runner,
  transcriptPath,
  vaultDir,
} from "./vault_helpers.ts";

const OWN_ID = "5e5e5e5e-1111-4222-8333-444455556666";

/** Alice (A) has a conversation with a subagent and pushes it; B has not pulled yet. */
async function alicePushed() {
  const clones = await withClones();
  const scratch = await tempDir();
  const path = await fakeClaude(scratch.path);
  const alice = runner(clones.a, { PATH: path, GIT_AUTHOR_EMAIL: "alice@example.com" });
  const onB = runner(clones.b, { PATH: path });
  await alice.ok(["start", "payments"]);
  await claudeStarts(
    clones.a,
    FIXTURE_ID,
    await conversationIn(clones.a, scratch.path, FIXTURE_ID),
  );
  await claudeEnds(clones.a, FIXTURE_ID);
  await alice.ok(["sync", "push"]);
  return {
    ...clones,
    scratch: scratch.path,
    alice,
    onB,
    async [Symbol.asyncDispose]() {
      await clones[Symbol.asyncDispose]();
      await scratch[Symbol.asyncDispose]();
    },
  };
}

/** A's record as the tree holds it, for a test to alter (its seal is A's alone). */
// deno-lint-ignore no-explicit-any
async function recordOf(repo: Repo, id: string): Promise<any> {
  const { seal: _, ...record } = await manifest(repo, id);
  record.index = {
    talk: { data: record.index.talk.data, segments: [] },
    tools: { data: record.index.tools.data, segments: [] },
  };
  return record;
}

const text = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

/** What is under B's Claude Code folder: only transcripts of B's checkout, if anything. */
async function claudeFiles(b: Repo): Promise<string[]> {
  return await filesUnder(join(b.home, ".claude"));
}

function outside(b: Repo, files: string[]): string[] {
  const project = `projects/${b.path.replace(/[^A-Za-z0-9]/g, "-")}/`;
  return files.filter((f) => !f.startsWith(project));
}

Deno.test("a pushed record naming ../../settings.json writes nothing, whoever's email pushed it", async (t) => {
  await using set = await alicePushed();
  const { a, b, onB } = set;
  const record = await recordOf(a, FIXTURE_ID);
  assertEquals(record.files.length, 2, "the conversation has its subagent");
  record.files[1].source = "../../settings.json";
  record.files[0].source_bytes += 1_000_000; // more than anyone holds: a pull takes it
  // Pushed with the git email B runs with (the helpers' author): a plain restore takes it for B's.
  await pushCrafted(a, { [`vault/${FIXTURE_ID}.json`]: text(record) }, "author@example.com");

  await t.step("the pull refuses the record in one sentence and imports nothing", async () => {
    const pulled = JSON.parse((await onB.run(["sync", "pull", "--json"])).stdout);
    const refused = pulled.transcripts.refused.find((r: { id: string }) => r.id === FIXTURE_ID);
    assert(refused !== undefined, JSON.stringify(pulled.transcripts));
    assertStringIncludes(refused.reason, "../../settings.json");
    assertEquals(refused.reason.split(". ").length, 1, refused.reason);
    assertEquals((await filesUnder(vaultDir(b))).filter((f) => f.startsWith(FIXTURE_ID)), []);
  });

  for (
    const args of [
      ["vault", "restore"],
      ["vault", "restore", FIXTURE_ID, "--from-teammate"],
      ["resume", "--conversation", "--from-teammate"],
    ]
  ) {
    await t.step(`mpm ${args.join(" ")} writes nothing under ~/.claude`, async () => {
      const out = await onB.run(args);
      assert(out.code !== 0, out.stdout);
      assertEquals(await claudeFiles(b), []);
    });
  }

  await t.step(
    "the same record committed in the repository: refused, nothing written",
    async () => {
      const data = await Deno.readFile(join(vaultDir(a), record.files[0].data));
      const sub = await Deno.readFile(join(vaultDir(a), record.files[1].data));
      await commitAndPull(a, b, {
        [`.claude-mpm/vault/${FIXTURE_ID}.json`]: text(record),
        [`.claude-mpm/vault/${record.files[0].data}`]: data,
        [`.claude-mpm/vault/${record.files[1].data}`]: sub,
      });
      const out = await onB.run(["vault", "restore", FIXTURE_ID, "--from-teammate"]);
      assertEquals(out.code, 4, out.stderr);
      assertStringIncludes(out.stderr, "../../settings.json");
      assertNotIncludes(out.stderr, "symbolic link");
      assertEquals(await claudeFiles(b), []);
    },
  );
});

Deno.test("a refused restore writes nothing: not even the subagents before the main transcript", async () => {
  await using set = await alicePushed();
  const { b, onB } = set;
  await onB.ok(["sync", "pull"]);
  // Claude Code on B already has another conversation under that id.
  const main = transcriptPath(b, FIXTURE_ID);
  await Deno.mkdir(join(main, ".."), { recursive: true });
  await Deno.writeTextFile(main, '{"type":"user","note":"B\'s own"}\n');
  const out = await onB.run(["vault", "restore", "--from-teammate"]);
  assertEquals(out.code, 1, out.stderr);
  assertStringIncludes(out.stderr, "leaves it as it is");
  assertEquals(await claudeFiles(b), [
    `projects/${b.path.replace(/[^A-Za-z0-9]/g, "-")}/${FIXTURE_ID}.jsonl`,
  ]);
});

Deno.test("a clone's committed vault copy dated 2099 is never the person's newest, nor pushed as theirs", async (t) => {
  await using set = await alicePushed();
  const { a, b, onB } = set;
  // B's own conversation, copied by B's machine.
  await onB.ok(["start", "refunds"]);
  await claudeStarts(b, OWN_ID, await conversationIn(b, set.scratch, OWN_ID));
  await claudeEnds(b, OWN_ID);
  const record = await recordOf(a, FIXTURE_ID);
  record.last_entry = "2099-01-01T00:00:00.000Z";
  const files: Record<string, Uint8Array | string> = {
    [`.claude-mpm/vault/${FIXTURE_ID}.json`]: text(record),
  };
  for (const f of record.files) {
    files[`.claude-mpm/vault/${f.data}`] = await Deno.readFile(join(vaultDir(a), f.data));
  }
  await commitAndPull(a, b, files);

  await t.step("a plain restore takes B's own, not the committed one", async () => {
    const out = JSON.parse((await onB.ok(["vault", "restore", "--dry-run", "--json"])).stdout);
    assertEquals(out.id, OWN_ID);
    assertEquals(out.origin, "here");
  });

  await t.step("the committed copy named: refused without --from-teammate", async () => {
    const out = await onB.run(["vault", "restore", FIXTURE_ID]);
    assertEquals(out.code, 1);
    assertStringIncludes(out.stderr, "not written by this machine's mpm");
    assertEquals(outside(b, await claudeFiles(b)), []);
    assert(!(await claudeFiles(b)).some((f) => f.includes(FIXTURE_ID)));
  });

  await t.step("B's push never sends the committed copy", async () => {
    const pushed = JSON.parse((await onB.ok(["sync", "push", "--json"])).stdout);
    assert(!pushed.transcripts.moved.includes(FIXTURE_ID), JSON.stringify(pushed.transcripts));
  });

  await t.step("an own copy written before the seal is foreign until copied again", async () => {
    const path = join(vaultDir(b), `${OWN_ID}.json`);
    const { seal: _, ...unsealed } = JSON.parse(await Deno.readTextFile(path));
    await Deno.writeTextFile(path, text(unsealed));
    const refused = await onB.run(["vault", "restore", "--dry-run"]);
    assertEquals(refused.code, 3, refused.stderr);
    assertStringIncludes(refused.stderr, "came with the repository.");
    await onB.ok(["vault", "sync"]);
    const again = await manifest(b, OWN_ID);
    assert(typeof again.seal === "string" && again.generation > unsealed.generation);
    const out = JSON.parse((await onB.ok(["vault", "restore", "--dry-run", "--json"])).stdout);
    assertEquals(out.id, OWN_ID);
  });
});

/** One gzip member of `mb` MB of zeros (a few KB), made once. */
async function zeros(mb: number): Promise<{ member: Uint8Array; sha256: string }> {
  const raw = new Uint8Array(mb * 1024 * 1024);
  const out = new Blob([raw]).stream().pipeThrough(new CompressionStream("gzip"));
  const member = new Uint8Array(await new Response(out).arrayBuffer());
  const sha = new Uint8Array(await crypto.subtle.digest("SHA-256", member));
  return { member, sha256: Array.from(sha, (b) => b.toString(16).padStart(2, "0")).join("") };
}

Deno.test("a gzip bomb (a push of under 1 MB that decompresses to 640 MB) is refused in one sentence", async (t) => {
  await using set = await alicePushed();
  const { a, b, onB } = set;
  const { member, sha256 } = await zeros(8);
  const record = await recordOf(a, FIXTURE_ID);
  const count = 80;
  record.files = [{
    ...record.files[0],
    segments: Array.from({ length: count }, () => ({
      bytes: member.length,
      raw_bytes: 8 * 1024 * 1024,
      sha256,
    })),
    source_bytes: count * 8 * 1024 * 1024,
  }];
  const data = new Uint8Array(member.length * count);
  for (let i = 0; i < count; i++) data.set(member, i * member.length);
  assert(data.length < 1024 * 1024, `${data.length}`);
  await pushCrafted(a, {
    [`vault/${FIXTURE_ID}.json`]: text(record),
    [`vault/${record.files[0].data}`]: data,
  }, "author@example.com");

  await t.step("the pull refuses it unread", async () => {
    // Unread: its members would inflate to 8 MB each (a hang guard tells a pull that tries).
    const out = await hangGuard(onB.run(["sync", "pull", "--json"]), "sync pull of a vault bomb");
    const pulled = JSON.parse(out.stdout);
    const refused = pulled.transcripts.refused.find((r: { id: string }) => r.id === FIXTURE_ID);
    assert(refused !== undefined, JSON.stringify(pulled.transcripts));
    assertStringIncludes(refused.reason, "more than a transcript compresses");
    assertEquals((await filesUnder(vaultDir(b))).filter((f) => f.startsWith(FIXTURE_ID)), []);
  });

  await t.step("committed in the repository, a restore refuses it in one sentence", async () => {
    await commitAndPull(a, b, {
      [`.claude-mpm/vault/${FIXTURE_ID}.json`]: text(record),
      [`.claude-mpm/vault/${record.files[0].data}`]: data,
    });
    const out = await onB.run(["vault", "restore", FIXTURE_ID, "--from-teammate"]);
    assertEquals(out.code, 1, out.stderr);
    assertStringIncludes(out.stderr, "is not restored");
    assertNotIncludes(out.stderr, "bug in mpm");
    assertEquals(await claudeFiles(b), []);
  });
});

Deno.test("a restore removes the temp files a killed restore left in Claude Code's folder, and only those", async () => {
  await using set = await alicePushed();
  const { b, onB } = set;
  await onB.ok(["sync", "pull"]);
  const folder = join(transcriptPath(b, FIXTURE_ID), "..");
  const sub = join(folder, FIXTURE_ID, "subagents");
  await Deno.mkdir(sub, { recursive: true });
  const dead = 2147480000;
  const left = [
    join(folder, `.${FIXTURE_ID}.jsonl.${dead}.1234.tmp`),
    join(sub, `.agent-a1b2c3d4e5f60718.jsonl.${dead}.99.tmp`),
  ];
  const kept = [
    join(folder, `.${FIXTURE_ID}.jsonl.${Deno.pid}.1234.tmp`), // its writer is alive
    join(folder, `.settings.json.${dead}.1.tmp`), // not a transcript's
    join(folder, "notes.txt"),
  ];
  const old = new Date(Date.now() - 10 * 60_000);
  for (const path of [...left, ...kept]) {
    await Deno.writeTextFile(path, "x".repeat(1024));
    await Deno.utime(path, old, old);
  }
  await onB.ok(["vault", "restore", "--from-teammate"]);
  for (const path of left) assert(!(await exists(path)), `${path} is left`);
  for (const path of kept) assert(await exists(path), `${path} went`);
});

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}
