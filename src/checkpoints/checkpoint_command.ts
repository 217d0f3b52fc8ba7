/** `mpm checkpoint save | list | show | diff | rm`: named records of the work at a milestone. */
import { type Checkpoint, checkpointNameFrom, serializeCheckpoint } from "./checkpoint.ts";
import {
  type CheckpointDiff,
  diffBetween,
  diffCheckpoint,
  type HeadEntry,
  pathsCleanIn,
  pathsNeedingBase,
  pathsToRead,
} from "./diff.ts";
import {
  listedNote,
  renderCheckpointDiff,
  renderCheckpointMarkdown,
  renderCheckpointText,
} from "./render.ts";
import { ago, shortTime } from "../sessions/report/render_report.ts";
import { style } from "../kernel/format/style.ts";
import { yamlText } from "../kernel/format/yaml.ts";
import { printable } from "../kernel/format/text.ts";
import { readHistorySince } from "../git/history/history.ts";
import { entriesAt } from "../git/objects/tree_files.ts";
import { blobSha256s, historyBetween } from "../git/history/between.ts";
import {
  listCheckpoints,
  readCheckpoint,
  removeCheckpoint,
  saveCheckpoint,
  sessionAt,
} from "./store.ts";
import { displayPath, type ProjectPaths } from "../disk/paths.ts";
import { readState } from "../sessions/store/state/state_store.ts";
import { digestPaths, objectFormatOf, readWorkTree } from "./work_tree.ts";
import { boolFlag, choiceFlag, type Command, type Declared, stringFlag } from "../cli/command.ts";
import { json, text } from "../cli/output.ts";
import { openProject } from "../sessions/store/session/project.ts";
import { compareContext } from "../context/compare.ts";
import { partitionOfRecord, readContextRecord } from "../context/record.ts";

/** Gathers what the diff compares: the working tree, the commits since, and the state now. */
export async function checkpointChanges(
  root: string,
  paths: ProjectPaths,
  record: Checkpoint,
): Promise<CheckpointDiff> {
  const [work, state] = await Promise.all([
    readWorkTree(root, { blobIds: true }),
    readState(paths),
  ]);
  // A checkpoint saved with nothing active recorded the newest session (store.ts).
  const session = await sessionAt(paths, state, new Date(record.saved_at));
  const now = {
    session: session && { key: session.key, name: session.name },
    todos: session?.todos ?? [],
  };
  const head = record.git?.head ?? null;
  if (!record.git || !work) return diffCheckpoint({ record, git: null, ...now });
  const dirty = work.files.map((f) => f.path);
  const needBase = head === null ? [] : pathsNeedingBase(record, dirty);
  const unread = pathsToRead(record, dirty).filter((path) => !work.digests.has(path));
  const [history, base, more] = await Promise.all([
    readHistorySince(root, head),
    needBase.length ? entriesAt(root, head!, needBase) : Promise.resolve(new Map()),
    digestPaths(root, unread, objectFormatOf(work.status.head ?? head)),
  ]);
  if (!history) return diffCheckpoint({ record, git: null, ...now });
  return diffCheckpoint({
    record,
    git: {
      branch: work.status.branch,
      head: work.status.head,
      dirty,
      worktree: new Map([...work.digests, ...more]),
      history,
      base,
    },
    ...now,
  });
}

/** Gathers what `diff A B` compares: what each HEAD held where the other was dirty, and the commits. */
async function changesBetween(
  root: string,
  from: Checkpoint,
  to: Checkpoint,
): Promise<CheckpointDiff> {
  const [headOfFrom, headOfTo, history] = await Promise.all([
    headEntries(root, from, pathsCleanIn(from, to)),
    headEntries(root, to, pathsCleanIn(to, from)),
    from.git?.head && to.git?.head ? historyBetween(root, from.git.head, to.git.head) : null,
  ]);
  return diffBetween({ from, to, headOfFrom, headOfTo, history });
}

/** What `record`'s HEAD held at `paths`, blobs by the sha256 of their bytes; null: commit gone. */
async function headEntries(
  root: string,
  record: Checkpoint,
  paths: string[],
): Promise<Map<string, HeadEntry | null> | null> {
  const head = record.git?.head;
  if (!head || paths.length === 0) return new Map();
  const entries = await entriesAt(root, head, paths);
  if (entries === null) return null;
  const blobs = [...entries.values()].flatMap((e) => e?.type === "blob" ? [e.oid] : []);
  const digests = await blobSha256s(root, blobs);
  return new Map(
    [...entries].map(([path, e]) => [
      path,
      e && { type: e.type, sha256: e.type === "blob" ? digests.get(e.oid) ?? null : null },
    ]),
  );
}

