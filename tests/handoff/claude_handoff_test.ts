/**
 * Claude's handoff end to end, in real repositories: `mpm handoff save` keeps Claude's words
 * apart from the person's with the git state, chained; SessionStart after `/clear` gives the
 * person's words and then the handoff, once; `--reuse` arms it again; a `startup` gets it only
 * within hours; bad input changes nothing; `show`, `list`, `export`, `mpm list`, `replay`,
 * `summary` and `sync` carry it.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { baseEnv, mpm, ok, okJson, type Repo, withClones, withRepo } from "../helpers.ts";
import { payload } from "../hooks/hooks_helpers.ts";
import { sha256Hex } from "../../src/kernel/hashing/checksum.ts";

const HANDOFF = (goal: string, next = "Write handleRefundEvent in src/webhook.ts") =>
  [
    `focus: "the webhook"`,
    `goal: "${goal}"`,
    `state: "API call works; the webhook handler is half written"`,
    "decisions:",
    `  - "Kept refunds synchronous: the webhook only confirms"`,
    "tried:",
    `  - "stripe-mock: it sends no refund events"`,
    "files:",
    `  - "src/refunds.ts: the API call"`,
    `next_step: "${next}"`,
    "open_questions: []",
    "",
  ].join("\n");

function save(repo: Repo, text: string, env: Record<string, string> = {}) {
  return mpm(["handoff", "save", "--input", "-", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home, ...env },
    stdin: text,
  });
}

/** What SessionStart injects for `source`, as the Claude session `session`. */
async function start(repo: Repo, source: string, session: string): Promise<string> {
  const out = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload("session-start-startup.json", repo, { source, session_id: session }),
  });
  assertEquals(out.code, 0, out.stderr);
  return out.stdout === "" ? "" : JSON.parse(out.stdout).hookSpecificOutput.additionalContext;
}

const handoffsDir = (repo: Repo) => join(repo.path, ".claude-mpm", "handoffs");

