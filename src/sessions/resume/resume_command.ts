/** `mpm resume`: pick a snapshot, show what changed since, and make its session active again. */
import { MpmError, UsageError } from "../../kernel/errors.ts";
import { startEarly } from "../../kernel/early.ts";
import { lookAt, type WorkLook } from "../store/marks/work_tree.ts";
import { MAX_REPORT_CHARS, renderResumeReport, restOfReport } from "../report/render_report.ts";
import { sessionFromSnapshot, sessionLabel } from "../store/session/session.ts";
import { sessionKey, type Snapshot } from "../../kernel/snapshot.ts";
import { listSnapshots } from "../store/listing/listing.ts";
import type { ActiveSession } from "../store/records/state/state.ts";
import { style } from "../../kernel/format/style.ts";
import { todoCounts } from "../store/records/state/todos.ts";
import { changeState, lockWaitFrom } from "../store/state/state_store.ts";
import {
  loadEach,
  openProject,
  type Project,
  TEAMMATE_WORK,
  whoseWork,
  WITHOUT_PATHS,
} from "../store/session/project.ts";
import { boolFlag, type Declared, type Parsed, stringFlag } from "../../cli/command.ts";
import { detectChanges } from "../report/detect_changes.ts";
import { noteEvents } from "../capture/early_git.ts";
import { type Env, homeDir } from "../../cli/env.ts";
import { listFlags, runList } from "../report/list_sessions.ts";
import { json, text } from "../../cli/output.ts";
import { newestOfSession, pickSession } from "../store/session/project.ts";
import { frameLabel, unfinished } from "../report/stack.ts";
import { readWorkSummary, summaryPointer, whatWasDone } from "../store/claude/work_summary.ts";
import { partitionOfRecord, readContextRecord } from "../../context/record.ts";
import { compareContext, renderContextChange } from "../../context/compare.ts";
import {
  isFinished,
  snapshotLifecycle,
  type Transition,
  transition,
} from "../store/records/lifecycle/lifecycle.ts";
import { type MarkOutcome, markWarning, recordMark } from "../store/marks/record_mark.ts";
import { capped } from "../../kernel/safe_text/capped.ts";
import { oneLine } from "../../kernel/safe_text/one_line.ts";
import { pushAll } from "../../kernel/lists.ts";

/** What `mpm resume` prints of a snapshot (and of its handoff) at most, in characters. */
const MAX_HANDOFF_CHARS = 16 * 1024;

/** A completed or cancelled session (by its newest snapshot) comes back only with --reopen. */
function resumeMove(
  snapshot: Snapshot,
  newest: Snapshot,
  reopen: boolean,
  archived: boolean,
): Transition {
  const from = snapshotLifecycle(newest.mpm.state);
  const what = newest === snapshot
    ? snapshot.session_id
    : `${snapshot.session_id} (its session's newest snapshot is ${newest.session_id})`;
  if (isFinished(newest.mpm.state) && !reopen) {
    throw new UsageError(
      `${what} is ${from}: \`mpm resume ${snapshot.session_id} --reopen\` makes it active again.`,
    );
  }
  const move = transition(from, reopen ? "reopen" : "resume", what);
  // An archived snapshot named by id is brought back as it is; the lifecycle records it so.
  return archived ? { ...move, from: "archived" } : move;
}

/** Makes the snapshot's session active (unsaved changes refused unless `force`). */
async function activate(
  env: Env,
  project: Project,
  snapshot: Snapshot,
  force: boolean,
  move: Transition,
  unmoved?: () => Promise<boolean>,
  look?: WorkLook,
): Promise<
  {
    session: ActiveSession;
    paused: Snapshot | null;
    replaced: ActiveSession | null;
    marked: MarkOutcome;
  }
