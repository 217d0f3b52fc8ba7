/**
 * A Codex CLI conversation in the vault, search and replay, as a Claude Code one is: its rollout
 * (the real 0.169.0 sample, moved into this checkout and into now) seen by the hooks, copied
 * redacted, found by `mpm search` with `codex resume <id>` to reopen it, told by `mpm replay`
 * and `mpm summary` from the rollout and, once Codex's file is gone, from the vault's copy.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { type Repo, withRepo } from "../helpers.ts";
import { retime } from "../replay/replay_helpers.ts";
import { manifest, runner } from "./vault_helpers.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import {
  appendSighting,
  currentSessionKey,
} from "../../src/sessions/store/claude/claude_sessions_store.ts";

export const CODEX_ID = "01a2181d-6d6a-7f22-b3fb-9513c5c721d6";
export const CODEX_NAME = `rollout-2026-11-26T13-48-31-${CODEX_ID}.jsonl`;
export const CODEX_REL = `2026/11/26/${CODEX_NAME}`;
const SAMPLE = fileURLToPath(new URL(`../fixtures/codex/${CODEX_NAME}`, import.meta.url));
const SAMPLE_CWD = "/home/person/project";
const TOKEN = "ghp_" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8V";

/**
 * Codex ran in `repo` (the sample's cwd is the checkout, its times spread from now,
 * and a prompt with a secret added), its rollout where Codex files it under `$HOME/.codex`, and
 * the hooks recorded a Codex sighting of it, sealed with this machine's key, under the session.
 */
export async function codexRan(repo: Repo): Promise<string> {
  const rollout = join(repo.home, ".codex", "sessions", CODEX_REL);
  await Deno.mkdir(dirname(rollout), { recursive: true });
  const secret = JSON.stringify({
    timestamp: "2026-11-26T13:48:32.500Z",
    type: "response_item",
    payload: {
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: `deploy with GITHUB_TOKEN=${TOKEN} please` }],
    },
  });
  const text = (await Deno.readTextFile(SAMPLE)).replaceAll(SAMPLE_CWD, repo.path) + secret + "\n";
  // After the session began, and at most 10 ms ahead: what reads it next comes later.
  const now = new Date();
  await Deno.writeTextFile(rollout, retime(text, now, new Date(now.getTime() + 10)));
  const paths = projectPaths(repo.path);
  const key = await currentSessionKey(paths);
  assert(key !== null, "a session is active");
  useMachineKeyFrom({ HOME: repo.home });
  for (const event of ["SessionStart", "Stop"]) {
    await appendSighting(
      paths,
      key,
      JSON.stringify({
        time: new Date().toISOString(),
        event,
        claude_session_id: CODEX_ID,
        transcript_path: rollout,
        agent: "codex",
      }),
    );
  }
  return rollout;
}