async function names(dir: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

Deno.test("save keeps Claude's words apart, with git, chained; /clear gives them once after yours", async (t) => {
  await using repo = await withRepo();
  await ok(repo, "start", "refunds");
  await ok(repo, "pause", "-s", "Refunds half done", "-n", "Wire the refund webhook");
  await repo.write("src/refunds.ts", "export {};\n");

  const first = await save(repo, HANDOFF("Refunds through Stripe"), {
    CLAUDE_CODE_SESSION_ID: "writer-1",
  });
  assertEquals(first.code, 0, first.stderr);
  const one = JSON.parse(first.stdout);

  await t.step("stored as Claude's words, with the git state, beside the person's", async () => {
    assertEquals(await names(handoffsDir(repo)), [
      `${one.handoff_id}.json`,
      `${one.handoff_id}.json.sha256`,
      `${one.handoff_id}.md`,
    ]);
    const file = join(handoffsDir(repo), `${one.handoff_id}.json`);
    if (Deno.build.os !== "windows") assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
    const record = JSON.parse(await Deno.readTextFile(file));
    assertEquals(record.written_by, "claude");
    assertEquals(record.claude_session_id, "writer-1");
    assertEquals(record.focus, "the webhook");
    assertEquals(record.previous, null);
    assertEquals(record.git_context.branch, "main");
    assertEquals(record.git_context.status.untracked, ["src/"]);
    // The line is the paused session's, and its words stay in the snapshot, not here.
    const status = JSON.parse((await ok(repo, "list", "--json")).stdout)[0];
    assertEquals(record.line, status.line);
    assertEquals(record.snapshot, status.session_id);
    assertNotIncludes(JSON.stringify(record), "Refunds half done");
  });

  const second = JSON.parse((await save(repo, HANDOFF("Refunds, second go"))).stdout);

  await t.step("each handoff names the one before it", () => {
    assertEquals(second.previous, one.handoff_id);
  });

  await t.step("after /clear: your words first, then the newest handoff; once", async () => {
    const text = await start(repo, "clear", "conversation-2");
    const yours = text.indexOf("Refunds half done");
    const theirs = text.indexOf("> Goal: Refunds, second go");
    assert(yours >= 0 && theirs > yours, text);
    assertStringIncludes(text, "## Handoff Claude wrote for this conversation");
    assertStringIncludes(text, "not the user's words");
    assertNotIncludes(text, "> Goal: Refunds through Stripe");
    const given = JSON.parse(
      await Deno.readTextFile(join(handoffsDir(repo), "given", `${second.handoff_id}.json`)),
    );
    assertEquals([given.claude_session, given.source], ["conversation-2", "clear"]);
    // A second /clear, a startup, a resume: not again (and not the older one in its place).
    for (const [source, session] of [["clear", "c3"], ["startup", "c4"], ["resume", "c5"]]) {
      const again = await start(repo, source, session);
      assertStringIncludes(again, "Refunds half done");
      assertNotIncludes(again, "> Goal:");
    }
  });

  await t.step("--reuse gives it again at the next /clear", async () => {
    const reused = await ok(repo, "handoff", "--reuse");
    assertStringIncludes(reused.stdout, `${second.handoff_id} will be given again`);
    assertStringIncludes(await start(repo, "clear", "c6"), "> Goal: Refunds, second go");
    const twice = await repo.run("handoff", "--reuse", "--to", "x");
    assertEquals(twice.code, 2);
  });

  await t.step(
    "show, list and mpm list: your words first, the chain, folded under the work",
    async () => {
      const shown = (await ok(repo, "handoff", "show")).stdout;
      assert(shown.indexOf("Refunds half done") < shown.indexOf("## Goal"), shown);
      assertStringIncludes(shown, `- Follows: ${one.handoff_id}`);
      assertStringIncludes(shown, "given to Claude session c6");
      const listed = JSON.parse((await ok(repo, "handoff", "list", "--json")).stdout);
      assertEquals(listed.map((h: { handoff_id: string }) => h.handoff_id), [
        second.handoff_id,
        one.handoff_id,
      ]);
      assertEquals(listed[1].given, null);
      const work = (await ok(repo, "list")).stdout;
      assertStringIncludes(work, `↳ Claude's handoff ${second.handoff_id}`);
      assertStringIncludes(work, "2 in its chain; given");
      // The person-facing document keeps working beside it, and still takes a session.
      assertStringIncludes((await ok(repo, "handoff", "0")).stdout, "## From: refunds");
    },
  );

  await t.step("replay and summary show the chain", async () => {
    const lines = (await ok(repo, "replay", "--json")).stdout.trim().split("\n")
      .map((l) => JSON.parse(l));
    const handoffs = lines.filter((e) =>
      e.kind === "mpm" && e.command === "handoff" && e.text.startsWith("Claude handed off")
    );
    assertEquals(handoffs.length, 2, JSON.stringify(lines));
    assertStringIncludes(handoffs[0].text, `${one.handoff_id}, the first of its session`);
    assertStringIncludes(handoffs[1].text, `${second.handoff_id}, after ${one.handoff_id}`);
    const summary = JSON.parse((await ok(repo, "summary", "--json")).stdout);
    assertEquals(summary.handoffs.map((h: { id: string }) => h.id), [
      one.handoff_id,
      second.handoff_id,
    ]);
    assertStringIncludes((await ok(repo, "summary")).stdout, "## Claude's handoffs");
  });

  await t.step("export: markdown, a new file or --force over a regular one", async () => {
    await repo.write("notes.md", "mine\n");
    const refused = await repo.run("handoff", "export", "notes.md");
    assertEquals(refused.code, 1);
    assertEquals(await repo.read("notes.md"), "mine\n");
    assertEquals((await repo.run("handoff", "export", ".claude-mpm/x.md")).code, 2);
    await ok(repo, "handoff", "export", "notes.md", "--force");
    const md = await repo.read("notes.md");
    assert(md.indexOf("In the person's words") < md.indexOf("## Claude's handoff"), md);
    assertStringIncludes(md, "Refunds, second go");
    await Deno.mkdir(join(repo.path, "out"));
    const into = await okJson(repo, "handoff", "export", "out", "1", "--json");
    assertEquals(into.file, join(repo.path, "out", `${second.handoff_id}.md`));
  });
});

Deno.test("a startup gets the handoff only within hours of it; a /clear at any time", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "Docs");
  const saved = JSON.parse((await save(repo, HANDOFF("Docs site"))).stdout);
  // As if the record arrived six hours ago: it sorts by the time its file came.
  const file = join(handoffsDir(repo), `${saved.handoff_id}.json`);
  const old = new Date(Date.now() - 6 * 3_600_000);
  await Deno.utime(file, old, old);
  assertNotIncludes(await start(repo, "startup", "s1"), "> Goal:");
  assertStringIncludes(await start(repo, "clear", "s2"), "> Goal: Docs site");
});

