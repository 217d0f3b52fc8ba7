/**
 * Gemini runs AfterAgent (a turn's end) and SessionEnd at its exit, both in the background: the
 * turn's mark may land after the end took marks away. A mark whose conversation's SessionEnd began
 * is taken away by the turn's end itself, so no later command pauses for an end that came; a turn
 * of that conversation resumed later is marked again.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { unendedNames } from "../../../src/sessions/store/session/unended.ts";

const SESSION = "ff5fc221-a6e4-4ef5-904a-80237602b982";
const NAME = "session-2026-11-26T15-23-ff5fc221.jsonl";
const SAMPLE = fileURLToPath(new URL(`../../fixtures/gemini/${NAME}`, import.meta.url));

/** Gemini's chat of the conversation where Gemini files it (the real 0.61.0 sample). */
async function geminiChat(repo: Repo): Promise<string> {
  const chats = join(repo.home, ".gemini", "tmp", "project", "chats");
  await Deno.mkdir(chats, { recursive: true });
  await Deno.writeTextFile(
    join(repo.home, ".gemini", "projects.json"),
    JSON.stringify({ projects: { [repo.path]: "project" } }),
  );
  const text = (await Deno.readTextFile(SAMPLE)).replaceAll("/home/dev/ledger", repo.path)
    .replaceAll("/home/dev", repo.home);
  await Deno.writeTextFile(join(chats, NAME), text);
  return join(chats, NAME);
}

async function geminiHook(repo: Repo, chat: string, verb: string, event: string, now: Date) {
  const run = await mpm(["hook", verb, "--agent", "gemini"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: JSON.stringify({
      session_id: SESSION,
      transcript_path: chat,
      cwd: repo.path,
      hook_event_name: event,
      timestamp: now.toISOString(),
      ...(event === "SessionEnd" ? { reason: "exit" } : {}),
    }),
    now: () => now,
  });
  assertEquals(run.code, 0, run.stderr);
}

Deno.test("a Gemini turn's end that lands once its SessionEnd began leaves no mark; a later one does", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "Ledger API half done");
  const chat = await geminiChat(repo);
  const ended = new Date(Date.UTC(2026, 10, 27, 10));
  const at = (ms: number) => new Date(ended.getTime() + ms);
  const marks = () => unendedNames(projectPaths(repo.path));
  await geminiHook(repo, chat, "session-start", "SessionStart", at(-60_000));
  // Its AfterAgent's mpm started first but put its mark down after the end's mpm was done.
  await geminiHook(repo, chat, "session-end", "SessionEnd", ended);
  await geminiHook(repo, chat, "checkpoint", "AfterAgent", at(300));
  assertEquals(marks(), [], "the ended conversation is not marked");
  // Resumed (`gemini -r`) a minute later: its turns are marked again.
  await geminiHook(repo, chat, "checkpoint", "AfterAgent", at(60_000));
  assertEquals(marks(), [`unended-${SESSION}.json`]);
});
