/**
 * What a hook keeps of a payload's free-form fields: a SessionEnd `reason` that is no reason word
 * and a `model` that is no model id are not kept, in pieces or whole (docs/security.md: every text
 * mpm stores is redacted, and these were cut up before redaction could see them); a
 * `transcript_path` that is relative or names a folder is no transcript. Hook runs in this
 * process, on a fixed clock.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";
import { CLAUDE_SESSION, hookEnv, payload, snapshots, storeContents } from "../hooks_helpers.ts";
import { runHook } from "../../../src/hooks/events/hook_command.ts";
import { readyStart } from "../../../src/hooks/events/ready_start.ts";

const NOW = new Date("2026-03-02T09:00:00.000Z");
const TOKEN_PART = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
const TOKEN = `ghp_${TOKEN_PART}`;

async function hook(repo: Repo, event: Parameters<typeof runHook>[1], stdin: string, now = NOW) {
  const env = hookEnv(repo, stdin, now);
  const result = await runHook(env, event);
  return { ...result, warnings: env.warnings };
}

function contextOf(stdout: string | undefined): string {
  return String(JSON.parse(stdout ?? "{}").hookSpecificOutput?.additionalContext ?? "");
}

Deno.test("a SessionEnd reason or a model that is no id's shape reaches no file", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Refunds");
  await repo.write(".claude/context.md", "# Context\n\nRefunds are counted in cents.\n");
  const model = `claude-sonnet-4-5 ${TOKEN} \u001b]0;pwned\u0007`;
  await hook(repo, "session-start", payload("session-start-startup.json", repo, { model }));
  // The start made ready records the model on its own path (main.ts runs it first).
  const id = "0c0ffee0-1111-4222-8333-444455556666";
  const fast = await readyStart({
    payload: payload("session-start-startup.json", repo, {
      session_id: id,
      transcript_path: join(repo.home, ".claude", "projects", `${id}.jsonl`),
      model,
    }),
    vars: { HOME: repo.home },
    cwd: repo.path,
    now: new Date(NOW.getTime() + 1000),
  });
  assert(fast !== null, "the start made ready answers");
  await repo.write("refunds.ts", "export {};\n");
  const reason = `other ${TOKEN} \u001b[2J`;
  const end = await hook(repo, "session-end", payload("session-end.json", repo, { reason }));
  assertEquals(end.warnings, []);

  const [snapshot] = await snapshots(repo);
  assertStringIncludes(snapshot.mpm.auto.note, "for a reason mpm does not know");
  const stored = await storeContents(repo.path);
  const models = Object.keys(stored).filter((file) => file.endsWith(".model"));
  assertEquals(models, []);
  for (const [file, text] of Object.entries(stored)) {
    assertNotIncludes(text, TOKEN_PART.slice(0, 8), file);
    assertNotIncludes(text, "pwned", file);
  }
  const start = await hook(repo, "session-start", payload("session-start-resume.json", repo));
  assertNotIncludes(contextOf(start.stdout), TOKEN_PART.slice(0, 8));
  assertNotIncludes(contextOf(start.stdout), "\u001b");
});

Deno.test("a transcript path that is relative or a folder is no transcript", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Refunds");
  await repo.write("a.txt", "a project file, not a transcript\n");
  await Deno.mkdir(join(repo.path, "folder"));
  const folder = join(repo.path, "folder");
  for (const transcript of ["a.txt", folder]) {
    const changes = { session_id: CLAUDE_SESSION, transcript_path: transcript };
    await hook(repo, "session-start", payload("session-start-startup.json", repo, changes));
    await hook(repo, "checkpoint", payload("stop.json", repo, changes));
    await repo.write("refunds.ts", `export const at = "${transcript}";\n`);
    const end = await hook(repo, "session-end", payload("session-end.json", repo, changes));
    assertEquals(end.warnings, []);
  }
  // Neither SessionEnd was a conversation's end: nothing was paused.
  assertEquals(await snapshots(repo), []);
  // A pause copies what the sightings name into the vault: they name neither.
  const pause = await mpm(["pause", "-s", "refunds"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    now: () => new Date(NOW.getTime() + 60_000),
  });
  assertEquals(pause.code, 0, pause.stderr);
  assertNotIncludes(pause.stderr, "regular file");
  const stored = await storeContents(repo.path);
  for (const [file, text] of Object.entries(stored)) {
    assertNotIncludes(text, "a project file", file);
    if (file.endsWith("claude-sessions.jsonl")) {
      for (const line of text.trim().split("\n")) {
        assertEquals(JSON.parse(line).transcript_path, null, line);
      }
    }
  }
});
