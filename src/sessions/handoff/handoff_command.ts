/**
 * `mpm handoff`: the guide's handoff document for the active (or a named) session. It is kept
 * in a new snapshot of the session (`mpm.handoff`; the session stays as it was), so it travels
 * with `mpm sync push` and `mpm resume` shows it on the machine that pulls it.
 */
import { MpmError, NothingToDo } from "../../kernel/errors.ts";
import { lineOf, type Snapshot } from "../../kernel/snapshot.ts";
import { historyBetween } from "../../git/between.ts";
import { readGitState } from "../../git/status.ts";
import { isMpmPath } from "../../git/porcelain.ts";
import { contextLocation, readContext } from "../../context/files.ts";
import { boolFlag, type Command, listFlag, stringFlag } from "../../cli/command.ts";
import { json, text } from "../../cli/output.ts";
import { openProject, pickSession, type Project } from "../state/project.ts";
import { listEntries, loadSnapshot } from "../snapshot/store.ts";
import { sessionFromSnapshot, sessionLabel, snapshotKey } from "../state/session.ts";
import type { ActiveSession } from "../state/state.ts";
import { changeState } from "../state/state_store.ts";
import { stateOptions } from "../state/active.ts";
import { readLine, writeSessionSnapshot } from "../capture/capture.ts";
import { isFinished } from "../state/lifecycle.ts";
import { type ExportTarget, exportTarget, writeCopy } from "../pause/export_copy.ts";
import { machineName } from "../state/machine.ts";
import { buildHandoff, type Handoff, renderHandoffMarkdown } from "./handoff.ts";

/** Snapshots read, newest first, to find where the session's line of work began. */
const LINE_SCAN_LIMIT = 200;

/** The commit the line of work began on: its oldest snapshot's (of the newest few hundred). */
async function startCommit(project: Project, key: string): Promise<string | null> {
  const entries = (await listEntries(project.paths)).slice(0, LINE_SCAN_LIMIT);
  let commit: string | null = null;
  for (const entry of entries) {
    const snapshot = await loadSnapshot(project.paths, entry).catch(() => null);
    if (snapshot && lineOf(snapshot) === key && snapshot.git_context?.commit) {
      commit = snapshot.git_context.commit;
    }
  }
  return commit;
}

/** Files changed since the session started: committed since then, and uncommitted now. */
async function changedFiles(project: Project, key: string): Promise<string[]> {
  const git = await readGitState(project.root);
  if (git === null) return [];
  const status = git.status;
  const files = new Set<string>([
    ...status.modified,
    ...status.staged,
    ...status.untracked,
    ...status.deleted,
    ...status.conflicted,
    ...status.renamed.map((r) => r.to),
  ]);
  const start = await startCommit(project, key);
  if (start && status.head && start !== status.head) {
    const between = await historyBetween(project.root, start, status.head);
    for (const file of between?.files ?? []) files.add(file.path);
  }
  return [...files].filter((f) => !isMpmPath(f));
}

function partitionOf(session: ActiveSession): string | null {
  const value = (session as Record<string, unknown>).context_partition;
  return typeof value === "string" ? value : null;
}

