/**
 * The conversation itself on another machine, with the real Claude Code: machine A (its own
 * HOME) works in Claude Code against the mock API and `mpm sync push`es; machine B (another HOME,
 * the repository cloned to another absolute path, signing with the same key) `mpm sync pull`s,
 * `mpm vault restore`s, and `claude -p --resume <id>` goes on: the model receives A's earlier
 * turns (as they were said and printed; what Claude Code reads as a path, and the environment it
 * describes, now B's), the new turn is appended to the restored transcript, and the `/resume`
 * picker lists it.
 */
import { dirname, join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { ok, okJson, withClones, writeMpmProgram } from "../../helpers.ts";
import { signAlike } from "../../board/identity_helpers.ts";
import { claudeOrSkip } from "../install.ts";
import { requestText, startMockApi } from "../mock_api.ts";
import { readTranscript, runClaude, transcriptPath } from "../run.ts";
import { ready, seedClaudeJson, startTui, tuiAvailable } from "../tui.ts";
import { sessionEndDone } from "../wait.ts";

const claude = await claudeOrSkip();
const tui = claude ? await tuiAvailable() : undefined;
/** The picker is checked only where the TUI runs; A then works in the TUI too. */
const interactive = tui !== undefined && "claude" in tui;

const WORD = "PELICAN-7";

Deno.test({
  name: "a conversation from machine A goes on in Claude Code on machine B after vault restore",
  ignore: !claude,
  fn: async (t) => {
    await using clones = await withClones();
    const { a, b } = clones;
    // One person's two machines: what A pushes is B's person's own because both sign with one
    // key (an email alone proves nothing).
    await signAlike(a, b);
    const bin = join(clones.remote, "..", "bin");
    await Deno.mkdir(bin, { recursive: true });
    await writeMpmProgram(join(bin, "mpm"));
    // mpm finds `claude` on PATH to know which client will read what it restores.
    const path = `${bin}:${dirname(claude!)}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`;
    const env = { PATH: path };
    let id = "";

    await t.step("A: Claude Code reads a file of A's checkout; mpm sync push", async () => {
      await ok(a, "hooks", "install");
      await ok(a, "pause", "-s", "Refunds", "-n", "Ask Claude for the word");
      await a.commit("Add refunds", { "refunds.ts": "export const word = 'x';\n" });
      await using api = startMockApi([
        { toolUse: { name: "Bash", input: { command: `cat ${a.path}/refunds.ts` } } },
        { text: `The word to remember is ${WORD}.` },
      ]);
      const prompt = "Read refunds.ts and give me a word to remember";
      if (interactive) {
        // In the TUI: the /resume picker lists only conversations a person had there.
        await seedClaudeJson(a.home, a.path);
        await using pane = await startTui({ claude: claude!, api, cwd: a.path, home: a.home, env });
        await ready(pane);
        await pane.submit(prompt);
        await pane.waitScreen(`The word to remember is ${WORD}.`, "the answer after the Bash call");
        await pane.submit("/exit");
        assertEquals(await pane.waitExit(), 0);
        const folder = dirname(transcriptPath(a.home, a.path, "x"));
        const found = [...Deno.readDirSync(folder)].filter((e) => e.name.endsWith(".jsonl"));
        assertEquals(found.length, 1);
        id = found[0].name.replace(/\.jsonl$/, "");
      } else {
        await using run = await runClaude({
          claude: claude!,
          api,
          prompt,
          cwd: a.path,
          home: a.home,
          env,
        });
        assertEquals(run.code, 0, run.stderr);
        id = run.json!.session_id;
      }
      await sessionEndDone(a.path);
      await ok(a, "vault", "sync");
      const pushed = await okJson(a, "sync", "push", "--json");
      assertEquals(pushed.transcripts.moved, [id]);
    });

    const restored = transcriptPath(b.home, b.path, id);

    await t.step("B: mpm sync pull, mpm vault restore", async () => {
      await ok(b, "sync", "pull");
      const report = JSON.parse(
        (await b.run("vault", "restore", "--json")).stdout || "{}",
      );
      assertEquals(report.status, "restored", JSON.stringify(report));
      assertEquals(report.id, id);
      assertEquals(report.origin, "you");
      assertEquals(report.transcript, restored);
      assertEquals(report.command, `claude --resume ${id}`);
      const text = await Deno.readTextFile(restored);
      // The folder it ran in is B's; the command the model ran is history, as it was.
      assertEquals((await readTranscript(restored)).find((e) => e.cwd)?.cwd, b.path);
      assertStringIncludes(text, `cat ${a.path}/refunds.ts`);
    });

    await t.step(
      "B: claude -p --resume sends A's turns to the model and appends the new one",
      async () => {
        const before = await Deno.readTextFile(restored);
        await using api = startMockApi([{ text: `It was ${WORD}.` }]);
        await using run = await runClaude({
          claude: claude!,
          api,
          prompt: "Which word was it?",
          cwd: b.path,
          home: b.home,
          env,
          args: ["--resume", id],
        });
        assertEquals(run.code, 0, run.stderr);
        assertEquals(run.json!.session_id, id);
        const sent = api.requests.at(-1)!;
        const text = requestText(sent);
        assertStringIncludes(text, "Read refunds.ts and give me a word to remember");
        assertStringIncludes(text, `The word to remember is ${WORD}.`);
        assertStringIncludes(text, "restored from mpm's vault on another checkout");
        assertStringIncludes(text, "Which word was it?");
        // A's checkout reaches the model only in history (the command it ran, as it ran) and in
        // the restore's note that says the paths moved; the environment it is told is B's.
        const wire = JSON.stringify(
          sent.messages.filter((m) => !JSON.stringify(m).includes("[mpm] This conversation")),
        );
        assertStringIncludes(wire, `cat ${a.path}/refunds.ts`);
        assertNotIncludes(wire.replaceAll(`cat ${a.path}/refunds.ts`, ""), a.path);
        assertNotIncludes(JSON.stringify(sent.system ?? ""), a.path);
        const after = await Deno.readTextFile(restored);
        assert(after.startsWith(before), "the restored transcript was appended to, not replaced");
        const added = (await readTranscript(restored)).slice(before.trim().split("\n").length);
        assert(
          added.some((e) => e.type === "user" && JSON.stringify(e).includes("Which word was it?")),
          "the new turn is in the restored transcript",
        );
      },
    );

    await t.step({
      name: "B: the /resume picker lists the restored conversation",
      ignore: !interactive,
      fn: async () => {
        await seedClaudeJson(b.home, b.path);
        await using api = startMockApi([{ text: "ok" }]);
        await using pane = await startTui({ claude: claude!, api, cwd: b.path, home: b.home, env });
        await ready(pane);
        await pane.submit("/resume");
        await pane.waitScreen(
          (shot) => shot.includes("Which word was it?") || shot.includes("Read refunds.ts"),
          "the restored conversation in the /resume picker",
        );
      },
    });
  },
});