> {
  const { root, paths } = project;
  return await changeState(paths, "resume", async (state) => {
    const now = env.now();
    const top = state.stack.at(-1);
    const left = top && unfinished(top);
    if (left) {
      // Half a branch or return on the stack: resuming now would leave it half done.
      throw new MpmError(
        `An interrupted \`mpm ${left}\` is on the stack (${frameLabel(top)}).`,
        `\`mpm return\` ${
          left === "branch" ? "undoes it" : "finishes it"
        } from what it recorded; then resume.`,
      );
    }
    if (top && snapshot.session_id === top.snapshot_id) {
      throw new MpmError(
        `${snapshot.session_id} is ${top.name ?? top.key}, put aside by \`mpm branch\`: it ` +
          "comes back with `mpm return`, not `mpm resume`.",
        "`mpm return` completes the current session and goes back to it; `mpm status` shows " +
          "the stack.",
      );
    }
    if (top && top.snapshot_id === null) {
      // A child branched with nothing active: resuming here would leave it half-done.
      throw new MpmError(
        "The current session was branched with nothing active, so there is no parent on the " +
          "stack to resume from.",
        "`mpm return` completes it first; `mpm status` shows the stack.",
      );
    }
    if (top && snapshot.mpm.parent !== top.snapshot_id) {
      throw new MpmError(
        `${snapshot.session_id} is not a session branched from ${top.name ?? top.key}, the ` +
          "parent on the stack.",
        "`mpm return` goes back to the parent first; `mpm status` shows the stack.",
      );
    }
    const active = state.active;
    let paused: Snapshot | null = null;
    if (active?.dirty) {
      if (!force) {
        throw new MpmError(
          `Session "${sessionLabel(active)}" is active and has changes no snapshot holds.`,
          "`mpm pause` saves it first; `mpm resume --force` pauses it for you, then resumes.",
        );
      }
      const { takeSnapshot } = await import("../store/session/take_snapshot.ts");
      paused = (await takeSnapshot({
        root,
        paths,
        now,
        session: active,
        request: {
          summary: `Paused to resume ${snapshot.session_id}.`,
          accomplishments: [],
          nextSteps: [],
          todos: [],
          summarySource: "auto",
        },
        mark: "pause",
      })).snapshot;
    }
    const session = sessionFromSnapshot(snapshot, state.stack, now);
    // A clean session replaced is safe in its snapshot; it is still named.
    const replaced = active && !paused && active.key !== session.key ? active : null;
    // Where the replaced session's work stops and this one's resumes (`mpm diff`): one capture.
    const still = unmoved && !(await unmoved()) ? undefined : look;
    if (replaced) await recordMark(root, paths, replaced.key, "pause", now, still);
    const marked = await recordMark(root, paths, session.key, "resume", now, still);
    return {
      state: { ...state, active: session },
      result: { session, paused, replaced, marked },
      event: {
        command: "resume",
        session: session.key,
        snapshot: snapshot.session_id,
        ...(paused ? { paused: paused.session_id } : {}),
        transition: move,
      },
    };
  }, { now: env.now, lockWaitMs: lockWaitFrom(env.vars) });
}

/** Picks the snapshot, activates its session, and gathers what changed since, with one look. */
async function resumeProject(
  env: Env,
  project: Project,
  choice: string | undefined,
  options: {
    byText: boolean;
    named: boolean;
    changes: boolean;
    force: boolean;
    reopen: boolean;
    fromTeammate: boolean;
  },
) {
  const unmoved = project.inGit ? await noteEvents(project.paths) : undefined;
  const look = project.inGit ? lookAt(project.root, { capture: true }) : undefined;
  const { entry, snapshot, passedOver, matched } = await pickSession(project, choice, {
    byText: options.byText,
    skipCompleted: true,
    teammates: options.fromTeammate ? "any" : "never",
  });
  if (
    options.named && !options.fromTeammate && (await whoseWork(project, snapshot)) === "teammate"
  ) {
    throw notYoursToResume(snapshot);
  }
  const newest = options.named ? await newestOfSession(project, snapshot) : snapshot;
  const move = resumeMove(snapshot, newest, options.reopen, entry.location === "archive");
  // What changed since is read while the state is written; if activating fails, it is dropped.
  const detecting = options.changes
    ? startEarly(() => detectChanges(project.root, snapshot, undefined, look))
    : undefined;
  const contextNow = readContextRecord(
    project.root,
    partitionOfRecord(snapshot.mpm.context_file),
  );
  const activated = await activate(env, project, snapshot, options.force, move, unmoved, look);
  const warning = markWarning(activated.marked);
  if (warning) env.warn(warning);
  const [changes, current, summary] = await Promise.all([
    detecting,
    contextNow,
    readWorkSummary(project.paths, activated.session.key),
  ]);
  // Named by index or id, an older snapshot than its session's newest: a roll-back, said so.
  const rolledBack = newest === snapshot ? undefined : newest;
  return { snapshot, passedOver, matched, rolledBack, ...activated, changes, current, summary };
}

