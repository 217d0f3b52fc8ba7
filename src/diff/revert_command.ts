/**
 * `mpm revert`: the session's files put back as they were when it first changed them, what they
 * held kept in a stash `mpm revert: <session>`, and the line that undoes it printed.
 */
import { MpmError, NothingToDo, UsageError } from "../kernel/errors.ts";
import { boolFlag, type Declared } from "../cli/command.ts";
import { json, text } from "../cli/output.ts";
import { withLock } from "../disk/lock.ts";
import { lockWaitFrom } from "../sessions/store/state/state_store.ts";
import { openProject } from "../sessions/store/session/project.ts";
import { revertPaths } from "../git/objects/revert_paths.ts";
import { fileStatus, type Now, planRevert, type RevertPlan, selectPaths } from "./plan.ts";
import { gatherChanges, type Gathered, sessionToDiff } from "./gather.ts";
import { sessionArgs, sessionArgsOf } from "./args.ts";
import { notes, sessionLabel } from "./render.ts";
import { jsonPath, shownPath } from "./names.ts";
import { shellQuote } from "../kernel/format/text.ts";

/** What each of the session's files holds now, as the revert must check it. */
function nowOf(gathered: Gathered): Map<string, Now> {
  const now = new Map<string, Now>();
  const since = new Map(gathered.since.map((c) => [c.path, c.to]));
  const leftOut = new Set(gathered.now?.leftOut ?? []);
  for (const file of gathered.changes.files) {
    now.set(
      file.path,
      leftOut.has(file.path) ? "unknown" : since.has(file.path) ? since.get(file.path)! : file.end,
    );
  }
  return now;
}

function refusal(plan: Extract<RevertPlan, { kind: "refuse" }>): MpmError {
  if (plan.code === 2) return new UsageError(plan.message, plan.hint);
  if (plan.code === 3) return new NothingToDo(plan.message, plan.hint);
  return new MpmError(plan.message, plan.hint);
}

/** The shell line that undoes a revert, by its stash's commit: files removed, stash applied. */
export function undoCommand(
  reverted: { stash: string; untracked: readonly string[]; indexed: readonly string[] },
  root: string,
  cwd: string,
): string {
  const steps: string[] = [];
  if (reverted.untracked.length > 0) {
    steps.push(`rm -f -- ${reverted.untracked.map(oneLineWord).join(" ")}`);
  }
  // The stash by its commit, not its place: a stash made since would be `stash@{0}`.
  const stash = reverted.stash;
  steps.push(`git stash apply -q ${stash}`);
  if (reverted.indexed.length > 0) {
    steps.push(`git reset -q ${stash}^2 -- ${reverted.indexed.map(oneLineWord).join(" ")}`);
  }
  steps.push(`git stash drop -q "$(git stash list --format='%gd %H' | sed -n 's/ ${stash}$//p')"`);
  const cd = cwd === root ? [] : [`cd ${oneLineWord(root)}`];
  return [...cd, ...steps].join(" && ");
}

/** A shell word on one line: a name holding a control character (a line break) as `$'…'`. */
function oneLineWord(text: string): string {
  // deno-lint-ignore no-control-regex
  const control = /[\x00-\x1f\x7f]/g;
  if (!control.test(text)) return shellQuote(text);
  const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  return `$'${text.replace(/[\\']/g, "\\$&").replace(control, hex)}'`;
}

const VERB = { added: "remove", deleted: "restore", modified: "restore", mode: "restore" } as const;