const nameArg = {
  name: "NAME",
  description: "The checkpoint's name.",
  complete: "checkpoints" as const,
};

const save: Command = {
  name: "save",
  summary: "Record git state, the active session and its todos under NAME.",
  json: `- \`mpm checkpoint save --json\`: \`{"name", "saved_at", "file"}\`.`,
  details: `Writes .claude-mpm/checkpoints/NAME.json with its .sha256 and a .md: branch, HEAD,
every uncommitted file with the sha256 of its content, the active session, its todos and the
branch stack. NAME is letters, digits, ".", "_" and "-". An existing NAME is replaced only
with --force. Secrets in the note are redacted before they reach disk.`,
  args: [{
    name: "NAME",
    description: "A plain name: letters, digits, ., _ and -.",
    shape: checkpointNameFrom,
  }],
  flags: [
    {
      name: "note",
      value: "TEXT",
      description: "Why this checkpoint (what you are about to try).",
    },
    { name: "force", description: "Replace a checkpoint of the same name." },
    { name: "json", description: "Print the result as JSON." },
  ],
  examples: [
    'mpm checkpoint save before-refactor --note "tests green, about to split the parser"',
  ],
  run: async (env, parsed) => {
    const project = await openProject(env);
    const saved = await saveCheckpoint(project.root, parsed.args[0], {
      note: stringFlag(parsed, "note"),
      force: boolFlag(parsed, "force") ?? false,
      now: env.now(),
    });
    const file = displayPath(project.paths, saved.file);
    if (boolFlag(parsed, "json")) {
      return json({ name: saved.name, saved_at: saved.record.saved_at, file });
    }
    const s = style(env.color);
    const git = saved.record.git;
    const lines = [`${s.green("✓")} Saved checkpoint ${s.bold(saved.name)}`, `  File: ${file}`];
    if (git) {
      lines.push(
        `  Git:  ${git.branch ?? "detached HEAD"} at ${git.head?.slice(0, 7) ?? "no commit yet"}` +
          `, ${git.files.length} uncommitted file${git.files.length === 1 ? "" : "s"}`,
      );
    }
    if (saved.record.todos.length) lines.push(`  Todos: ${saved.record.todos.length}`);
    lines.push("", `Compare later with: mpm checkpoint diff ${saved.name}`);
    return text(lines);
  },
};

const list: Command = {
  name: "list",
  summary: "List checkpoints, newest first.",
  json:
    `- \`mpm checkpoint list --json\`: \`[{"name", "saved_at", "note", "branch", "head", "file"}]\`, newest
  first; one that fails its checks has \`null\`s and an \`"error"\`.`,
  flags: [{ name: "json", description: "Print the list as JSON." }],
  run: async (env, parsed) => {
    const project = await openProject(env);
    const listed = await listCheckpoints(project.paths);
    for (const l of listed) if (l.error) env.warn(`mpm: ${l.error.message}`);
    if (boolFlag(parsed, "json")) {
      return json(listed.map((l) => ({
        name: l.name,
        saved_at: l.record?.saved_at ?? null,
        note: l.record?.note ?? null,
        branch: l.record?.git?.branch ?? null,
        head: l.record?.git?.head ?? null,
        file: displayPath(project.paths, l.file),
        ...(l.error ? { error: l.error.message } : {}),
      })));
    }
    if (listed.length === 0) {
      return text("No checkpoints yet. Save one with: mpm checkpoint save NAME --note TEXT");
    }
    const s = style(env.color);
    const now = env.now();
    const lines = [s.bold(`Checkpoints in ${project.root} (newest first):`), ""];
    for (const l of listed) {
      if (!l.record) {
        lines.push(`  ${s.red(l.name)} ${s.red("✗ unreadable")}`);
        continue;
      }
      const r = l.record;
      const when = `${shortTime(r.saved_at)} (${ago(new Date(r.saved_at), now)})`;
      const where = r.git ? ` on ${printable(r.git.branch ?? "detached HEAD")}` : "";
      lines.push(`  ${s.cyan(l.name)} - ${when}${where}`);
      if (r.note) lines.push(`      ${listedNote(r.note)}`);
    }
    lines.push("", "Compare one with: mpm checkpoint diff NAME");
    return text(lines);
  },
};

const FORMATS = ["text", "md", "json", "yaml"] as const;

