/**
 * A Gemini CLI conversation through mpm's hooks, the vault, search, replay and resume, as a
 * Claude Code or Codex one is: its chat (the real 0.61.0 sample, moved into this checkout and
 * into now) where Gemini files it, `mpm hook … --agent gemini` records Gemini's sightings and its
 * SessionEnd pause names the agent; the chat is copied redacted, found by `mpm search` with
 * `gemini -r <id>` to reopen it (mpm's own `<hook_context>` never counted as a prompt), told by
 * `mpm replay`, and put back by `mpm resume --conversation` where Gemini finds it, never over a
 * chat Gemini has.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { type Repo, sessionFiles, withRepo } from "../helpers.ts";
import { retime } from "../replay/replay_helpers.ts";
import { manifest, runner } from "./vault_helpers.ts";

const ID = "ff5fc221-a6e4-4ef5-904a-80237602b982";
const NAME = "session-2026-11-26T15-23-ff5fc221.jsonl";
const SAMPLE = fileURLToPath(new URL(`../fixtures/gemini/${NAME}`, import.meta.url));
const TOKEN = "ghp_" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8V";

/** Gemini ran in `repo`: its chat under `$HOME/.gemini/tmp/project/chats`, a secret added. */
async function geminiRan(repo: Repo): Promise<string> {
  const gemini = join(repo.home, ".gemini");
  const chat = join(gemini, "tmp", "project", "chats", NAME);
  await Deno.mkdir(join(gemini, "tmp", "project", "chats"), { recursive: true });
  await Deno.writeTextFile(
    join(gemini, "projects.json"),
    JSON.stringify({ projects: { [repo.path]: "project" } }),
  );
  const secret = JSON.stringify({
    id: "secret-1",
    timestamp: "2026-11-26T15:24:30.000Z",
    type: "user",
    content: [{ text: `deploy with GITHUB_TOKEN=${TOKEN} please` }],
  });
  const text = (await Deno.readTextFile(SAMPLE))
    .replaceAll("/home/dev/ledger", repo.path)
    .replaceAll("/home/dev", repo.home) + secret + "\n";
  const now = new Date();
  await Deno.writeTextFile(chat, retime(text, now, new Date(now.getTime() + 10)));
  return chat;
}

function payload(repo: Repo, chat: string, event: string, extra: Record<string, string>) {
  return JSON.stringify({
    session_id: ID,
    transcript_path: chat,
    cwd: repo.path,
    hook_event_name: event,
    timestamp: new Date().toISOString(),
    ...extra,
  });
}

