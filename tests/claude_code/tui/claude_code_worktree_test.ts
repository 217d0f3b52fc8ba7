/**
 * The real, interactive Claude Code (tui.ts) started in a git worktree under
 * `.claude/worktrees/NAME`, with mpm's hooks installed only at the main tree:
 * - one `mpm branch hotfix --worktree` made: the model is told the child's session (hotfix, its
 *   parent named), and the exit pauses the child in the worktree's own store;
 * - one `claude --worktree NAME` made itself (no mpm session in it): the hooks run mpm there, and
 *   the exit, which Claude Code runs back in the main tree once the person keeps the worktree,
 *   pauses that worktree's own store, not the main tree's work.
 * Skipped with one line where tmux or the client cannot be had.
 */
import { join } from "node:path";
import {
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertStringIncludes,
} from "../../assert.ts";
import { ok, withRepo, writeMpmProgram } from "../../helpers.ts";
import { type MessagesRequest, type MockReply, requestText, startMockApi } from "../mock_api.ts";
import { ready, seedClaudeJson, startTui, tuiOrSkip } from "../tui.ts";
import { waitFor } from "../wait.ts";

const claude = await tuiOrSkip();

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** The model: a prompt naming a `WRITE file` writes it with Bash; anything else is noted. */
function model(request: MessagesRequest): MockReply {
  const turn = request.messages.filter((m) => m.role === "user").at(-1);
  if (typeof turn?.content === "string") {
    const file = /WRITE (\S+)/.exec(turn.content)?.[1];
    if (file) {
      return { toolUse: { name: "Bash", input: { command: `: > ${file}`, description: "Write" } } };
    }
    return { text: "Noted." };
  }
  const results = turn?.content.some((block) => block.type === "tool_result");
  if (results) return { text: "Written." };
  const text = turn?.content.map((block) => String(block.text ?? "")).join("\n") ?? "";
  const file = /WRITE (\S+)/.exec(text)?.[1];
  return file
    ? { toolUse: { name: "Bash", input: { command: `: > ${file}`, description: "Write" } } }
    : { text: "Noted." };
}

/** The Claude sessions whose SessionStart mpm's hooks served in `root`. */
function startedIn(root: string): string[] {
  const dir = join(root, ".claude-mpm", "hooks-state", "claims");
  try {
    return [...Deno.readDirSync(dir)].map((entry) => /^(.+)\.SessionStart\./.exec(entry.name)?.[1])
      .filter((id): id is string => id !== undefined);
  } catch {
    return [];
  }
}

/** The automatic snapshots in `root`'s own store. */
function autoSnapshots(root: string): Json[] {
  const dir = join(root, ".claude-mpm", "sessions");
  try {
    return [...Deno.readDirSync(dir)].map((entry) => entry.name)
      .filter((name) => /^session-\d{8}-\d{6}.*\.json$/.test(name))
      .map((name) => JSON.parse(Deno.readTextFileSync(join(dir, name))))
      .filter((snapshot) => snapshot.mpm?.auto?.trigger === "session-end");
  } catch {
    return [];
  }
}

Deno.test({
  name: "TUI: Claude Code in a worktree under .claude/worktrees has mpm",
  ignore: !claude,
  fn: async (t) => {
    await using api = startMockApi(model);
    await using repo = await withRepo();
    const bin = join(repo.home, "..", "bin");
    await Deno.mkdir(bin, { recursive: true });
    await writeMpmProgram(join(bin, "mpm"));
    const env = { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
    const root = await Deno.realPath(repo.path);
    await seedClaudeJson(repo.home, root);
    await ok(repo, "start", "Payments");
    await ok(repo, "hooks", "install");

    /**
     * One run in `cwd` (more arguments in `args`): `prompt`, its answer, then `/exit`; Claude
     * Code's own worktree, with a change in it, is kept (the first choice it offers).
     */
    const session = async (cwd: string, prompt: string, args: string[] = []) => {
      const before = api.requests.length;
      await using tui = await startTui({ claude: claude!, api, cwd, home: repo.home, env, args });
      await ready(tui);
      await tui.submit(prompt);
      const screen = await tui.waitScreen(/Noted\.|Written\./, "the answer");
      await tui.waitLog(/Hooks: Stop \[.*\] finished/, "the Stop hook");
      await tui.submit("/exit");
      if (args.includes("--worktree")) {
        await tui.waitScreen("Keep worktree", "the question whether to keep the worktree");
        await tui.press("Enter");
      }
      assertEquals(await tui.waitExit(), 0);
      const log = await tui.debugLog();
      assertMatch(log, /Hooks: SessionStart:startup \[.*\] finished with status 0/);
      assertNotIncludes(screen.replace(/\s+/g, " "), "not installed here");
      return { log, sent: requestText(api.requests[before]) };
    };

    await t.step(
      "mpm branch hotfix --worktree: the child's context; the exit pauses it",
      async () => {
        await ok(repo, "branch", "hotfix", "--worktree");
        const tree = join(root, ".claude", "worktrees", "hotfix");
        await seedClaudeJson(repo.home, tree);
        const { sent } = await session(tree, "Hello from the worktree");
        assertStringIncludes(sent, "Active session: hotfix");
        assertStringIncludes(sent, `Branched from: Payments, still active in ${root}`);
        const [paused] = await waitFor(
          () => autoSnapshots(tree).length > 0 && autoSnapshots(tree),
          {
            what: "the worktree's automatic pause",
          },
        );
        assertEquals(paused.mpm.name, "hotfix");
        // The parent's tree is untouched.
        assertEquals(autoSnapshots(root), []);
      },
    );

    await t.step(
      "claude --worktree agent: the hooks run mpm on that worktree's store",
      async () => {
        const { log } = await session(root, "Please WRITE note.txt", ["--worktree", "agent"]);
        const tree = join(root, ".claude", "worktrees", "agent");
        assertStringIncludes(log, tree);
        const [paused] = await waitFor(
          () => autoSnapshots(tree).length > 0 && autoSnapshots(tree),
          {
            what: "the automatic pause in Claude Code's own worktree",
          },
        );
        // The conversation SessionStart served in the worktree is the one paused there.
        assertEquals(startedIn(tree), [paused.mpm.claude_session_id]);
        // Claude Code runs SessionEnd back in the folder it started in: the main tree's work
        // (Payments) is not paused for a conversation held in the worktree.
        assertEquals(autoSnapshots(root), []);
      },
    );
  },
});
