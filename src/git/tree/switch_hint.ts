/** What to say when git refuses to switch to a branch or check one out: `mpm branch`, `mpm return`
 * and a worktree's `git worktree add` hear the same refusals. */
const FINISH: Record<string, string> = {
  merging: "merge",
  "cherry-picking": "cherry-pick",
  reverting: "revert",
  rebasing: "rebase",
};

/** What to do about git's refusal to switch, from what it said: each cause has its own step. */
export function switchHint(stderr: string): string {
  const held = stderr.match(/is already (?:checked out|used by worktree) at '([^']+)'/);
  if (held) {
    return `That branch is checked out in the worktree at ${held[1]}: work on it there ` +
      `(\`cd ${held[1]}\`), or pick another branch.`;
  }
  const lock = stderr.match(/Unable to create '([^']+\.lock)': File exists/);
  if (lock) {
    return `Another git command holds ${lock[1]}: let it finish; if no git is running, a crashed ` +
      "one left it: remove that file, then try again.";
  }
  const during = stderr.match(
    /cannot switch branch while (merging|cherry-picking|reverting|rebasing)/,
  );
  if (during) {
    const verb = FINISH[during[1]];
    const ends = verb === "merge" ? "`git commit`" : `\`git ${verb} --continue\``;
    return `A ${verb} is in progress: finish it (${ends}) or abort it (\`git ${verb} --abort\`) first.`;
  }
  if (/in the middle of an am session/.test(stderr)) {
    return "A `git am` is in progress: finish it (`git am --continue`) or abort it (`git am --abort`) first.";
  }
  if (/resolve your current index first|unmerged/i.test(stderr)) {
    return "The index has unmerged paths: resolve them (`git add`) or abort what made them first.";
  }
  if (/would be overwritten|commit your changes or stash them/i.test(stderr)) {
    return "Commit or stash your changes, or pick another branch.";
  }
  return "`git status` shows the state git is in; then try again.";
}
