/**
 * The line a worktree's `mpm status` and `mpm list` show for its parent reads right whether or
 * not a session was active there at `mpm branch --worktree`.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, withRepo } from "../helpers.ts";
import { renderParentLink } from "../../src/sessions/report/worktree_link.ts";

const LINK = {
  parent: "/r",
  path: "/r/.claude/worktrees/hot",
  branch: "worktree-hot",
  created: true,
  from: "",
};

Deno.test("the parent line names the parent session, or only the folder when none was active", () => {
  assertEquals(
    renderParentLink(LINK, "payments"),
    "Worktree of payments in /r (`mpm return` here goes back there).",
  );
  assertEquals(renderParentLink(LINK, null), "Worktree of /r (`mpm return` here goes back there).");
});

Deno.test("a worktree branched with nothing active: its status names the parent folder, no gap", async () => {
  await using repo = await withRepo();
  await ok(repo, "branch", "hot", "--worktree");
  const wt = join(repo.path, ".claude", "worktrees", "hot");
  const inWt = (...args: string[]) => mpm(args, { cwd: wt, env: { HOME: repo.home } });
  for (const command of ["status", "list"]) {
    const out = await inWt(command);
    assertEquals(out.code, 0, out.stderr);
    assertStringIncludes(
      out.stdout,
      `Worktree of ${repo.path} (\`mpm return\` here goes back there).`,
    );
    assert(!out.stdout.includes("Worktree of in"), out.stdout);
  }
});
