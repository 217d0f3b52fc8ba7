/**
 * `claude -p --resume` and `--fork-session` with mpm's hooks: a conversation that already
 * carries mpm's context gets only what changed since, never a second full copy.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok, withRepo, writeMpmProgram } from "../../helpers.ts";
import { claudeOrSkip } from "../install.ts";
import { requestText, startMockApi } from "../mock_api.ts";
import { runClaude } from "../run.ts";
import { waitFor } from "../wait.ts";

const claude = await claudeOrSkip();

const count = (text: string, part: string) => text.split(part).length - 1;

Deno.test({
  name: "claude -p --resume and --fork-session: only what changed since mpm's earlier context",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    const bin = join(repo.home, "..", "bin");
    await Deno.mkdir(bin, { recursive: true });
    await writeMpmProgram(join(bin, "mpm"));
    const env = { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
    await ok(repo, "hooks", "install");
    await ok(repo, "pause", "-s", "Payment work", "-n", "Add refunds");
    await using api = startMockApi(() => ({ text: "Noted." }));
    const run = (prompt: string, args: string[] = []) =>
      runClaude({ claude: claude!, api, prompt, cwd: repo.path, home: repo.home, env, args });
    // SessionEnd runs in the background at exit: it is awaited before the next run (its
    // sighting is recorded first, then nothing is held: no lock).
    const ended = (id: string) =>
      waitFor(() => {
        const threads = join(repo.path, ".claude-mpm", "threads");
        const seen = [...Deno.readDirSync(threads)].some((key) => {
          const file = join(threads, key.name, "claude-sessions.jsonl");
          const text = (() => {
            try {
              return Deno.readTextFileSync(file);
            } catch {
              return "";
            }
          })();
          return text.split("\n").some((line) =>
            line.includes('"SessionEnd"') && line.includes(id)
          );
        });
        const locked = (() => {
          try {
            return Deno.statSync(join(repo.path, ".claude-mpm", ".lock")).isFile;
          } catch {
            return false;
          }
        })();
        return seen && !locked;
      }, { what: `SessionEnd of ${id}` });

    await using first = await run("Start on the refunds");
    assertEquals(first.code, 0, first.stderr);
    const id = first.json!.session_id;
    assertStringIncludes(requestText(api.requests[0]), "Payment work");
    await ended(id);
    await repo.commit("Add refund endpoint", { "refund.ts": "export {};\n" });

    await using resumed = await run("Go on", ["--resume", id]);
    assertEquals(resumed.code, 0, resumed.stderr);
    const again = requestText(api.requests.at(-1)!);
    assertStringIncludes(again, "What changed since mpm's context earlier in this conversation");
    assertStringIncludes(again, "Add refund endpoint");
    assertEquals(count(again, "Last session (mpm)"), 1);
    await ended(resumed.json!.session_id);

    await using forked = await run("Try another way", ["--resume", id, "--fork-session"]);
    assertEquals(forked.code, 0, forked.stderr);
    assert(forked.json!.session_id !== id);
    const fork = requestText(api.requests.at(-1)!);
    assertStringIncludes(fork, "What changed since mpm's context earlier in this conversation");

    assertEquals(count(fork, "Last session (mpm)"), 1);
  },
});
