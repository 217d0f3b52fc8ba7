import { assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import { join } from "../kernel/path.ts";
import { worktreePlaceProblem } from "./place.ts";

Deno.test("a worktree's place: real folders inside pass; a link on the way, or a file, does not", async () => {
  const base = await Deno.realPath(await Deno.makeTempDir());
  try {
    const root = join(base, "repo");
    const outside = join(base, "outside");
    await Deno.mkdir(join(root, ".claude", "worktrees"), { recursive: true });
    await Deno.mkdir(outside);
    const at = (...parts: string[]) => join(root, ...parts);
    assertEquals(await worktreePlaceProblem(root, at(".claude", "worktrees", "hot")), null);
    assertEquals(await worktreePlaceProblem(root, at("new", "deeper", "hot")), null);
    assertEquals(await worktreePlaceProblem(root, join(outside, "hot")), null);
    assertEquals(await worktreePlaceProblem(root, root), `${root} is the repository itself`);

    await Deno.remove(at(".claude", "worktrees"));
    await Deno.symlink(outside, at(".claude", "worktrees"));
    assertEquals(
      await worktreePlaceProblem(root, at(".claude", "worktrees", "hot")),
      `.claude/worktrees is a symbolic link (to ${outside})`,
    );
    await Deno.remove(at(".claude"), { recursive: true });
    await Deno.symlink(join(root, "missing"), at(".claude"));
    assertStringIncludes(
      (await worktreePlaceProblem(root, at(".claude", "worktrees", "hot")))!,
      ".claude is a symbolic link",
    );
    await Deno.remove(at(".claude"));
    await Deno.writeTextFile(at(".claude"), "");
    assertEquals(
      await worktreePlaceProblem(root, at(".claude", "worktrees", "hot")),
      ".claude is not a folder",
    );
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