// deno-lint-ignore no-explicit-any
function jsonLines(text: string): any[] {
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

Deno.test("a Gemini chat: hooks, vault, search, replay and resume name Gemini", async (t) => {
  await using repo = await withRepo();
  const { ok, run } = runner(repo);
  await ok(["start", "ledger", "--task", "Ledger API"]);
  const chat = await geminiRan(repo);
  const hook = (verb: string, event: string, extra: Record<string, string>) =>
    ok(["hook", verb, "--agent", "gemini"], payload(repo, chat, event, extra));

  await t.step("Gemini's hooks record its sightings and its pause as Gemini's", async () => {
    await hook("session-start", "SessionStart", { source: "startup" });
    await repo.write("ledger.ts", "export const route = 1;\n");
    const before = await sessionFiles(repo.path);
    await hook("session-end", "SessionEnd", { reason: "exit" });
    const files = await sessionFiles(repo.path);
    assertEquals(files.length, before.length + 1, "the end paused");
    const sightings =
      (await Array.fromAsync(Deno.readDir(join(repo.path, ".claude-mpm", "threads"))))
        .map((e) => join(repo.path, ".claude-mpm", "threads", e.name, "claude-sessions.jsonl"));
    const lines = (await Promise.all(sightings.map((p) => Deno.readTextFile(p).catch(() => ""))))
      .join("").trim().split("\n").map((l) => JSON.parse(l));
    assert(lines.length >= 2, JSON.stringify(lines));
    assert(lines.every((l) => l.agent === "gemini"), JSON.stringify(lines));
    const added = files.find((name) => !before.includes(name))!;
    const snapshot = JSON.parse(
      await Deno.readTextFile(join(repo.path, ".claude-mpm", "sessions", added)),
    );
    assertEquals(snapshot.mpm.agent, "gemini");
    assertEquals(snapshot.mpm.claude_session_id, ID);
  });

  await t.step("the end copied the chat redacted, named as Gemini names it", async () => {
    await ok(["vault", "sync"]);
    const m = await manifest(repo, ID);
    assertEquals(m.agent, "gemini");
    assertEquals(m.files.map((f: { source: string }) => f.source), [NAME]);
    const copied = (await ok(["vault", "show", ID, "--jsonl"])).stdout;
    assertNotIncludes(copied, TOKEN);
    // Gemini still has it: the list reopens it with Gemini's command, not Claude Code's.
    const listed = JSON.parse((await ok(["vault", "list", "--json"])).stdout);
    assertEquals(listed.map((copy: { open: string }) => copy.open), [`gemini -r ${ID}`]);
    assertEquals(listed[0].agent, "gemini");
    assertStringIncludes((await ok(["vault", "list"])).stdout, "Gemini still has it");
  });

  await t.step("search finds the prompt and the answer, names Gemini and `gemini -r`", async () => {
    const found = JSON.parse((await ok(["search", "add it in api.ts", "--json"])).stdout);
    const hit = found.hits.find((h: { kind: string }) => h.kind === "answer");
    assert(hit !== undefined, JSON.stringify(found));
    assertEquals(hit.agent, "gemini");
    assertEquals(hit.open, `gemini -r ${ID}`);
    const prompt = JSON.parse((await ok(["search", "ledger route go", "--json"])).stdout).hits;
    assertEquals(prompt.map((h: { kind: string }) => h.kind), ["prompt"]);
    assertStringIncludes(JSON.stringify(prompt[0]), "where does the ledger route go?");
    // mpm's own context and Gemini's session context are not the person's prompts.
    const context = JSON.parse((await ok(["search", "session manager", "--json"])).stdout);
    assertEquals(
      context.hits.filter((h: { source: string }) => h.source === "transcript").length,
      0,
      JSON.stringify(context),
    );
    const text = (await ok(["search", "add it in api.ts"])).stdout;
    assertStringIncludes(text, "Gemini");
  });

  await t.step("replay tells the Gemini conversation", async () => {
    const lines = jsonLines((await ok(["replay", "--json"])).stdout);
    const prompts = lines.filter((l) => l.kind === "prompt").map((l) => l.text);
    assertEquals(prompts.slice(0, 2), ["where does the ledger route go?", "now wire it please"]);
    assertEquals(prompts.length, 3, "the secret's prompt, and never mpm's context");
    const answer = lines.find((l) => l.kind === "text");
    assertEquals(answer?.text, "Ledger route: add it in api.ts.");
    assertEquals(answer?.agent, "gemini");
  });

  await t.step("resume --conversation puts the chat back where Gemini finds it", async () => {
    await Deno.remove(chat);
    const result = await ok(["resume", "--conversation"]);
    assertStringIncludes(result.stdout, `gemini -r ${ID}`);
    assertNotIncludes(result.stdout, "claude --resume");
    const back = await Deno.readTextFile(chat);
    assertEquals(JSON.parse(back.split("\n")[0]).sessionId, ID);
    assertStringIncludes(back, "where does the ledger route go?");
    assertNotIncludes(back, TOKEN);
  });

  await t.step("a chat Gemini has at that path is left as it is", async () => {
    await Deno.writeTextFile(chat, "{}\n");
    const result = await run(["vault", "restore", ID]);
    assertEquals(result.code, 1, result.stdout + result.stderr);
    assertStringIncludes(result.stderr + result.stdout, "Gemini already has a chat");
    assertEquals(await Deno.readTextFile(chat), "{}\n");
  });
});
