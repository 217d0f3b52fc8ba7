/**
 * /mpm-handoff in the real Claude Code, against the mock API, in print mode: the model answers
 * with the skill's own command, which stores Claude's handoff without a permission prompt and
 * runs nothing in its words; `/clear` (`claude -p /clear --resume ID`, which fires SessionEnd
 * and SessionStart with source "clear" and starts a new session) makes the next request carry
 * the person's words and then the handoff, once; a second `/clear` does not carry it again.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { exists, ok, type Repo, withRepo, writeMpmProgram } from "../../helpers.ts";
import { claudeOrSkip } from "../install.ts";
import { type MessagesRequest, requestText, startMockApi, toolResults } from "../mock_api.ts";
import { type ClaudeRun, runClaude } from "../run.ts";
import { waitFor } from "../wait.ts";

const claude = await claudeOrSkip();

const PERSON = "Refunds half done PERSON-4417";
const GOAL = "Refunds through Stripe GOAL-9021";

async function mpmOnPath(repo: Repo): Promise<Record<string, string>> {
  const bin = join(repo.home, "..", "bin");
  await Deno.mkdir(bin, { recursive: true });
  await writeMpmProgram(join(bin, "mpm"));
  return { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
}

/** The skill's command block, each `"…"` filled as the skill says (JSON-escaped strings). */
function commandFrom(skill: string, words: Record<string, string | string[]>): string {
  const block = /```\n(mpm handoff save --input - <<'MPM_INPUT'\n[\s\S]*?\nMPM_INPUT)\n```/
    .exec(skill)?.[1];
  assert(block, "the skill shows the command to run");
  const lines: string[] = [];
  for (const line of block.split("\n")) {
    const field = /^(\w+): "…"$/.exec(line)?.[1];
    if (field) lines.push(`${field}: ${JSON.stringify(words[field])}`);
    else if (line === '  - "…"') {
      const list = /^(\w+):$/.exec(lines.at(-1)!)?.[1]!;
      const items = words[list] as string[];
      if (items.length === 0) lines[lines.length - 1] += " []";
      for (const item of items) lines.push(`  - ${JSON.stringify(item)}`);
    } else lines.push(line);
  }
  return lines.join("\n");
}

/**
 * Waits until SessionEnd has finished for a Claude session (at a plain exit it runs in the
 * background): its sighting is the hook's first write, the summary it rewrites its last.
 */
async function sessionEndOf(repo: Repo, session: string): Promise<void> {
  const threads = join(repo.path, ".claude-mpm", "threads");
  const read = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  };
  await waitFor(() => {
    for (const key of read(() => [...Deno.readDirSync(threads)].map((e) => e.name)) ?? []) {
      const text = read(() => Deno.readTextFileSync(join(threads, key, "claude-sessions.jsonl")));
      const lines = (text ?? "").split("\n").filter(Boolean).map((l) => JSON.parse(l));
      const end = lines.find((l) => l.claude_session_id === session && l.event === "SessionEnd");
      if (!end) continue;
      const summary = read(() => Deno.statSync(join(threads, key, "summary.md")));
      if (summary?.mtime && summary.mtime.getTime() >= Date.parse(end.time)) return true;
    }
    return false;
  }, { what: `SessionEnd of Claude session ${session}` });
}

