import { assertEquals } from "../../tests/assert.ts";
import { undoCommand } from "./revert_command.ts";

Deno.test("a revert's undo: untracked files removed first, the index set back from the stash", () => {
  const undo = (untracked: string[], indexed: string[], cwd = "/repo") =>
    undoCommand({ untracked, indexed }, "/repo", cwd);
  assertEquals(undo([], []), "git stash pop");
  assertEquals(
    undo(["a.txt", "it's here.txt"], []),
    `rm -f -- a.txt 'it'\\''s here.txt' && git stash pop`,
  );
  assertEquals(
    undo([], ["src/x.ts"]),
    "git stash apply -q && git reset -q 'stash@{0}^2' -- src/x.ts && git stash drop -q",
  );
  // From a sub-folder it starts at the top; a line break stays on one line.
  assertEquals(
    undoCommand({ untracked: ["two\nlines'"], indexed: [] }, "/my repo", "/my repo/src"),
    `cd '/my repo' && rm -f -- $'two\\x0alines\\'' && git stash pop`,
  );
});
