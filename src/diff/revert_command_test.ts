import { assertEquals } from "../../tests/assert.ts";
import { undoCommand } from "./revert_command.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const DROP = `git stash drop -q "$(git stash list --format='%gd %H' | sed -n 's/ ${SHA}$//p')"`;

Deno.test("a revert's undo: untracked files removed first, the index set back, the stash by its commit", () => {
  const undo = (untracked: string[], indexed: string[], cwd = "/repo") =>
    undoCommand({ stash: SHA, untracked, indexed }, "/repo", cwd);
  assertEquals(undo([], []), `git stash apply -q ${SHA} && ${DROP}`);
  assertEquals(
    undo(["a.txt", "it's here.txt"], []),
    `rm -f -- a.txt 'it'\\''s here.txt' && git stash apply -q ${SHA} && ${DROP}`,
  );
  assertEquals(
    undo([], ["src/x.ts"]),
    `git stash apply -q ${SHA} && git reset -q ${SHA}^2 -- src/x.ts && ${DROP}`,
  );
  // From a sub-folder it starts at the top; a line break stays on one line.
  assertEquals(
    undoCommand(
      { stash: SHA, untracked: ["two\nlines'"], indexed: [] },
      "/my repo",
      "/my repo/src",
    ),
    `cd '/my repo' && rm -f -- $'two\\x0alines\\'' && git stash apply -q ${SHA} && ${DROP}`,
  );
});
