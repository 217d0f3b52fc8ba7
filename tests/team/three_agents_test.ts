/**
 * Three people, three agents, one bare remote: Alice works in Claude Code, Bob in Codex CLI,
 * Carol in Gemini CLI, each in a clone of their own with their own HOME, git identity and ssh
 * signing key (the allowed signers committed, so what each pushes is verified on the others).
 * Each starts a line of work, installs mpm's hooks for their agent, changes the shared
 * `src/ledger.ts` and a file of their own, runs the real client once in its print mode (`claude
 * -p`, `codex exec`, `gemini -p`) against a mock model, whose end writes the snapshot, and
 * pushes with `mpm sync push`. Claude Code makes Alice's changes itself (a Bash call); the Codex
 * and Gemini mocks answer with text only, so Bob's and Carol's are made before their run. Then
 * each pulls, and on each one's board (`mpm board --json`, and the terminal's overlap line) are
 * three lines of work, each naming its agent and its person (the person's own, or a verified
 * teammate's), and the overlap on the shared file across the three agents; and each one's next
 * start names both teammates' work on that file: Claude's and Gemini's through `mpm hook
 * session-start` with their agent's payload, Codex's through a second `codex exec` (cheap), whose
 * request to the model carries it. One Gemini run in all: each takes 10–15 s.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import {
  configureRepo,
  git,
  mpm,
  type Repo,
  repoAt,
  sessionFiles,
  tempDir,
  writeMpmProgram,
} from "../helpers.ts";
import { payload } from "../hooks/hooks_helpers.ts";
import { signWith, sshKey } from "../board/identity_helpers.ts";
import { TEAMMATE_TITLE } from "../../src/board/teammates.ts";
import { agentLabel, type AgentName } from "../../src/kernel/agent_name.ts";
import { claudeOrSkip } from "../claude_code/install.ts";
import { startMockApi as claudeApi } from "../claude_code/mock_api.ts";
import { runClaude, settingsErrors } from "../claude_code/run.ts";
import { sessionEndDone, waitFor } from "../claude_code/wait.ts";
import { codexOrSkip } from "../codex/install.ts";
import { requestText as codexText, startMockApi as codexApi } from "../codex/mock_api.ts";
import { codexConfig, runCodex } from "../codex/run.ts";
import { geminiOrSkip } from "../gemini/install.ts";
import { startMockApi as geminiApi } from "../gemini/mock_api.ts";
import { geminiSettings, runGemini, settingsFile } from "../gemini/run.ts";

const [claude, codex, gemini] = [await claudeOrSkip(), await codexOrSkip(), await geminiOrSkip()];

/** The file all three change, committed before anyone starts. */
const SHARED = "src/ledger.ts";

interface Person {
  name: string;
  email: string;
  agent: AgentName;
  /** The line of work's name. */
  work: string;
  /** The file only this person changes. */
  own: string;
  repo: Repo;
  /** Git identity and HOME: what every mpm run and the agent's hooks run under. */
  env: Record<string, string>;
}