Deno.test({
  name:
    "/mpm-handoff stores Claude's handoff; after /clear the next request carries your words, then it, once",
  ignore: !claude,
  fn: async (t) => {
    await using repo = await withRepo();
    await ok(repo, "skills", "install");
    await ok(repo, "hooks", "install");
    await ok(repo, "pause", "-s", PERSON, "-n", "Wire the refund webhook");
    const env = await mpmOnPath(repo);
    const marker = join(repo.path, "..", "executed");
    const skill = (await ok(repo, "skills", "show", "mpm-handoff")).stdout;
    const command = commandFrom(skill, {
      focus: "the webhook",
      goal: GOAL,
      state: `API call works; "webhook" half written $(touch ${marker})`,
      decisions: ["Kept refunds synchronous: the webhook only confirms"],
      tried: [`stripe-mock \`touch ${marker}\` sends no refund events`],
      files: ["src/refunds.ts: the API call"],
      next_step: "Write handleRefundEvent in src/webhook.ts",
      open_questions: [],
    });
    await using api = startMockApi((request: MessagesRequest) =>
      requestText(request).includes("# /mpm-handoff") && toolResults(request).length === 0
        ? { toolUse: { name: "Bash", input: { command, description: "Save the handoff" } } }
        : { text: "ok" }
    );
    const runs: ClaudeRun[] = [];
    const run = async (prompt: string, args: string[] = [], allowedTools?: string[]) => {
      const done = await runClaude({
        claude: claude!,
        api,
        prompt,
        cwd: repo.path,
        home: repo.home,
        env,
        args,
        ...(allowedTools ? { allowedTools } : {}),
      });
      runs.push(done);
      assertEquals(done.code, 0, done.stderr);
      assert(done.json, done.stdout);
      return done;
    };
    try {
      let first!: ClaudeRun;
      await t.step("/mpm-handoff: the skill's command stores it, no permission asked", async () => {
        first = await run("/mpm-handoff the webhook", [], ["Skill"]);
        assertEquals(first.json?.permission_denials, []);
        const results = api.requests.flatMap(toolResults);
        assertEquals(results.length, 1);
        assert(!results[0].is_error, String(results[0].content));
        assertStringIncludes(String(results[0].content), "Now run /clear");
        const handoffs = [...Deno.readDirSync(join(repo.path, ".claude-mpm", "handoffs"))]
          .map((e) => e.name).filter((n) => n.endsWith(".json"));
        assertEquals(handoffs.length, 1);
        const record = JSON.parse(
          await Deno.readTextFile(join(repo.path, ".claude-mpm", "handoffs", handoffs[0])),
        );
        assertEquals(record.written_by, "claude");
        assertEquals(record.claude_session_id, first.json!.session_id);
        assertStringIncludes(record.handoff.state, "$(touch");
        assertEquals(await exists(marker), false, "nothing in the words was run");
        await sessionEndOf(repo, first.json!.session_id);
      });

      const asked = () => api.requests.length;
      let cleared!: ClaudeRun;
      await t.step(
        "/clear, then the next request: your words, then the handoff, once",
        async () => {
          cleared = await run("/clear", ["--resume", first.json!.session_id]);
          assert(cleared.json!.session_id !== first.json!.session_id);
          await sessionEndOf(repo, cleared.json!.session_id);
          const before = asked();
          const next = await run("Carry on", ["--resume", cleared.json!.session_id]);
          await sessionEndOf(repo, next.json!.session_id);
          assertEquals(asked(), before + 1);
          const text = requestText(api.requests.at(-1)!);
          const yours = text.indexOf(PERSON);
          const theirs = text.indexOf(GOAL);
          assert(yours >= 0 && theirs > yours, text.slice(0, 4000));
          assertEquals(text.split(GOAL).length - 1, 1, "the handoff is in the request once");
          assertStringIncludes(text, "Handoff Claude wrote for this conversation");
        },
      );

      await t.step("a second /clear does not carry it again", async () => {
        const again = await run("/clear", ["--resume", cleared.json!.session_id]);
        await sessionEndOf(repo, again.json!.session_id);
        const next = await run("And now?", ["--resume", again.json!.session_id]);
        await sessionEndOf(repo, next.json!.session_id);
        const text = requestText(api.requests.at(-1)!);
        assertStringIncludes(text, PERSON);
        assertNotIncludes(text, GOAL);
      });
    } finally {
      for (const done of runs) await done[Symbol.asyncDispose]();
    }
  },
});
