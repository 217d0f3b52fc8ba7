/**
 * Work done in Codex beside Claude Code's: `mpm list`, `show`, `status`, the board (text, --json,
 * the page in Chromium) and SessionStart's line about a teammate's work name the agent where it is
 * not Claude Code (whose work reads as it always did), and --json names every one's. A teammate's
 * Codex line and the person's Claude Code line changing one file are an overlap.
 *
 * A Codex pause is made here as the Codex SessionEnd hook makes it: the pause with `agent: "codex"`
 * (sessions/store/records/snapshot/request.ts), sealed with the machine's key.
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertStringIncludes,
} from "../assert.ts";
import { endRun, mpm, okJson, type Repo, withClones, withRepo } from "../helpers.ts";
import { payload } from "../hooks/hooks_helpers.ts";
import { CHROMIUM, launchChromium } from "../replay/chromium.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { pauseProject } from "../../src/sessions/capture/pause_project.ts";
import {
  appendSighting,
  currentSessionKey,
} from "../../src/sessions/store/claude/claude_sessions_store.ts";

const CODEX_ID = "019acc39-7c5e-7d21-9a6b-1c2d3e4f5a6b";

/** The git identity of the person at `repo`: Alice at clone a, Bob at clone b (helpers.ts). */
const people = new Map<Repo, string>();

function envOf(repo: Repo): Record<string, string> {
  const name = people.get(repo);
  if (name === undefined) return { HOME: repo.home };
  const email = `${name.toLowerCase()}@example.com`;
  return {
    HOME: repo.home,
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
  };
}