/** The handoff a snapshot carries, as markdown; its code is loaded only for one that has it. */
async function handoffIn(snapshot: Snapshot): Promise<string | null> {
  if (snapshot.mpm.handoff === undefined) return null;
  const { handoffOf, renderHandoffMarkdown } = await import("../store/snapshots/handoff.ts");
  const handoff = handoffOf(snapshot.mpm);
  return handoff ? renderHandoffMarkdown(handoff, snapshot.session_id) : null;
}

/** `--conversation`: the newest Claude conversation restored; a refusal never undoes the resume. */
async function restoreNewest(env: Env, project: Project, key: string, fromTeammate: boolean) {
  const [{ restoreConversation }, { restoreLines }] = await Promise.all([
    import("../../vault/restore/restore.ts"),
    import("../../vault/restore/restore_report.ts"),
  ]);
  try {
    const report = await restoreConversation({
      root: project.root,
      cwd: env.cwd,
      paths: project.paths,
      home: homeDir(env),
      vars: env.vars,
      session: { key, claudeIds: () => claudeIdsOf(project, key) },
      fromTeammate,
      force: false,
      now: env.now(),
    });
    return { json: report, lines: restoreLines(env, report), failed: false };
  } catch (error) {
    if (!(error instanceof MpmError)) throw error;
    const hint = error.hint ? ` ${error.hint}` : "";
    return {
      json: { error: error.message, hint: error.hint ?? null },
      lines: [`! The conversation was not restored: ${error.message}${hint}`],
      failed: true,
    };
  }
}

/** The Claude sessions the snapshots of session `key` name, whoever wrote them. */
async function claudeIdsOf(project: Project, key: string): Promise<string[]> {
  const entries = await listSnapshots(project.paths, {
    locations: ["sessions", "pause", "archive"],
  });
  const ids = (await loadEach(project, entries.slice(), WITHOUT_PATHS)).flatMap(({ snapshot }) =>
    snapshot && sessionKey(snapshot) === key && snapshot.mpm.claude_session_id
      ? [snapshot.mpm.claude_session_id]
      : []
  );
  return [...new Set(ids)];
}

/** A teammate's snapshot named: taken up only with --from-teammate. */
function notYoursToResume(snapshot: Snapshot): MpmError {
  const id = snapshot.session_id;
  return new MpmError(
    `${id} is ${TEAMMATE_WORK}, not your own work: \`mpm resume ${id} --from-teammate\` ` +
      "takes it up.",
  );
}

/** A teammate's newer work that an unnamed resume left for the person's own. */
function passedOverLine({ index, snapshot }: { index: number; snapshot: Snapshot }): string {
  const name = snapshot.mpm.name ? ` (${oneLine(snapshot.mpm.name, 80)})` : "";
  return `Newer, but ${TEAMMATE_WORK}: [${index}] ${snapshot.session_id}${name}; ` +
    `\`mpm resume ${snapshot.session_id} --from-teammate\` takes it up.`;
}