const show: Command = {
  name: "show",
  summary: "Show one checkpoint.",
  json:
    `- \`mpm checkpoint show NAME --json\` (the same as \`--format json\`): the stored checkpoint record.`,
  args: [nameArg],
  flags: [{
    name: "format",
    short: "f",
    value: "FORMAT",
    description: "text (default), md, json or yaml.",
    complete: [...FORMATS],
  }, { name: "json", description: "Print the stored JSON (the same as --format json)." }],
  run: async (env, parsed) => {
    const format = boolFlag(parsed, "json")
      ? "json"
      : choiceFlag(parsed, "format", FORMATS, "text");
    const project = await openProject(env);
    const record = await readCheckpoint(project.paths, parsed.args[0]);
    if (format === "json") return text(serializeCheckpoint(record));
    if (format === "yaml") return text(yamlText(record));
    // A teammate's checkpoint (`mpm sync pull`): the renderers strip control characters.
    if (format === "md") return text(renderCheckpointMarkdown(record));
    return text(renderCheckpointText(record, env.now(), style(env.color)));
  },
};

const diff: Command = {
  name: "diff",
  summary: "Say what changed since a checkpoint, or between two: commits, files, branch, todos.",
  json: `- \`mpm checkpoint diff NAME [OTHER] --json\`:
  \`{"name", "saved_at", "to", "git", "session", "todos"}\`. \`to\` is \`null\` (compared with the work
  now) or \`{"name", "saved_at"}\` of OTHER (from NAME to OTHER: each path uncommitted at either one
  compared by its recorded sha256, or by the sha256 of the blob its checkpoint's HEAD held when it
  was clean there; a path clean at both decided by the net change of the commits between the two
  HEADs; \`history_rewritten\` is then \`true\` when NAME's commit is not an ancestor of OTHER's, and
  \`exact\` \`false\` when a commit is missing). \`session\` is \`{"from", "to", "changed"}\`; \`todos\` is
  \`{"added", "removed", "completed", "reopened"}\` (lists of todo texts); \`git\` is \`null\` when the
  checkpoint or the project has no git, else
  \`{"branch", "head", "history_rewritten", "commits", "files", "exact"}\` with \`branch\` and \`head\`
  \`{"from", "to"}\`, \`commits\` like \`resume\`'s \`new_commits\`, \`files\`
  \`{"changed", "added", "removed"}\`, and \`exact\` \`false\` when some paths could not be compared (the
  checkpoint's commit is gone).`,
  details: `Files are compared by content: a file edited and then reverted is unchanged, and so
is a file uncommitted at the checkpoint and committed since as it was.
With two names, from the first checkpoint to the second: each file uncommitted at either one
by the sha256 recorded for it (or of the blob its checkpoint's commit held), every other file
by the commits between the two.`,
  args: [nameArg, {
    name: "OTHER",
    optional: true,
    description: "A second checkpoint to compare with (default: the work as it is now).",
    complete: "checkpoints",
  }],
  flags: [{ name: "json", description: "Print the changes as JSON." }],
  run: async (env, parsed) => {
    const project = await openProject(env);
    const record = await readCheckpoint(project.paths, parsed.args[0]);
    const other = parsed.args[1] === undefined
      ? undefined
      : await readCheckpoint(project.paths, parsed.args[1]);
    const changes = other
      ? await changesBetween(project.root, record, other)
      : await checkpointChanges(project.root, project.paths, record);
    // The context file: the checkpoint's record against OTHER's, or against the file now.
    changes.context = other
      ? (other.context_file === undefined
        ? null
        : compareContext(record.context_file, other.context_file))
      : compareContext(
        record.context_file,
        await readContextRecord(project.root, partitionOfRecord(record.context_file)),
      );
    if (boolFlag(parsed, "json")) return json(changes);
    return text(renderCheckpointDiff(changes, env.now(), style(env.color)));
  },
};

const rm: Command = {
  name: "rm",
  summary: "Remove a checkpoint (its .json, .json.sha256 and .md).",
  json:
    `- \`mpm checkpoint rm NAME --json\`: \`{"name", "removed"}\`, the files removed (project-relative).`,
  args: [nameArg],
  flags: [{ name: "json", description: "Print the files removed as JSON." }],
  run: async (env, parsed) => {
    const project = await openProject(env);
    const removed = await removeCheckpoint(project.paths, parsed.args[0]);
    if (boolFlag(parsed, "json")) {
      return json({
        name: parsed.args[0],
        removed: removed.map((file) => displayPath(project.paths, file)),
      });
    }
    const s = style(env.color);
    return text(
      `${s.green("✓")} Removed checkpoint ${s.bold(parsed.args[0])} (${removed.length} file${
        removed.length === 1 ? "" : "s"
      }).`,
    );
  },
};

export const checkpointCommand: Declared = {
  subcommands: [save, list, show, diff, rm],
  wordFor: "save",
  examples: [
    'mpm checkpoint save before-migration --note "all tests pass"',
    "mpm checkpoint diff before-migration",
    "mpm checkpoint diff before-migration after-migration --json",
    "mpm checkpoint list --json",
  ],
};
