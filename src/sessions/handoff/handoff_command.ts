/**
 * `mpm handoff`: bare, the guide's document for a session built from the person's words and kept
 * in a new snapshot (`mpm.handoff`), so it travels with `mpm sync`; `save|show|list|export` and
 * `--reuse`, Claude's handoff to the conversation after `/clear` (claude_service.ts).
 */
import { MpmError, NothingToDo, UsageError } from "../../kernel/errors.ts";
import { localSessionKey, sessionKey, type Snapshot } from "../../kernel/snapshot.ts";
import { historyBetween } from "../../git/history/between.ts";
import { readGitState } from "../../git/tree/status.ts";
import { isMpmPath } from "../../git/tree/porcelain.ts";
import { contextLocation, readContext } from "../../context/files.ts";
import {
  boolFlag,
  type Command,
  type Declared,
  listFlag,
  type Parsed,
  stringFlag,
} from "../../cli/command.ts";
import { json, text } from "../../cli/output.ts";
import { openProject, pickSession, type Project } from "../store/session/project.ts";
import { listEntries } from "../store/listing/listing.ts";
import { loadSnapshot } from "../store/snapshots/read_snapshot.ts";
import { sessionFromSnapshot, sessionLabel } from "../store/session/session.ts";
import { changeState } from "../store/state/state_store.ts";
import { stateOptions } from "../store/session/active.ts";
import { attachNewestSession } from "../store/session/attach.ts";
import { readSessionHistory, takeSnapshot } from "../store/session/take_snapshot.ts";
import { type ActiveSession, contextPartition } from "../store/records/state/state.ts";
import { isFinished } from "../store/records/lifecycle/lifecycle.ts";
import { type ExportTarget, exportTarget } from "../report/export_copy.ts";
import { userFileTarget, writeUserFile } from "../../disk/files/user_file.ts";
import { machineName } from "../store/records/snapshot/machine.ts";
import {
  buildHandoff,
  type Handoff,
  handoffOf,
  renderHandoffMarkdown,
} from "../store/snapshots/handoff.ts";
import type { Env } from "../../cli/env.ts";
import { style } from "../../kernel/format/style.ts";
import { printable } from "../../kernel/format/text.ts";
import { findHandoff, listStored, saveHandoff } from "./claude_service.ts";
import { personWords } from "./person_words.ts";
import { forgetGiven, givenIds, readGiven } from "../store/state/claude_store.ts";
import { renderHandoffExport } from "../store/snapshots/claude_render.ts";
import { listLines, listRows, reuseLines, savedLines, showLines } from "./claude_report.ts";

/** Snapshots read, newest first, to find where the session began. */
const SCAN_LIMIT = 200;