export const revertCommand: Declared = {
  json: `- \`mpm revert [SESSION] --json [--dry-run] [-- PATHS]\`:
  \`{"dry_run", "session", "files", "passed_over", "stash"}\`, \`files\` being
  \`[{"path", "action", "from", "to"}]\` (\`action\` \`restore\` or \`remove\`; \`from\` what it held, \`to\`
  what it holds after), \`passed_over\` the paths not compared (left as they are), \`stash\`
  \`{"ref", "message", "undo"}\` (\`"mpm revert: <key>"\`; \`undo\` the shell line, run from anywhere,
  that puts the files and the index back as they were before the revert) or \`null\` on a dry run.
  Refused: exit 2 for a path the session did not change, exit 1 when a file changed after the
  session ended (or a path named was not compared, or the index has conflicts, or a file's name is
  not UTF-8, which revert cannot restore exactly: \`git checkout -- PATH\` can), exit 3 when there is
  nothing to revert.`,
  details: `Puts each file the session changed (\`mpm diff\` lists them) back as it was when the
session first changed it: a tracked file restored in the work tree and staged, an untracked
one restored untracked, one the session created removed. Nothing else is touched. What the
files held is kept first as a stash named "mpm revert: <session>", and the revert prints the
line that undoes it, bringing every file and the index back as they were: the stash applied,
the index entries the revert changed set back from it, the files it put back untracked
removed first (no stash can remove or replace those).`,
  more:
    `Refused, changing nothing, when a file changed after the session ended, or when a path named
is not one the session changed. Commits are not undone: the files are.`,
  args: sessionArgs,
  flags: [
    { name: "dry-run", description: "Print what would be restored; change nothing." },
    { name: "json", description: "Print what was (or would be) restored as JSON." },
  ],
  examples: ["mpm revert --dry-run", "mpm revert", "mpm revert s-1a2b3c4d5e -- src/app.ts"],
  run: async (env, parsed) => {
    const project = await openProject(env, { writes: true });
    if (!project.inGit) {
      throw new NothingToDo(
        `${project.root} is not a git repository: mpm revert restores from git trees.`,
      );
    }
    const args = sessionArgsOf(parsed, env.cwd, project.root);
    const dryRun = boolFlag(parsed, "dry-run") ?? false;
    return await withLock(project.paths.lock, async () => {
      const session = await sessionToDiff(project, args.session);
      const gathered = await gatherChanges(project, session, { captureNow: true });
      const selected = selectPaths(gathered.changes, args.specs);
      const plan = planRevert({
        label: session.key,
        selected,
        named: args.specs.length > 0,
        active: session.active,
        now: nowOf(gathered),
      });
      if (plan.kind === "refuse") throw refusal(plan);
      const message = `mpm revert: ${session.key}`;
      const reverted = dryRun ? null : await revertPaths(
        project.root,
        plan.restore.map((r) => ({ path: r.path, entry: r.to })),
        message,
      );
      const undo = reverted && undoCommand(reverted, project.root, env.cwd);
      const files = plan.restore.map((r) => ({
        path: r.path,
        action: VERB[fileStatus({ path: r.path, start: r.to, end: r.from })],
        from: r.from,
        to: r.to,
      }));
      if (boolFlag(parsed, "json")) {
        return json({
          dry_run: dryRun,
          session: { key: session.key, name: session.name, active: session.active },
          files: files.map((f) => ({ ...f, path: jsonPath(f.path) })),
          passed_over: plan.passedOver.map(jsonPath),
          stash: reverted === null ? null : { ref: reverted.stash, message, undo },
        });
      }
      const n = files.length === 1 ? "the file" : `the ${files.length} files`;
      return text([
        dryRun
          ? `mpm revert would put back ${n} session ${sessionLabel(session)} changed:`
          : `Put back ${n} session ${sessionLabel(session)} changed:`,
        ...files.map((f) =>
          `  ${(dryRun ? f.action : `${f.action}d`).padEnd(9)} ${shownPath(f.path)}`
        ),
        ...notes(selected, gathered.notes),
        dryRun
          ? "Dry run: nothing was changed."
          : `What they held is in ${
            reverted!.stash
          } ("${message}"): \`${undo}\` undoes the revert.`,
      ]);
    }, { command: "revert", waitMs: lockWaitFrom(env.vars) });
  },
};