Deno.test("bad input gets one sentence and changes nothing", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "parent");
  const cases: [string, number, RegExp][] = [
    ["", 2, /--input is empty/],
    ['goal: "unterminated\n', 2, /not valid YAML or JSON/],
    ["- a\n- b\n", 2, /must be a YAML or JSON mapping/],
    ['{"goal": "g"}', 2, /no "next_step"/],
    [`goal: "${"x".repeat(300_000)}"\nnext_step: "n"\n`, 2, /larger than 262144 bytes/],
  ];
  for (const [text, code, expected] of cases) {
    const out = await mpm(["handoff", "save", "--input", "-"], {
      cwd: repo.path,
      env: { HOME: repo.home },
      stdin: text,
    });
    assertEquals(out.code, code, out.stderr);
    assert(expected.test(out.stderr), out.stderr);
    assertEquals(out.stdout, "");
  }
  assertEquals(await names(handoffsDir(repo)), []);
  // A child session on the stack: the handoff would leave its parent behind.
  await ok(repo, "branch", "hotfix");
  const stacked = await save(repo, HANDOFF("Hotfix"));
  assertEquals(stacked.code, 1);
  assertStringIncludes(JSON.parse(stacked.stdout).error.message, "on the stack");
  assertEquals(await names(handoffsDir(repo)), []);
  assertEquals((await repo.run("handoff", "save")).code, 2);
  assertEquals((await repo.run("handoff", "show")).code, 3);
});

/** Adds files under handoffs/ in the remote's refs/mpm/sessions, as a forger with push access. */
async function forgeHandoffs(remote: string, files: Record<string, string>): Promise<void> {
  const run = async (args: string[], stdin?: string) => {
    const child = new Deno.Command("git", {
      args,
      cwd: remote,
      // commit-tree needs an identity: the tests' own, never this machine's global config.
      env: baseEnv(join(remote, "..", "home")),
      clearEnv: true,
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
    }).spawn();
    if (stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(stdin));
      await writer.close();
    }
    const out = await child.output();
    assertEquals(out.code, 0, `git ${args.join(" ")}`);
    return new TextDecoder().decode(out.stdout).trim();
  };
  const parent = await run(["rev-parse", "refs/mpm/sessions"]);
  const top = (await run(["ls-tree", parent])).split("\n").filter((l) => !l.endsWith("\thandoffs"));
  const inside = (await run(["ls-tree", `${parent}:handoffs`])).split("\n").filter(Boolean);
  for (const [name, text] of Object.entries(files)) {
    inside.push(`100644 blob ${await run(["hash-object", "-w", "--stdin"], text)}\t${name}`);
  }
  const handoffs = await run(["mktree"], inside.join("\n") + "\n");
  const root = await run(
    ["mktree"],
    [...top, `040000 tree ${handoffs}\thandoffs`].join("\n") + "\n",
  );
  const commit = await run(["commit-tree", "-p", parent, "-m", "forged", root]);
  await run(["update-ref", "refs/mpm/sessions", commit]);
}