async function run(repo: Repo, ...args: string[]): Promise<string> {
  const result = await mpm(args, { cwd: repo.path, env: envOf(repo) });
  assertEquals(result.code, 0, `mpm ${args.join(" ")}: ${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Codex's hooks saw their session start in the active mpm session (a sealed sighting). */
async function codexStarted(repo: Repo): Promise<void> {
  const paths = projectPaths(repo.path);
  const key = await currentSessionKey(paths);
  assert(key !== null, "a session is active");
  useMachineKeyFrom({ HOME: repo.home });
  try {
    await appendSighting(
      paths,
      key,
      JSON.stringify({
        time: new Date().toISOString(),
        event: "SessionStart",
        claude_session_id: CODEX_ID,
        transcript_path: null,
        agent: "codex",
      }),
    );
  } finally {
    endRun();
  }
}

/** The pause Codex's SessionEnd makes, with the person's words; returns its id. */
async function codexPaused(repo: Repo, summary: string): Promise<string> {
  useMachineKeyFrom({ HOME: repo.home });
  try {
    const done = await pauseProject(repo.path, new Date(), {
      summary,
      accomplishments: [],
      nextSteps: [],
      todos: [],
      claudeSessionId: CODEX_ID,
      agent: "codex",
    });
    assertEquals(done.snapshot.mpm.agent, "codex");
    return done.snapshot.session_id;
  } finally {
    endRun();
  }
}

async function sessionStart(repo: Repo): Promise<string> {
  const result = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: envOf(repo),
    stdin: payload("session-start-startup.json", repo),
  });
  assertEquals(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).hookSpecificOutput.additionalContext;
}

Deno.test("list, show and status name a Codex line's agent; a Claude Code line's read as ever", async (t) => {
  await using repo = await withRepo();
  await run(repo, "start", "Refunds");
  await repo.write("refund.ts", "export const refund = 1;\n");
  const claude = JSON.parse(await run(repo, "pause", "-s", "Claude words", "--json")).session_id;
  await run(repo, "start", "Payouts");

  await t.step("status: the active session is in the agent its hooks saw last", async () => {
    assertNotIncludes(await run(repo, "status"), "Agent:");
    assertEquals((await okJson(repo, "status", "--json")).active.agent, "claude-code");
    await codexStarted(repo);
    assertStringIncludes(await run(repo, "status"), "\n  Agent:    Codex\n");
    assertEquals((await okJson(repo, "status", "--json")).active.agent, "codex");
  });

  const codex = await codexPaused(repo, "Codex words");

  await t.step("status: the latest pause says it was Codex's", async () => {
    assertMatch(await run(repo, "status"), new RegExp(`Latest pause: ${codex} \\(.+, Codex\\)\\n`));
    const status = await okJson(repo, "status", "--json");
    assertEquals([status.latest, status.latest_agent], [codex, "codex"]);
  });

  await t.step("list: Codex's tagged, Claude Code's as ever; --json names both", async () => {
    const lines = (await run(repo, "list")).split("\n");
    const row = (id: string) => lines.find((l) => l.includes(id)) ?? "";
    assertMatch(row(codex), /\[Payouts, Codex\]$/);
    assertMatch(row(claude), /\[Refunds\]$/);
    const listed = await okJson(repo, "list", "--json");
    assertEquals(
      listed.map((r: { session_id: string; agent: string }) => [r.session_id, r.agent]),
      [[codex, "codex"], [claude, "claude-code"]],
    );
  });

  await t.step(
    "show: Codex's says its agent, in text and markdown; Claude Code's does not",
    async () => {
      assertStringIncludes(await run(repo, "show", codex), "\nAgent: Codex\n");
      assertStringIncludes(
        await run(repo, "show", codex, "--format", "md"),
        "- **Agent:** Codex\n",
      );
      assertNotIncludes(await run(repo, "show", claude), "Agent:");
      assertNotIncludes(await run(repo, "show", claude, "--format", "md"), "Agent:");
    },
  );
});

Deno.test("a Claude Code line and a teammate's Codex line on one file: an overlap everywhere, agent named", async () => {
  await using clones = await withClones();
  const [alice, bob] = [clones.a, clones.b];
  people.set(alice, "Alice").set(bob, "Bob");
  await alice.commit("Refunds start", { "src/payments/refund.ts": "export const refund = 0;\n" });
  await alice.git("push", "-q", "origin", "main");
  await bob.git("pull", "-q", "origin", "main");

  // Alice in Claude Code, Bob in Codex: each changes the common file and pushes the pause.
  await run(alice, "start", "Refunds");
  await alice.write("src/payments/refund.ts", "export const refund = 1;\n");
  await run(alice, "pause", "-s", "Alice: refunds half done");
  await run(alice, "sync", "push");
  await run(bob, "sync", "pull");
  await run(bob, "start", "Payouts");
  await bob.write("src/payments/refund.ts", "export const refund = 2;\n");
  await codexPaused(bob, "Bob: payouts in Codex");
  await run(bob, "sync", "push");

  const board = JSON.parse(await run(alice, "board", "--pull", "--json"));
  assertEquals(
    board.people.map((p: { email: string; work: { name: string; agent: string }[] }) => [
      p.email,
      p.work.map((w) => [w.name, w.agent]),
    ]),
    [["alice@example.com", [["Refunds", "claude-code"]]], ["bob@example.com", [[
      "Payouts",
      "codex",
    ]]]],
  );
  assertEquals(board.overlaps.map((o: { path: string }) => o.path), ["src/payments/refund.ts"]);
  assertEquals(
    board.overlaps[0].work.map((w: { email: string; agent: string }) => [w.email, w.agent]).sort(),
    [["alice@example.com", "claude-code"], ["bob@example.com", "codex"]],
  );

  const text = await run(alice, "board");
  assertStringIncludes(
    text,
    "  ! src/payments/refund.ts — you: Refunds · bob@example.com (unverified): Payouts (Codex)\n",
  );
  assertStringIncludes(text, "  • Payouts (Codex) — paused ");
  assertStringIncludes(text, "  • Refunds — paused ");

  // SessionStart: Alice is told Bob's Codex work on her file, Bob Alice's Claude Code work.
  assertStringIncludes(
    await sessionStart(alice),
    "- bob@example.com (unverified) — Payouts (Codex), paused ",
  );
  assertStringIncludes(
    await sessionStart(bob),
    "- alice@example.com (unverified) — Refunds, paused ",
  );

  const page = join(alice.path, "..", "board.html");
  await run(alice, "board", "--html", page);
  if (CHROMIUM === undefined) {
    console.log("board browser check skipped: Chromium is not installed.");
    return;
  }
  await using browser = await launchChromium({
    profile: join(alice.path, "..", "profile"),
    width: 1280,
    height: 800,
  });
  await browser.load(new URL(`file://${page}`).href);
  const dom = await browser.dom();
  assertStringIncludes(dom, 'data-ready="true"');
  assertEquals(dom.match(/<span class="agent">Codex<\/span>/g)?.length, 1);
  assertStringIncludes(dom, "bob@example.com (unverified): Payouts (Codex)");
  // The filter finds a line of work by its agent.
  await browser.evaluate(
    `(() => { const f = document.getElementById("filter"); f.value = "codex";` +
      ` f.dispatchEvent(new Event("input")); })()`,
  );
  const visible = await browser.evaluate(
    `[...document.querySelectorAll(".card h3")].map((h) => h.textContent)`,
  );
  assertEquals(visible, ["Payouts"]);
  assertEquals(browser.errors, [], "the page logged no error");
});