export const handoffCommand: Command = {
  name: "handoff",
  summary: "Write a handoff document for the active (or a named) session; it travels with sync.",
  details: `The session-patterns guide's handoff: From (the session and machine), Completed (its
accomplishments and done todos), Files (changed since the session started, committed or
not), the context file's Current Work, Needs (--needs, then the open todos), Acceptance
criteria (--accept) and To (--to). Printed as markdown (--json: JSON), or written to -o FILE
(the same rules as \`pause --export\`: never into .git/ or .claude-mpm/, never over a file
without --force).

The document is also kept in a new snapshot of the session (field mpm.handoff; the session
stays active or paused as it was), so \`mpm sync push\` carries it and \`mpm resume\` shows it
on the machine that pulls it.`,
  args: [{
    name: "SESSION",
    optional: true,
    description: "A paused session's id, prefix or `mpm list` index (default: the active one).",
    complete: "sessions",
  }],
  flags: [
    { name: "to", value: "NAME", description: "Who picks the work up." },
    {
      name: "needs",
      value: "TEXT",
      multiple: true,
      description: "What the receiver is asked for (repeatable).",
    },
    {
      name: "accept",
      value: "TEXT",
      multiple: true,
      description: "An acceptance criterion (repeatable).",
    },
    {
      name: "output",
      short: "o",
      value: "FILE",
      description: "Write the document to FILE (or into a folder) instead of printing it.",
      complete: "files",
    },
    { name: "force", description: "With -o: replace a regular file already at FILE." },
    { name: "json", description: "The document as JSON." },
  ],
  examples: [
    'mpm handoff --to "Backend agent" --needs "GET /api/users/:id" --accept "404 on unknown ids"',
    "mpm handoff -o handoff.md",
  ],
  run: async (env, parsed) => {
    const asJson = boolFlag(parsed, "json") ?? false;
    const force = boolFlag(parsed, "force") ?? false;
    const output = stringFlag(parsed, "output");
    // Bad input is refused before anything is written.
    const target = output === undefined
      ? undefined
      : await exportTarget(env.cwd, output, force, "-o");
    const project = await openProject(env, { writes: true });
    const selector = parsed.args[0];
    const named = selector === undefined
      ? undefined
      : (await pickSession(project, selector)).snapshot;
    if (named && isFinished(named.mpm.state)) {
      throw new MpmError(
        `${named.session_id} is ${named.mpm.state}: a handoff is for work that goes on.`,
        `\`mpm resume ${named.session_id} --reopen\` first, if it does.`,
      );
    }
    const result = await changeState(project.paths, "handoff", async (state) => {
      const now = env.now();
      const active = state.active;
      const isActive = active !== null &&
        (named === undefined || snapshotKey(named) === active.key);
      if (!isActive && named === undefined) {
        throw new NothingToDo(
          "No session is active to hand off.",
          "Name a paused one: `mpm handoff ID` (ids from `mpm list`).",
        );
      }
      const session = isActive ? active! : sessionFromSnapshot(named!, [], now);
      const location = contextLocation(project.root, partitionOf(session));
      const [context, line, files] = await Promise.all([
        readContext(location),
        readLine(project.paths, session),
        changedFiles(project, session.key),
      ]);
      const words = line?.words;
      const machine = machineName();
      const doc = buildHandoff({
        from: `${sessionLabel(session)}${machine ? ` (on ${machine})` : ""}`,
        to: stringFlag(parsed, "to"),
        now,
        summary: words?.summary ?? "No summary given.",
        accomplishments: words?.accomplishments ?? [],
        doneTodos: session.todos.filter((t) => t.status === "completed").map((t) => t.content),
        openTodos: session.todos.filter((t) => t.status !== "completed").map((t) => t.content),
        files,
        needs: listFlag(parsed, "needs"),
        acceptance: listFlag(parsed, "accept"),
        contextText: context?.text,
        contextFile: location.shown,
      });
      const saved = await writeSessionSnapshot({
        root: project.root,
        paths: project.paths,
        now,
        session,
        request: {
          accomplishments: [],
          nextSteps: [],
          todos: [],
          writtenBy: "mpm",
          trigger: "handoff",
          summary: `Handoff${doc.to ? ` to ${doc.to}` : ""}.`,
          handoff: doc,
        },
      });
      const id = saved.snapshot.session_id;
      return {
        // The snapshot holds the session now; an active one stays active.
        state: isActive
          ? { ...state, active: { ...active!, dirty: false, resumed_from: id } }
          : state,
        result: { doc, snapshot: saved.snapshot },
        event: { command: "handoff", session: session.key, snapshot: id, to: doc.to },
      };
    }, stateOptions(env));
    return await show(result.doc, result.snapshot, target, asJson);
  },
};

async function show(
  doc: Handoff,
  snapshot: Snapshot,
  target: ExportTarget | undefined,
  asJson: boolean,
) {
  const body = asJson
    ? JSON.stringify({ ...doc, snapshot: snapshot.session_id }, null, 2) + "\n"
    : renderHandoffMarkdown(doc);
  if (target === undefined) {
    return asJson ? json({ ...doc, snapshot: snapshot.session_id }) : text(body);
  }
  const id = snapshot.session_id;
  const path = await writeCopy(
    target,
    `handoff-${id}.${asJson ? "json" : "md"}`,
    body,
    (path) =>
      new MpmError(
        `-o ${target.given}: ${path} appeared meanwhile, so it was not written.`,
        `The handoff is kept in ${id}; write it again with --force, or to another path.`,
      ),
  );
  return text([
    `✓ Wrote the handoff to ${path}`,
    `  Kept in ${snapshot.session_id}: \`mpm sync push\` carries it, \`mpm resume\` shows it.`,
  ]);
}