Deno.test("sync carries handoffs to a teammate: capped, verified, redacted again; 'given' stays here", async (t) => {
  await using clones = await withClones();
  const { a, b } = clones;
  await ok(a, "pause", "-s", "Payments");
  const saved = JSON.parse((await save(a, HANDOFF("Payments handoff"))).stdout);
  await start(a, "clear", "a-conversation");

  await t.step("push sends it with the snapshots; pull brings it and its rendering", async () => {
    const pushed = await okJson(a, "sync", "push", "--json");
    assert(
      pushed.pushed.some((m: { kind: string; id: string }) =>
        m.kind === "handoff" && m.id === saved.handoff_id
      ),
      JSON.stringify(pushed),
    );
    await ok(b, "sync", "pull");
    assertEquals(await names(handoffsDir(b)), [
      `${saved.handoff_id}.json`,
      `${saved.handoff_id}.json.sha256`,
      `${saved.handoff_id}.md`,
    ]);
    // B reads it, said to be from elsewhere: A's Claude wrote it, not B's.
    const shown = (await ok(b, "handoff", "show")).stdout;
    assertStringIncludes(shown, "Payments handoff");
    assertStringIncludes(shown, "not written by mpm on this machine");
    assertNotIncludes(shown, "not given yet");
  });

  await t.step(
    "given on A; on B, even once B takes up the work, no start gives A's Claude's words as its own",
    async () => {
      await ok(b, "resume", "--no-changes", "--from-teammate");
      assertNotIncludes(await start(b, "clear", "b-conversation"), "Payments handoff");
      assertEquals((await b.run("handoff", "--reuse")).code, 3);
      assertNotIncludes(await start(b, "clear", "b-conversation-2"), "Payments handoff");
    },
  );

  await t.step(
    "a forged one: too large is refused unread, a bad checksum or size refused, a secret redacted",
    async () => {
      const record = JSON.parse(
        await Deno.readTextFile(join(handoffsDir(a), `${saved.handoff_id}.json`)),
      );
      const signed = (id: string, changes: Record<string, unknown>, sum = true) => {
        const text = JSON.stringify({ ...record, handoff_id: id, ...changes }, null, 2) + "\n";
        const checksum = sum ? `${sha256(text)}  ${id}.json\n` : `${"0".repeat(64)}  ${id}.json\n`;
        return { [`${id}.json`]: text, [`${id}.json.sha256`]: checksum };
      };
      const secret = "handoff-20261123-100000-000bcd";
      const huge = "handoff-20261123-100000-000bcf";
      const wordy = "handoff-20261123-100000-000bcg";
      const unsigned = "handoff-20261123-100000-000bch";
      await forgeHandoffs(clones.remote, {
        ...signed(secret, {
          handoff: { ...record.handoff, state: "token glpat-abcdefghijklmnopqrstuvwxyz there" },
        }),
        ...signed(huge, { padding: "x".repeat(300 * 1024) }),
        ...signed(wordy, { handoff: { ...record.handoff, state: "w".repeat(9_000) } }),
        ...signed(unsigned, {}, false),
      });
      const pulled = await mpm(["sync", "pull", "--json"], { cwd: b.path, env: { HOME: b.home } });
      assertEquals(pulled.code, 4, pulled.stderr);
      const report = JSON.parse(pulled.stdout);
      const refused = new Map(
        report.refused.map((r: { id: string; reason: string }) => [r.id, r.reason]),
      );
      assertEquals([...refused.keys()].sort(), [huge, unsigned, wordy].sort());
      assertStringIncludes(String(refused.get(huge)), "at most 262144");
      assertStringIncludes(String(refused.get(wordy)), "more text than any handoff");
      assertStringIncludes(String(refused.get(unsigned)), "does not match its checksum");
      const stored = await Deno.readTextFile(join(handoffsDir(b), `${secret}.json`));
      assertNotIncludes(stored, "glpat-");
      assertEquals(JSON.parse(stored).sync_origin.handoff_id, secret);
    },
  );
});

function sha256(text: string): string {
  return sha256Hex(text);
}

Deno.test("list shows a handoff that fails its checksum as unreadable, even when it is the only one", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "refunds");
  const saved = JSON.parse((await save(repo, HANDOFF("Ship refunds"))).stdout);
  const file = join(handoffsDir(repo), `${saved.handoff_id}.json`);
  const text = await Deno.readTextFile(file);
  await Deno.writeTextFile(file, text.replace("Ship refunds", "Ship nothing"));
  const listed = await repo.run("handoff", "list");
  assertEquals(listed.code, 0, listed.stderr);
  assertStringIncludes(listed.stdout, `[1] ${saved.handoff_id} ✗ unreadable`);
  assertStringIncludes(listed.stdout, "does not match its checksum");
  const rows = JSON.parse((await ok(repo, "handoff", "list", "--json")).stdout);
  assertEquals(rows.length, 1);
  assertEquals(rows[0].handoff_id, saved.handoff_id);
  assertStringIncludes(rows[0].error, "does not match its checksum");
  // Showing it is still refused, by name (exit 4).
  const shown = await repo.run("handoff", "show");
  assertEquals(shown.code, 4);
  assertStringIncludes(shown.stderr, `${saved.handoff_id}.json does not match its checksum`);
});

Deno.test("show, export and --reuse say so when they pass over a newer handoff that cannot be read", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "refunds");
  const older = JSON.parse((await save(repo, HANDOFF("Older goal"))).stdout);
  const newer = JSON.parse((await save(repo, HANDOFF("Newer goal"))).stdout);
  await Deno.writeTextFile(join(handoffsDir(repo), `${newer.handoff_id}.json`), "garbage\n");
  const shown = await repo.run("handoff", "show");
  assertEquals(shown.code, 0, shown.stderr);
  assertStringIncludes(shown.stdout, "Older goal");
  assertStringIncludes(shown.stderr, `${newer.handoff_id}.json does not match its checksum`);
  assertStringIncludes(shown.stderr, `${older.handoff_id} is used instead`);
  const exported = await repo.run("handoff", "export", join(repo.home, "handoff.md"));
  assertEquals(exported.code, 0, exported.stderr);
  assertStringIncludes(exported.stderr, `${older.handoff_id} is used instead`);
  // Named, the older one is no surprise: nothing is said.
  const named = await repo.run("handoff", "show", older.handoff_id);
  assertEquals(named.stderr, "");
});
