/**
 * `mpm revert`: the files a session changed, put back as they were when it first changed them;
 * what they held kept in a stash named `mpm revert: <session>`, so `git stash pop` undoes it.
 */
import { MpmError, NothingToDo, UsageError } from "../kernel/errors.ts";
import { boolFlag, type Command } from "../cli/command.ts";
import { json, text } from "../cli/output.ts";
import { withLock } from "../disk/lock.ts";
import { lockWaitFrom } from "../sessions/store/state/state_store.ts";
import { openProject } from "../sessions/store/state/project.ts";
import { revertPaths } from "../git/objects/revert_paths.ts";
import { fileStatus, type Now, planRevert, type RevertPlan, selectPaths } from "./plan.ts";
import { gatherChanges, type Gathered, sessionToDiff } from "./gather.ts";
import { sessionArgs, sessionArgsOf } from "./args.ts";
import { notes, sessionLabel } from "./render.ts";
import { jsonPath, shownPath } from "./names.ts";

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

const VERB = { added: "remove", deleted: "restore", modified: "restore", mode: "restore" } as const;

export const revertCommand: Command = {
  name: "revert",
  summary: "Undo what a session changed: its files back as they were (undoable: a stash).",
  details: `Puts each file the session changed (\`mpm diff\` lists them) back as it was when the
session first changed it: restored in the work tree and staged, removed if the session
created it. Nothing else is touched. What the files held is kept first as a stash named
"mpm revert: <session>": \`git stash pop\` brings every file back as it was (the restored
content stays staged; \`git reset -q -- PATH\` clears that). Refused, changing nothing, when a
file changed after the session ended, or when a path named is not one the session changed.
Commits are not undone: the files are.`,
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
      const stash = dryRun ? null : await revertPaths(
        project.root,
        plan.restore.map((r) => ({ path: r.path, entry: r.to })),
        message,
      );
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
          stash: stash === null ? null : { ref: stash, message },
        });
      }
      const n = files.length === 1 ? "1 file" : `${files.length} files`;
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
          : `What they held is in ${stash} ("${message}"): \`git stash pop\` undoes the revert.`,
      ]);
    }, { command: "revert", waitMs: lockWaitFrom(env.vars) });
  },
};
