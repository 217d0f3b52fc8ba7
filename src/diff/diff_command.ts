/** `mpm diff`: what a session changed, by content, from its start to now or to its end. */
import { NothingToDo } from "../kernel/errors.ts";
import { boolFlag, type Declared } from "../cli/command.ts";
import { json, text } from "../cli/output.ts";
import { openProject } from "../sessions/store/session/project.ts";
import { diffTrees, treeOf } from "../git/objects/work_capture.ts";
import { selectPaths, type SessionFile } from "./plan.ts";
import { gatherChanges, sessionToDiff } from "./gather.ts";
import { sessionArgs, sessionArgsOf } from "./args.ts";
import { diffJson, header, notes, parseNumstat } from "./render.ts";
import { notUtf8 } from "./names.ts";

/** The two sides as trees holding only the session's files: git then diffs them by name. */
async function sides(root: string, files: readonly SessionFile[]) {
  const side = (pick: (f: SessionFile) => SessionFile["start"]) =>
    treeOf(
      root,
      files.flatMap((f) => {
        const entry = pick(f);
        return entry ? [{ path: f.path, entry }] : [];
      }),
    );
  return await Promise.all([side((f) => f.start), side((f) => f.end)]);
}

export const diffCommand: Declared = {
  json: `- \`mpm diff [SESSION] --json [-- PATHS]\`:
  \`{"session": {"key", "name", "active"}, "from", "to", "files", "unknown", "outside", "notes",
  "patch"}\`.
  \`from\` is the first mark \`{"moment", "at", "head"}\`; \`to\` the last one, or
  \`{"moment": "now", "at": null, "head"}\` for the active session. \`files\`:
  \`[{"path", "status", "start", "end", "added", "removed"}]\`, \`status\` being \`added\`, \`deleted\`,
  \`modified\` or \`mode\`, \`start\` and \`end\` \`{"blob", "mode"}\` or \`null\` (absent), \`added\`/\`removed\`
  line counts (\`null\` for a binary file). \`unknown\`: paths not compared; \`outside\`: PATHS that name
  none of the session's paths; \`patch\`: \`git diff\`'s patch between the two sides (\`null\` with
  \`--stat\`). A session with no mark is exit 3. A \`path\` is the file's name as it is, or, for a name
  whose bytes are not UTF-8, as git quotes it (\`"\\377\\351"\`, octal escapes in double quotes).`,
  details: `Compares the work tree mpm recorded when the session started (and at each resume
and pause) with the tree now, or at its last pause or end for a session that is not active.
What changed while the session was paused is not its own, and a file already dirty when it
began is shown only if it changed again. Edits by any means count (an editor, a Bash \`sed\`),
through commits, stashes and rebases: only content is compared. Untracked files are included,
ignored ones are not.`,
  args: sessionArgs,
  flags: [
    { name: "stat", description: "A summary per file instead of the patch." },
    { name: "json", description: "Print the files, their sides and the patch as JSON." },
  ],
  examples: ["mpm diff", "mpm diff --stat", "mpm diff s-1a2b3c4d5e -- src/", "mpm diff 2 --json"],
  run: async (env, parsed) => {
    const project = await openProject(env);
    if (!project.inGit) {
      throw new NothingToDo(
        `${project.root} is not a git repository: mpm diff compares git trees.`,
      );
    }
    const args = sessionArgsOf(parsed, env.cwd, project.root);
    const session = await sessionToDiff(project, args.session);
    const gathered = await gatherChanges(project, session, { captureNow: false });
    const selected = selectPaths(gathered.changes, args.specs);
    const first = gathered.marks[0];
    const last = gathered.marks[gathered.marks.length - 1];
    const stat = boolFlag(parsed, "stat") ?? false;
    const asJson = boolFlag(parsed, "json") ?? false;
    const [a, b] = await sides(project.root, selected.files);
    // git's patch names bytes that are not UTF-8 as they are; asked, it writes them in octal.
    const quoteNames = selected.files.some((f) => notUtf8(f.path));
    const lines = notes(selected, gathered.notes);
    if (asJson) {
      const [numstat, patch] = await Promise.all([
        diffTrees(project.root, a, b, "numstat"),
        stat ? null : diffTrees(project.root, a, b, "patch", false, quoteNames),
      ]);
      return json(diffJson({
        session,
        first,
        last,
        nowHead: gathered.now?.head ?? null,
        selected,
        counts: parseNumstat(numstat),
        notes: lines,
        patch,
      }));
    }
    const body = selected.files.length === 0
      ? ""
      : await diffTrees(project.root, a, b, stat ? "stat" : "patch", env.color, quoteNames);
    return text([
      header(session, first, last, selected.files.length),
      ...(body ? ["", body.trimEnd()] : []),
      ...(lines.length ? ["", ...lines] : []),
    ]);
  },
};