/** The commit the session began on: its oldest snapshot's (of the newest few hundred). */
async function startCommit(project: Project, key: string): Promise<string | null> {
  const entries = (await listEntries(project.paths)).slice(0, SCAN_LIMIT);
  let commit: string | null = null;
  for (const entry of entries) {
    const snapshot = await loadSnapshot(project.paths, entry).catch(() => null);
    if (snapshot && localSessionKey(snapshot) === key && snapshot.git_context?.commit) {
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

const jsonFlag = { name: "json", description: "Print it as JSON." };

const saveSub: Command = {
  name: "save",
  summary:
    "Keep Claude's handoff (YAML or JSON on stdin, from /mpm-handoff) for the next conversation.",
  json: `- \`mpm handoff save --json\`:
  \`{"handoff_id", "written_at", "file", "line", "previous", "snapshot",
  "cut"}\` (\`file\` the \`.md\`,
  project-relative). \`mpm handoff show [HANDOFF] --json\`: the stored record plus \`"given"\` (its
  \`given/\` marker or \`null\`) and \`"person"\` (\`{"from", "written_at",
  "summary", "next_steps"}\`,
  the person's last words in its session, or \`null\`). \`mpm handoff list --json\`:
  \`[{"index", "handoff_id", "written_at", "line", "previous", "goal",
  "next_step", "given", "file", "error"?}]\`,
  newest first (\`[]\` when there are none). \`mpm handoff export PATH --json\`:
  \`{"handoff_id", "file"}\`. \`mpm handoff --reuse --json\`: \`{"handoff_id", "was_given"}\` (the removed
  marker, or \`null\` when it had not been given).`,
  details: `Reads one mapping — goal, state, decisions, tried, files, next_step, open_questions,
and the user's focus — as the /mpm-handoff skill writes it (a quoted heredoc, so no shell reads
the words). goal and next_step are required. The handoff is redacted, cut to 6,000 characters
(the record says where), and kept with the git state as a handoff of the session at hand (the
active one, else the one mpm resume would pick), after the one before it:
.claude-mpm/handoffs/handoff-….json (+ .sha256, .md).`,
  more: `Empty input, input that is not YAML or
JSON, or a child session on the stack (\`mpm branch\`) changes nothing.

Then run /clear in Claude Code: SessionStart gives the next conversation your own words first,
then this handoff, once (a new Claude Code session within 4 hours of it gets it too).`,
  flags: [
    {
      name: "input",
      value: "FILE|-",
      description: "The handoff as YAML or JSON, from FILE or stdin (-).",
      complete: "files",
    },
    jsonFlag,
  ],
  examples: ["mpm handoff save --input handoff.yaml", "mpm handoff save --input - < handoff.json"],
  run: async (env, parsed) => {
    const input = stringFlag(parsed, "input");
    if (input === undefined) {
      throw new UsageError(
        "`mpm handoff save` needs --input FILE or --input - (stdin).",
        "In Claude Code, /mpm-handoff runs it for you.",
      );
    }
    const saved = await saveHandoff(env, input);
    if (!boolFlag(parsed, "json")) return text(savedLines(saved, style(env.color)));
    const r = saved.record;
    return json({
      handoff_id: r.handoff_id,
      written_at: r.written_at,
      file: saved.file,
      line: r.line,
      previous: r.previous,
      snapshot: r.snapshot,
      cut: r.cut,
    });
  },
};

const handoffArg = {
  name: "HANDOFF",
  optional: true,
  description:
    "Its id, a unique prefix, or N from `mpm handoff list` (default: this work's newest).",
};

const showSub: Command = {
  name: "show",
  summary: "Show one of Claude's handoffs, after your own words.",
  args: [handoffArg],
  flags: [jsonFlag],
  examples: ["mpm handoff show", "mpm handoff show 2 --json"],
  run: async (env, parsed) => {
    const found = await findHandoff(env, parsed.args[0]);
    const { paths } = found.project;
    const [person, given] = await Promise.all([
      personWords(paths, found.record.line ?? found.line),
      readGiven(paths, found.record.handoff_id),
    ]);
    if (boolFlag(parsed, "json")) {
      return json({ ...found.record, written_here: found.own, given, person });
    }
    return text(showLines(found.record, person, given, env.now(), found.own));
  },
};

const listSub: Command = {
  name: "list",
  summary: "List Claude's handoffs, newest first, with the one each follows and whom it went to.",
  flags: [jsonFlag],
  examples: ["mpm handoff list", "mpm handoff list --json"],
  run: async (env, parsed) => {
    // A handoff that cannot be read is listed as such, never refused: only `show` needs one.
    let found;
    try {
      found = await listStored(env);
    } catch (error) {
      if (!(error instanceof NothingToDo) || boolFlag(parsed, "json") !== true) throw error;
      return json([]);
    }
    const { paths, root } = found.project;
    const ids = await givenIds(paths);
    const given = new Map(
      await Promise.all(
        found.stored.map(async (h) =>
          [h.id, ids.has(h.id) ? await readGiven(paths, h.id) : null] as const
        ),
      ),
    );
    if (boolFlag(parsed, "json")) return json(listRows(found.stored, given));
    return text(listLines(root, found.stored, given, found.line, env.now(), style(env.color)));
  },
};

const exportSub: Command = {
  name: "export",
  summary: "Write a handoff as markdown for a teammate: your words first, then Claude's.",
  details: `The same rules as \`pause --export\`: never into .git/ or .claude-mpm/, never over
anything but a new file or, with --force, a regular file. A folder gets handoff-….md inside.`,
  args: [
    { name: "PATH", description: "The file (or folder) to write.", complete: "files" },
    handoffArg,
  ],
  flags: [
    { name: "force", description: "Replace a regular file already at PATH." },
    jsonFlag,
  ],
  examples: ["mpm handoff export ~/handoff.md", "mpm handoff export notes/ 2"],
  run: async (env, parsed) => {
    const [path, selector] = parsed.args;
    // A bad path is refused before anything is read.
    const target = await userFileTarget(env.cwd, path, {
      force: boolFlag(parsed, "force") ?? false,
      flag: "mpm handoff export",
      outcome: "nothing was written",
      folders: true,
    });
    const found = await findHandoff(env, selector);
    const id = found.record.handoff_id;
    const person = await personWords(found.project.paths, found.record.line ?? found.line);
    const written = await writeUserFile(
      target,
      `${id}.md`,
      renderHandoffExport(found.record, person),
      (at) =>
        new MpmError(
          `export ${target.given}: ${at} appeared meanwhile, so it was not written.`,
          "Export again with --force, or to another path.",
        ),
    );
    if (boolFlag(parsed, "json")) return json({ handoff_id: id, file: written });
    return text(`✓ Wrote ${id} to ${written}`);
  },
};

/** A handoff this machine did not write is never given to Claude, so there is none to re-arm. */
function notWrittenHere(id: string): NothingToDo {
  return new NothingToDo(
    `${id} was not written by mpm on this machine (it came with the repository or from a ` +
      "teammate), so it is never given to Claude; nothing was changed.",
    "`mpm handoff show` prints it for you to read.",
  );
}

/** `mpm handoff --reuse`: the newest handoff of this work given again at the next start. */
async function reuse(env: Env, parsed: Parsed) {
  const others = Object.entries(parsed.flags).filter(([name, value]) =>
    name !== "reuse" && name !== "json" && value !== undefined &&
    !(Array.isArray(value) && value.length === 0)
  );
  if (others.length > 0 || parsed.args.length > 0) {
    throw new UsageError(
      "--reuse takes no session or other options: it re-arms Claude's newest handoff of this work.",
      "Run `mpm handoff --reuse` alone.",
    );
  }
  const found = await findHandoff(env, undefined);
  if (!found.own) throw notWrittenHere(found.record.handoff_id);
  const was = await forgetGiven(found.project.paths, found.record.handoff_id);
  if (boolFlag(parsed, "json")) {
    return json({ handoff_id: found.record.handoff_id, was_given: was });
  }
  return text(reuseLines(found.record, was, env.now()));
}

export const handoffCommand: Declared = {
  json:
    `- \`mpm handoff --json\`: the handoff document (see Lifecycle fields) plus \`"snapshot"\`, the id of the
  snapshot that keeps it.`,
  details: `Two handoffs, one command.

For a person: \`mpm handoff [SESSION]\` writes the session-patterns guide's handoff of the active
session (with none active, the newest paused one, as \`mpm pause\` goes on with it, said in one
line): From (the session and machine), Completed (its accomplishments and done todos), Files
(changed since the session started, committed or not), the context file's Current Work, Needs
(--needs, then the open todos), Acceptance criteria (--accept) and To (--to).`,
  more: `Printed as
markdown (--json: JSON), or written to -o FILE (the same rules as \`pause --export\`: never into
.git/ or .claude-mpm/, never over a file without --force). The document is also kept in a new
snapshot of the session (field mpm.handoff; the session stays active or paused as it was), so
\`mpm sync push\` carries it and \`mpm resume\` shows it on the machine that pulls it.

For a fresh Claude conversation: in Claude Code, /mpm-handoff [focus] has Claude write the goal,
the state, decisions and why, what failed, the files that matter, the exact next step and open
questions, and hands them to \`mpm handoff save\`; then /clear. The next conversation starts
from your own words, then Claude's handoff, once. \`show\` and \`list\` print them (each names
the one before it), \`export\` writes one as markdown, --reuse gives the newest again at the
next start, and \`mpm sync\` carries them like snapshots.`,
  args: [{
    name: "SESSION",
    optional: true,
    description:
      "A paused session's id, prefix or `mpm list` index (default: the active one, else the newest paused one).",
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
    {
      name: "reuse",
      description: "Give Claude's newest handoff of this work again at the next /clear or start.",
    },
  ],
  subcommands: [saveSub, showSub, listSub, exportSub],
  examples: [
    'mpm handoff --to "Backend agent" --needs "GET /api/users/:id" --accept "404 on unknown ids"',
    "mpm handoff -o handoff.md",
    "mpm handoff show",
    "mpm handoff --reuse",
  ],
  run: async (env, parsed) => {
    if (boolFlag(parsed, "reuse")) return await reuse(env, parsed);
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
        (named === undefined || sessionKey(named) === active.key);
      // With none active, the newest paused work, as `pause` and `todo` go on with it.
      const newest = isActive || named !== undefined
        ? null
        : await attachNewestSession(project.paths, state, now);
      if (!isActive && named === undefined && newest === null) {
        // Finished work, or only another machine's (store/snapshots/session_history.ts).
        throw new NothingToDo(
          "No session is active, and no work paused on this machine is left to hand off.",
          "Name one: `mpm handoff ID` (ids from `mpm list`), or start one with `mpm start NAME`.",
        );
      }
      const session = isActive ? active! : sessionFromSnapshot(named ?? newest!.snapshot, [], now);
      const location = contextLocation(project.root, contextPartition(session));
      const [context, history, files] = await Promise.all([
        readContext(location),
        readSessionHistory(project.paths, session),
        changedFiles(project, session.key),
      ]);
      const words = history?.words;
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
      const saved = await takeSnapshot({
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
        // The document as the snapshot keeps it: its text redacted by the store's writer.
        result: {
          doc: handoffOf(saved.snapshot.mpm) ?? doc,
          snapshot: saved.snapshot,
          note: newest && handedOffLine(session, newest.words),
        },
        event: { command: "handoff", session: session.key, snapshot: id, to: doc.to },
      };
    }, stateOptions(env));
    // The document alone goes to stdout (it is piped into files): the note goes beside it.
    if (result.note && target === undefined && !asJson) env.warn(result.note);
    const note = target === undefined ? undefined : result.note ?? undefined;
    return await show(result.doc, result.snapshot, target, asJson, note);
  },
};

/** Which work a handoff went on with, when none was active: its name and last words. */
function handedOffLine(session: ActiveSession, words: string | null): string {
  const said = (words ?? "").trim().split("\n")[0];
  const told = said && said.length <= 80 ? ` ("${printable(said)}")` : "";
  return `No session was active: handing off the newest work, ${
    printable(sessionLabel(session))
  }${told}; it stays paused.`;
}

async function show(
  doc: Handoff,
  snapshot: Snapshot,
  target: ExportTarget | undefined,
  asJson: boolean,
  note?: string,
) {
  const body = asJson
    ? JSON.stringify({ ...doc, snapshot: snapshot.session_id }, null, 2) + "\n"
    : renderHandoffMarkdown(doc, snapshot.session_id);
  if (target === undefined) {
    return asJson ? json({ ...doc, snapshot: snapshot.session_id }) : text(body);
  }
  const id = snapshot.session_id;
  const path = await writeUserFile(
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
    ...(note ? [note] : []),
    `✓ Wrote the handoff to ${path}`,
    `  Kept in ${snapshot.session_id}: \`mpm sync push\` carries it, \`mpm resume\` shows it.`,
  ]);
}