// deno-lint-ignore no-explicit-any
function jsonLines(text: string): any[] {
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

Deno.test("a Codex rollout is vaulted, searched and replayed as a Claude transcript is", async (t) => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["start", "payments", "--task", "Stripe"]);
  const rollout = await codexRan(repo);

  await t.step("vault sync copies the rollout redacted, named as Codex files it", async () => {
    await ok(["vault", "sync"]);
    const m = await manifest(repo, CODEX_ID);
    assertEquals(m.agent, "codex");
    assertEquals(m.files.map((f: { source: string }) => f.source), [CODEX_REL]);
    assertEquals(m.files[0].source_bytes, (await Deno.stat(rollout)).size);
    const copied = (await ok(["vault", "show", CODEX_ID, "--jsonl"])).stdout;
    assertNotIncludes(copied, TOKEN);
    assertStringIncludes(copied, "[REDACTED:github-token]");
  });

  await t.step(
    "search finds the prompt and the answer, names Codex and `codex resume`",
    async () => {
      const found = JSON.parse((await ok(["search", "hello-from-tool", "--json"])).stdout);
      const hit = found.hits.find((h: { kind: string }) => h.kind === "answer");
      assert(hit !== undefined, JSON.stringify(found));
      assertEquals(hit.agent, "codex");
      assertEquals(hit.claude_session, CODEX_ID);
      assertEquals(hit.open, `codex resume ${CODEX_ID}`);
      const prompt = JSON.parse((await ok(["search", "run echo", "--json"])).stdout).hits;
      assertEquals(prompt.map((h: { kind: string }) => h.kind), ["prompt"]);
      // The environment block Codex sends in the person's name is not their prompt.
      assertEquals(JSON.parse((await ok(["search", "shell>bash", "--json"])).stdout).total, 0);
      const text = (await ok(["search", "hello-from-tool"])).stdout;
      assertStringIncludes(text, "transcript · Codex · answer");
    },
  );

  await t.step("replay tells the Codex conversation from its rollout", async () => {
    const lines = jsonLines((await ok(["replay", "--json"])).stdout);
    const prompts = lines.filter((l) => l.kind === "prompt").map((l) => l.text);
    assert(prompts.includes("hi, run echo"), JSON.stringify(lines));
    const tool = lines.find((l) => l.kind === "tool");
    assertEquals(tool?.tool ?? tool?.name, "exec_command");
    assertEquals(tool?.agent, "codex");
    const answer = lines.find((l) => l.kind === "text");
    assertEquals(answer?.text, "Hello! The tool said hello-from-tool.");
    assert(
      lines.some((l) => l.kind === "claude" && /^Codex session 01a2181d started/.test(l.text)),
    );
  });

  await t.step("Codex's file gone, replay and summary read the vault's copy", async () => {
    await Deno.remove(rollout);
    const lines = jsonLines((await ok(["replay", "--json"])).stdout);
    assert(lines.some((l) => l.kind === "prompt" && l.text === "hi, run echo"));
    const notes: string[] = lines.find((l) => l.kind === "end").notes;
    assert(notes.some((n) => n.startsWith("Codex no longer has the transcript")), notes.join("\n"));
    const summary = (await ok(["summary"])).stdout;
    assertStringIncludes(summary, "run echo");
    // No longer there: search offers the replay, not `codex resume`.
    const found = JSON.parse((await ok(["search", "hello-from-tool", "--json"])).stdout);
    assertStringIncludes(found.hits[0].open, "mpm replay");
  });
});

Deno.test("mpm resume --conversation puts a Codex rollout back where Codex finds it, never over one", async (t) => {
  await using repo = await withRepo();
  const { ok, run } = runner(repo);
  await ok(["start", "payments", "--task", "Stripe"]);
  const rollout = await codexRan(repo);
  await ok(["vault", "sync"]);
  await ok(["pause", "-m", "codex work"]);
  const before = await Deno.readTextFile(rollout);
  await Deno.remove(rollout);

  await t.step(
    "the rollout comes back at its day folder, paths moved, `codex resume` named",
    async () => {
      // Another checkout of the same work: the rollout ran in repo.path, this is `here`.
      const here = repo.path + "-moved";
      await Deno.rename(repo.path, here);
      const result = await runner({ ...repo, path: here }).ok(["resume", "--conversation"]);
      assertStringIncludes(result.stdout, `codex resume ${CODEX_ID}`);
      assertNotIncludes(result.stdout, "claude --resume");
      const back = await Deno.readTextFile(rollout);
      const meta = JSON.parse(back.split("\n")[0]);
      assertEquals(meta.type, "session_meta");
      assertEquals(meta.payload.cwd, here);
      // The conversation itself is as Codex wrote it, redacted.
      assertEquals(back.split("\n").length, before.split("\n").length);
      assertNotIncludes(back, TOKEN);
      await Deno.rename(here, repo.path);
    },
  );

  await t.step("a rollout Codex has at that path is left as it is", async () => {
    await Deno.writeTextFile(rollout, "{}\n");
    const result = await run(["vault", "restore", CODEX_ID]);
    assertEquals(result.code, 1, result.stdout + result.stderr);
    assertStringIncludes(result.stderr + result.stdout, "Codex already has a rollout");
    assertEquals(await Deno.readTextFile(rollout), "{}\n");
  });
});