/** `mpm ARGS` as `who`; its stdout, and the test fails unless it exits 0. */
async function run(who: Person, ...args: string[]): Promise<string> {
  const result = await mpm(args, { cwd: who.repo.path, env: who.env });
  assertEquals(result.code, 0, `${who.name}: mpm ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/**
 * A bare remote and three clones of it, one a person; each signs with a key of their own, and the
 * allowed signers (giving each email its key) are committed before anyone starts.
 */
async function team(dir: string): Promise<Person[]> {
  const remote = join(dir, "remote.git");
  await git(dir, "init", "-q", "--bare", "-b", "main", remote);
  const cast: [string, AgentName, string][] = [
    ["Alice", "claude-code", "Refunds"],
    ["Bob", "codex", "Payouts"],
    ["Carol", "gemini", "Invoices"],
  ];
  await Deno.mkdir(join(dir, "keys"));
  const keys = await Promise.all(
    cast.map(([name]) => sshKey(join(dir, "keys"), name.toLowerCase())),
  );
  const people: Person[] = [];
  for (const [index, [name, agent, work]] of cast.entries()) {
    const lower = name.toLowerCase();
    const email = `${lower}@example.com`;
    const path = join(dir, lower);
    const home = join(dir, `home-${lower}`);
    await Deno.mkdir(home, { recursive: true });
    await git(dir, "clone", "-q", remote, path);
    await configureRepo(path, name, email);
    const repo = repoAt(path, home, () => Promise.resolve());
    await signWith(repo, keys[index]);
    if (index === 0) {
      // The remote was empty: Alice makes the first commit, the others clone after it.
      await git(path, "symbolic-ref", "HEAD", "refs/heads/main");
      const signers = cast.map(([n], i) => `${n.toLowerCase()}@example.com ${keys[i].pub}`);
      await repo.write(".claude-mpm/allowed_signers", signers.join("\n") + "\n");
      await git(path, "add", "-f", ".claude-mpm/allowed_signers");
      await repo.commit("Initial commit", {
        "README.md": "# demo\n",
        [SHARED]: "export const ledger = 0;\n",
      });
      await git(path, "push", "-q", "-u", "origin", "main");
    }
    const env = {
      HOME: home,
      GIT_AUTHOR_NAME: name,
      GIT_AUTHOR_EMAIL: email,
      GIT_COMMITTER_NAME: name,
      GIT_COMMITTER_EMAIL: email,
    };
    people.push({ name, email, agent, work, own: `${lower}.ts`, repo, env });
  }
  return people;
}

/** What the person's work writes: the shared file and their own. */
function edits(who: Person): Record<string, string> {
  return {
    [SHARED]: `export const ledger = "${who.name}";\n`,
    [who.own]: `export const by = "${who.name}";\n`,
  };
}

/**
 * The person's line of work begun, and (unless their agent makes them) the shared file and their
 * own changed in it: the Codex and Gemini mocks answer with text only, never a tool call.
 */
async function begin(who: Person, { agentEdits = false } = {}): Promise<void> {
  await run(who, "start", who.work);
  if (agentEdits) return;
  for (const [file, text] of Object.entries(edits(who))) await who.repo.write(file, text);
}

/** The snapshots the end of an agent's conversation wrote (`mpm.auto.trigger` session-end). */
async function endSnapshots(who: Person): Promise<Record<string, unknown>[]> {
  const dir = join(who.repo.path, ".claude-mpm", "sessions");
  const records = await Promise.all(
    (await sessionFiles(who.repo.path)).map(async (name) =>
      JSON.parse(await Deno.readTextFile(join(dir, name)))
    ),
  );
  // deno-lint-ignore no-explicit-any
  return records.filter((r: any) => r.mpm?.auto?.trigger === "session-end");
}

/** " (Codex)", " (Gemini)" after a line's name, as every view but --json names the agent. */
function agentNote(who: Person): string {
  return who.agent === "claude-code" ? "" : ` (${agentLabel(who.agent)})`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface Lane {
  email: string;
  name: string;
  you: boolean;
  verified: boolean;
  work: { name: string; agent: AgentName; files: string[] }[];
}

interface Overlap {
  path: string;
  work: { email: string; name: string; you: boolean; verified: boolean; agent: AgentName }[];
}

Deno.test({
  name:
    "three people in Claude Code, Codex and Gemini, one remote: each board and each next start shows all three lines and their overlap",
  ignore: !claude || !codex || !gemini,
  fn: async (t) => {
    await using dir = await tempDir("mpm-team-");
    const [alice, bob, carol] = await team(dir.path);
    const bin = join(dir.path, "bin");
    await Deno.mkdir(bin);
    await writeMpmProgram(join(bin, "mpm"));
    // mpm on PATH, as a person's is: each agent's hooks find it there.
    const PATH = `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`;
    // Claude Code makes Alice's edits itself, with its Bash tool.
    const aliceEdits = Object.entries(edits(alice))
      .map(([file, text]) => `printf '%s\\n' '${text.trimEnd()}' > ${file}`).join(" && ");
    await using claudeMock = claudeApi([
      { toolUse: { name: "Bash", input: { command: aliceEdits, description: "Wire refunds" } } },
      { text: "Refunds wired." },
    ]);
    await using codexMock = codexApi([{ text: "Payouts wired." }, { text: "Carrying on." }]);
    await using geminiMock = geminiApi([{ text: "Invoices wired." }]);

    await t.step("Alice works in Claude Code (claude -p) and pushes", async () => {
      await begin(alice, { agentEdits: true });
      await run(alice, "hooks", "install");
      const done = await runClaude({
        claude: claude!,
        api: claudeMock,
        prompt: "Wire the refunds",
        cwd: alice.repo.path,
        home: alice.repo.home,
        env: { ...alice.env, PATH },
      });
      await using _ = done;
      assertEquals(done.code, 0, done.stderr);
      assertEquals(settingsErrors(done.debugLog), []);
      for (const [file, text] of Object.entries(edits(alice))) {
        assertEquals(await alice.repo.read(file), text, `Claude Code wrote ${file}`);
      }
      // SessionEnd runs in the background after Claude Code exits: its snapshot lands after.
      await waitFor(async () => (await endSnapshots(alice)).length === 1, {
        what: "the snapshot Claude Code's SessionEnd writes",
      });
      await sessionEndDone(alice.repo.path);
      await run(alice, "sync", "push");
    });

    await t.step("Bob works in Codex (codex exec) and pushes", async () => {
      await begin(bob);
      const codexHome = join(bob.repo.home, ".codex");
      await Deno.mkdir(codexHome, { recursive: true });
      await Deno.writeTextFile(
        join(codexHome, "config.toml"),
        codexConfig(codexMock, bob.repo.path),
      );
      await run(bob, "hooks", "install", "--agent", "codex");
      const done = await runCodex({
        codex: codex!,
        prompt: "Wire the payouts",
        cwd: bob.repo.path,
        home: bob.repo.home,
        env: { ...bob.env, PATH },
      });
      assertEquals(done.code, 0, done.stderr);
      // Codex's SessionEnd hands mpm the payload and returns: its snapshot lands after exit.
      await waitFor(async () => (await endSnapshots(bob)).length === 1, {
        what: "the snapshot Codex's SessionEnd writes",
      });
      await sessionEndDone(bob.repo.path);
      await run(bob, "sync", "push");
    });

    await t.step("Carol works in Gemini (gemini -p) and pushes", async () => {
      await begin(carol);
      await Deno.mkdir(join(carol.repo.home, ".gemini"), { recursive: true });
      await Deno.writeTextFile(settingsFile(carol.repo.home), geminiSettings());
      await run(carol, "hooks", "install", "--agent", "gemini");
      await roomyHookTimeouts(settingsFile(carol.repo.home));
      const done = await runGemini({
        gemini: gemini!,
        api: geminiMock,
        prompt: "Wire the invoices",
        cwd: carol.repo.path,
        home: carol.repo.home,
        env: { ...carol.env, PATH },
      });
      assertEquals(done.code, 0, done.stderr);
      // Gemini's SessionEnd, like Codex's, hands mpm the payload and returns.
      await waitFor(async () => (await endSnapshots(carol)).length === 1, {
        what: "the snapshot Gemini's SessionEnd writes",
      });
      await sessionEndDone(carol.repo.path);
      await run(carol, "sync", "push");
    });

    const everyone = [alice, bob, carol];
    for (const who of everyone) await run(who, "sync", "pull");

    for (const who of everyone) {
      await t.step(`${who.name}'s board: three lines, each its agent and person`, async () => {
        const board = JSON.parse(await run(who, "board", "--json"));
        const people: Lane[] = board.people;
        const lanes = people.map((p) => ({
          email: p.email,
          you: p.you,
          verified: p.verified,
          work: p.work.map((w) => [w.name, w.agent]),
        })).sort((a, b) => a.email.localeCompare(b.email));
        assertEquals(
          lanes,
          everyone.map((p) => ({
            email: p.email,
            you: p === who,
            verified: true,
            work: [[p.work, p.agent]],
          })),
        );
        for (const lane of people) {
          for (const w of lane.work) {
            assert(w.files.includes(SHARED), `${w.name}: ${w.files}`);
            assert(
              w.files.includes(everyone.find((p) => p.email === lane.email)!.own),
              `${w.name}: ${w.files}`,
            );
          }
        }
        const overlaps: Overlap[] = board.overlaps;
        assertEquals(overlaps.map((o) => o.path), [SHARED]);
        assertEquals(
          overlaps[0].work.map((w) => [w.email, w.name, w.agent, w.you, w.verified]).sort(),
          everyone.map((p) => [p.email, p.work, p.agent, p === who, true]).sort(),
        );
        // The terminal's overlap line names each teammate's work with its agent, verified.
        const text = await run(who, "board");
        const line = text.split("\n").find((l) => l.includes(`! ${SHARED} — `)) ?? text;
        for (const p of everyone.filter((p) => p !== who)) {
          assertStringIncludes(line, `${p.email} (verified): ${p.work}${agentNote(p)}`);
        }
        assertStringIncludes(line, `you: ${who.work}${agentNote(who)}`);
      });
    }

    /** The two lines a person's start must hold: each teammate's work on the shared file. */
    const teammateLines = (who: Person) =>
      everyone.filter((p) => p !== who).map((p) =>
        new RegExp(
          `- ${escape(`${p.email} (verified) — ${p.work}${agentNote(p)}, `)}[^\\n]* — ` +
            escape(`also changed ${SHARED}`),
        )
      );

    await t.step(
      "Alice's next Claude Code start names Bob's and Carol's work on the file",
      async () => {
        const started = await mpm(["hook", "session-start"], {
          cwd: alice.repo.path,
          env: alice.env,
          stdin: payload("session-start-startup.json", alice.repo),
        });
        assertEquals(started.code, 0, started.stderr);
        const told = JSON.parse(started.stdout).hookSpecificOutput.additionalContext;
        assertStringIncludes(told, TEAMMATE_TITLE);
        for (const line of teammateLines(alice)) assert(line.test(told), `${line}\n${told}`);
      },
    );

    await t.step("Bob's next codex exec tells the model Alice's and Carol's work", async () => {
      const before = codexMock.requests.length;
      const done = await runCodex({
        codex: codex!,
        prompt: "Carry on",
        cwd: bob.repo.path,
        home: bob.repo.home,
        env: { ...bob.env, PATH },
      });
      assertEquals(done.code, 0, done.stderr);
      const sent = codexText(codexMock.requests[before]);
      assertStringIncludes(sent, TEAMMATE_TITLE);
      for (const line of teammateLines(bob)) assert(line.test(sent), `${line}\n${sent}`);
    });

    await t.step("Carol's next Gemini start names Alice's and Bob's work on the file", async () => {
      const started = await mpm(["hook", "session-start", "--agent", "gemini"], {
        cwd: carol.repo.path,
        env: carol.env,
        stdin: JSON.stringify({
          session_id: "ff5fc221-0000-4000-8000-000000000001",
          transcript_path: join(carol.repo.home, ".gemini", "tmp", "project", "chats", "x.jsonl"),
          cwd: carol.repo.path,
          hook_event_name: "SessionStart",
          timestamp: new Date().toISOString(),
          source: "startup",
        }),
      });
      assertEquals(started.code, 0, started.stderr);
      const told = JSON.parse(started.stdout).hookSpecificOutput.additionalContext;
      assertStringIncludes(told, TEAMMATE_TITLE);
      for (const line of teammateLines(carol)) assert(line.test(told), `${line}\n${told}`);
    });
  },
});

/**
 * Gemini stops a hook at its settings' timeout (SessionEnd: 5 s, as mpm installs it, with mpm's own
 * deadline at 3 s inside it); the test's mpm has roomy deadlines (ROOMY_LIMITS), so Gemini is given
 * the same room, or a busy machine would have Gemini stop the pause it is asserting.
 */
async function roomyHookTimeouts(path: string): Promise<void> {
  const settings = JSON.parse(await Deno.readTextFile(path));
  for (
    const groups of Object.values(settings.hooks ?? {}) as { hooks: { timeout?: number }[] }[][]
  ) {
    for (const group of groups) for (const hook of group.hooks) hook.timeout = 600_000;
  }
  await Deno.writeTextFile(path, JSON.stringify(settings, null, 2) + "\n");
}
