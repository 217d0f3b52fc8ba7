/**
 * The line a command prints when it goes on with the newest work (nothing was active) names the
 * work and quotes the person's last words in it, never mpm's own note: after Claude Code's exit
 * paused the work, the newest snapshot's summary is "Auto-saved when the Claude session
 * ended…", which says nothing of the work. Hook calls in this process, on a clock the test moves.
 */
import { assert, assertEquals } from "../../assert.ts";
import { mpm, type Repo, withRepo } from "../../helpers.ts";
import { hookEnv, payload } from "../../hooks/hooks_helpers.ts";
import { runHook } from "../../../src/hooks/events/hook_command.ts";

function clock(start = "2025-06-02T09:00:00.000Z") {
  let at = new Date(start).getTime();
  return () => new Date(at += 60_000);
}

async function at(repo: Repo, tick: () => Date, ...args: string[]) {
  const out = await mpm(args, { cwd: repo.path, env: { HOME: repo.home }, now: tick });
  assertEquals(out.code, 0, out.stderr);
  return out;
}

async function sessionEnd(repo: Repo, tick: () => Date, claude: string) {
  const stdin = payload("session-end.json", repo, { session_id: claude });
  const env = hookEnv(repo, stdin, tick());
  await runHook(env, "session-end");
  assertEquals(env.warnings, []);
}

function continuing(stdout: string): string {
  const lines = stdout.split("\n").filter((l) => l.includes("continuing the newest work"));
  assertEquals(lines.length, 1, stdout);
  return lines[0];
}

Deno.test("pause after an automatic pause names the work, not mpm's note", async () => {
  await using repo = await withRepo();
  const tick = clock();
  await at(repo, tick, "start", "Payments");
  await repo.write("pay.ts", "export {};\n");
  await sessionEnd(repo, tick, "c1");

  const line = continuing((await at(repo, tick, "pause", "-s", "My words")).stdout);
  assertEquals(line, "No session was active: continuing the newest work, Payments.");
  assert(!line.includes("Auto-saved"), line);
});

Deno.test("pause after an automatic pause quotes the person's last words in the work", async () => {
  await using repo = await withRepo();
  const tick = clock();
  await at(repo, tick, "start", "Payments");
  await at(repo, tick, "pause", "-s", "Refunds half wired");
  await repo.write("pay.ts", "export {};\n");
  await sessionEnd(repo, tick, "c1");
  await repo.write("pay.ts", "export const pay = 1;\n");
  await sessionEnd(repo, tick, "c2");

  const expected =
    'No session was active: continuing the newest work, Payments ("Refunds half wired").';
  assertEquals(continuing((await at(repo, tick, "todo", "add", "Check refunds")).stdout), expected);
  await sessionEnd(repo, tick, "c3");
  assertEquals(continuing((await at(repo, tick, "pause", "-s", "My words")).stdout), expected);
});