/** `--select` words that matched an older snapshot than the session's newest, resumed instead. */
function matchedLine(selector: string, matched: string, resumed: string): string {
  return `${JSON.stringify(oneLine(selector, 80))} matched ${matched}, an older snapshot of ` +
    `this session: its newest, ${resumed}, is resumed; \`mpm resume ${matched}\` rolls back ` +
    "to the older one.";
}

/** An older snapshot named by index or id: resumed as it was, and the newest named. */
function rolledBackLine(snapshot: Snapshot, newest: Snapshot): string {
  const reopen = isFinished(newest.mpm.state) ? " --reopen" : "";
  return `Rolled back to ${snapshot.session_id}, an older snapshot of this session than its ` +
    `newest: \`mpm resume ${newest.session_id}${reopen}\` takes up the newest instead.`;
}

/** The flags that only shape `--list`'s page. */
const LIST_ONLY = listFlags.map((f) => f.name).filter((name) => name !== "json");

/** Refuses a flag given without its partner, before anything is read. */
function requirePartners(parsed: Parsed): void {
  const listOnly = LIST_ONLY.find((name) => parsed.flags[name] !== undefined);
  if (listOnly !== undefined && !boolFlag(parsed, "list")) {
    throw new UsageError(`--${listOnly} goes with --list.`);
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export const resumeCommand: Declared = {
  json:
    `- \`mpm resume --json\`: \`{"session": <the stored record>, "changes": Changes | null}\` (and
  \`"passed_over": {"index", "session_id"}\` when a resume without SESSION took the person's own work
  over a teammate's newer one; \`"matched"\`, the id of the older snapshot whose words \`--select TEXT\`
  matched when it resumed that session's newest; \`"newest"\`, the session's newest snapshot's id when
  an index or id named an older one, resumed as named) where \`changes\` is \`null\` outside git or with
  \`--no-changes\`, else:

  \`\`\`json
  {
    "paused_commit": "…",
    "current_commit": "…",
    "paused_commit_state": "in_history",
    "branch": { "from": "main", "to": "main" },
    "new_commits": [{ "sha", "subject", "author", "date" }],
    "replayed_commits": [],
    "files": [{ "status": "M", "path": "src/a.ts" }, { "status": "R", "path": "new.ts", "from": "old.ts" }],
    "conflicts": ["src/a.ts"],
    "committed_as_paused": ["src/b.ts"],
    "missing_files": ["scratch.txt"],
    "undone_since_pause": [],
    "paused_elsewhere": null,
    "working_tree": { "modified": [], "staged": [], "untracked": [], "deleted": [], "conflicted": [] },
    "edited_since_pause": ["src/a.ts"],
    "ahead_behind": { "ahead": 0, "behind": 0 },
    "history_rewritten": false
  }
  \`\`\`

  Everything is decided by content (\`src/sessions/store/records/snapshot/changes.ts\`):
  - \`paused_commit_state\`: \`none\` (no commit at pause), \`in_history\` (HEAD or an ancestor),
    \`on_paused_branch\` (another branch is checked out; the paused branch still holds it, or, where
    this clone has no such branch, its remote-tracking copy \`origin/<branch>\` does), \`replayed\` (not
    in HEAD's history, but a commit with the same patch — \`git patch-id\` — is: a rebase or
    cherry-pick), \`rewritten\` (in this clone, but neither in HEAD's history nor copied into it:
    reset, an amend that changed it), \`not_in_clone\` (this clone has no such commit: made on another
    machine and not pushed or fetched — fetch it from there). \`history_rewritten\` is \`true\` exactly
    for \`rewritten\`.
  - \`new_commits\`: in HEAD's history since the paused commit, oldest first, without commits that
    only touch \`.claude-mpm/\` and without \`replayed_commits\` — the copies of paused-side commits a
    rebase made (same patch), which are never new.
  - \`files\`: the net change from the paused commit to HEAD (empty when it is \`not_in_clone\`).
  - \`committed_as_paused\`: uncommitted at pause, and HEAD now holds exactly the content they had
    then (from \`git_context.blobs\`); never conflicts.
  - \`conflicts\`: uncommitted at pause, changed since by new commits, and HEAD's content is not what
    was paused (or it was not recorded).
  - \`missing_files\`: uncommitted here at pause (not deleted then) and gone now.
  - \`undone_since_pause\`: uncommitted here at pause, clean now, and no commit since touched them:
    their change is not in the work tree (checked out, reset or stashed). \`null\` when not known:
    paused elsewhere, or the paused commit is not in HEAD's history (\`paused_commit_state\` other
    than \`in_history\`). An untracked folder git listed whole at pause is left out.
  - \`paused_elsewhere\`: \`null\`, or — when the snapshot was made on another machine (\`mpm.machine\`)
    or in another folder (\`project_path\`) — \`{"machine", "project_path", "files"}\`: the files
    uncommitted there at pause (from another machine all of them; from another folder of this
    machine those this work tree lacks). Another machine is another host name, or a snapshot written
    elsewhere (\`mpm.seal\`) in another folder: host names repeat, keys do not. They are "uncommitted
    on <machine> at pause", not missing; \`missing_files\` is then empty.
  - \`working_tree\` lists the uncommitted work now in git's terms, \`deleted\` and \`conflicted\`
    (unmerged) holding what is in no other list.
  - \`edited_since_pause\`: of the files uncommitted now, those whose content is not what the pause
    recorded (\`git_context.blobs\`): clean at pause and changed since, or recorded with other content
    (deleted counts). A file uncommitted at pause whose content was not recorded (over the size or
    count the pause hashes, or inside a folder git listed as one untracked entry) is left out, never
    guessed. \`null\` when not known: the snapshot was paused elsewhere (\`paused_elsewhere\`), or git
    made the capture (a name that is not UTF-8, more than the capture takes).`,
  details: `Without SESSION, resumes the newest, passing over work that is completed or
cancelled (\`mpm done\`, \`mpm cancel\`, \`mpm return\`); naming one of those needs --reopen.
Your own work comes first; a teammate's (pulled with \`mpm sync pull\`, not pushed signed
with your own signing key, whatever email it claims) is named when it is newer, and taken up
only with --from-teammate, unnamed or by SESSION; yours pushed signed from another machine is
yours. SESSION is an id, a
unique prefix of one, or the index shown by \`mpm list\` (0 = newest).
The session becomes active again with its todos.`,
  more: `Refused while another
session is active with changes no snapshot holds: \`mpm pause\` it first, or --force to
pause it automatically. Inside a branched session, only that session's own snapshots can
be resumed (\`mpm return\` goes back to the parent).`,
  args: [{
    name: "SESSION",
    optional: true,
    description: "The session to resume.",
    complete: "sessions",
  }],
  flags: [
    {
      name: "session-id",
      value: "ID",
      description: "The session to resume (claude-mpm's spelling).",
      complete: "sessions",
    },
    {
      name: "select",
      value: "N|TEXT",
      description: "Pick by index, or by words in its summary or name.",
    },
    { name: "list", description: "List the sessions instead (like `mpm list`)." },
    {
      name: "changes",
      negatable: true,
      description: "Detect changes since the pause (default: on).",
      negated: "Skip detecting changes since the pause.",
    },
    {
      name: "force",
      description: "Pause the active session first when it has unsaved changes.",
    },
    {
      name: "reopen",
      description: "Make a completed or cancelled session active again (it is refused without).",
    },
    {
      name: "conversation",
      description:
        "Also restore its newest Claude conversation from the vault (`claude --resume`).",
    },
    {
      name: "from-teammate",
      description:
        "Take up a teammate's work (and with --conversation, their copy of the conversation).",
    },
    ...listFlags.filter((f) => LIST_ONLY.includes(f.name))
      .map((f) => ({ ...f, description: `With --list: ${lowerFirst(f.description)}` })),
    { name: "json", description: "Print {session, changes} as JSON." },
  ],
  examples: [
    "mpm resume",
    "mpm resume 2",
    "mpm resume --select payments",
    "mpm resume session-20260301-101010-abc123 --from-teammate",
    "mpm resume --list",
  ],
  run: async (env, parsed) => {
    requirePartners(parsed);
    if (boolFlag(parsed, "list")) return runList(env, parsed);
    const choices = [parsed.args[0], stringFlag(parsed, "session-id"), stringFlag(parsed, "select")]
      .filter((c) => c !== undefined);
    if (choices.length > 1) {
      throw new UsageError(
        "Name the session once: SESSION, --session-id and --select are alternatives.",
      );
    }
    const project = await openProject(env, { writes: true });
    const {
      snapshot,
      passedOver,
      matched,
      rolledBack,
      session,
      paused,
      replaced,
      changes,
      current,
      summary,
    } = await resumeProject(env, project, choices[0], {
      byText: stringFlag(parsed, "select") !== undefined,
      named: choices.length > 0,
      changes: boolFlag(parsed, "changes") ?? true,
      force: boolFlag(parsed, "force") ?? false,
      reopen: boolFlag(parsed, "reopen") ?? false,
      fromTeammate: boolFlag(parsed, "from-teammate") ?? false,
    });
    // The context file the snapshot recorded, compared with the same file today.
    const context = compareContext(snapshot.mpm.context_file, current);
    const conversation = boolFlag(parsed, "conversation")
      ? await restoreNewest(env, project, session.key, boolFlag(parsed, "from-teammate") ?? false)
      : undefined;
    if (boolFlag(parsed, "json")) {
      const work_summary = summary
        ? { file: summary.file, what_was_done: whatWasDone(summary.text, 5) }
        : null;
      return json({
        session: snapshot,
        changes: changes ?? null,
        context,
        work_summary,
        ...(conversation ? { conversation: conversation.json } : {}),
        ...(passedOver
          ? {
            passed_over: {
              index: passedOver.index,
              session_id: passedOver.snapshot.session_id,
            },
          }
          : {}),
        ...(matched ? { matched } : {}),
        ...(rolledBack ? { newest: rolledBack.session_id } : {}),
      }, conversation?.failed ? 1 : 0);
    }
    const s = style(env.color);
    const { open, done } = todoCounts(session.todos);
    // `/mpm-resume` hands all of this to the model: each part is capped, saying where the rest is.
    const rest = restOfReport(snapshot.session_id);
    const report = renderResumeReport(snapshot, changes, env.now(), s).trimEnd();
    const lines = [capped(report, MAX_REPORT_CHARS, rest), ""];
    // A handoff (`mpm handoff`, perhaps written on another machine and pulled), capped likewise.
    const handoff = await handoffIn(snapshot);
    if (handoff) {
      lines.push(s.bold("Handoff:"), "", capped(handoff.trimEnd(), MAX_HANDOFF_CHARS, rest), "");
    }
    if (context) pushAll(lines, [...renderContextChange(context, "the pause"), ""]);
    if (summary) pushAll(lines, [...summaryPointer(summary), ""]);
    if (paused) lines.push(`Paused the previously active session as ${paused.session_id}.`);
    if (replaced) {
      const saved = replaced.resumed_from ? ` (saved in ${replaced.resumed_from})` : "";
      lines.push(`${sessionLabel(replaced)} is no longer active${saved}.`);
    }
    lines.push(
      `${s.green("✓")} ${
        sessionLabel(session)
      } is active again (${open} open, ${done} done todos).`,
    );
    if (passedOver) lines.push(passedOverLine(passedOver));
    if (matched) lines.push(matchedLine(choices[0]!, matched, snapshot.session_id));
    if (rolledBack) lines.push(rolledBackLine(snapshot, rolledBack));
    if (conversation) pushAll(lines, ["", ...conversation.lines]);
    // Resumed, but the conversation asked for is not back: a script must not go on to resume it.
    return text(lines, conversation?.failed ? 1 : 0);
  },
};
