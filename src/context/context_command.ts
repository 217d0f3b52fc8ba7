/**
 * `mpm context`: the living context file (`.claude/context.md`, or a partition) — print, init,
 * edit, update, list, use, `--preview`; the session's facts come from the registry.
 */
import { thousands } from "../kernel/format/numbers.ts";
import { MpmError, NothingToDo, UsageError } from "../kernel/errors.ts";
import { printable } from "../kernel/format/text.ts";
import { findProjectRoot } from "../disk/paths.ts";
import { currentBranch } from "../git/history/branch.ts";
import { boolFlag, type Command, type Declared, type Parsed, stringFlag } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { CONTEXT_LIMIT, contextInjection } from "./inject/assemble.ts";
import type { SessionFacts, SessionService } from "./facts.ts";
import {
  type ContextLocation,
  contextLocation,
  createContext,
  leftOutLine,
  listPartitions,
  readContext,
} from "./files.ts";
import { checkPartitionName } from "./partitions.ts";
import { initialContext } from "./sections.ts";
import { refreshContext } from "./refresh.ts";
import { openInEditor } from "./editor.ts";

const partitionFlag = {
  name: "partition",
  short: "p",
  value: "NAME",
  description: "Use .claude/context/NAME.md (default: the active session's partition, if any).",
};

interface Target {
  root: string;
  facts: SessionFacts;
  at: ContextLocation;
}

/** The project, the session's facts, and which context file the command is about. */
async function target(env: Env, parsed: Parsed, service: SessionService): Promise<Target> {
  const root = await findProjectRoot(env.cwd);
  const flag = stringFlag(parsed, "partition");
  // The name is checked before the session is read: a bad name changes and reads nothing.
  if (flag !== undefined) checkPartitionName(flag);
  const facts = await service.facts(env, root);
  return { root, facts, at: contextLocation(root, flag ?? facts.partition) };
}

function noFile(shown: string): NothingToDo {
  return new NothingToDo(
    `There is no context file yet (${shown}).`,
    "Start one with `mpm context init`: it writes the active session's name, task, todos and next steps in the guide's sections.",
  );
}

function show(service: SessionService): Command["run"] {
  return async (env, parsed) => {
    const { root, at } = await target(env, parsed, service);
    if (boolFlag(parsed, "preview")) return await preview(env, parsed, service, root, at);
    const read = await readContext(at);
    if (read === undefined) throw noFile(at.shown);
    // The file as it is (CRLF kept), without a committed file's terminal control sequences.
    return text(read.text.split("\r\n").map(printable).join("\r\n"));
  };
}

/** `--preview`: what SessionStart injects; a file it leaves out is left out here too, said why. */
async function preview(
  env: Env,
  parsed: Parsed,
  service: SessionService,
  root: string,
  at: ContextLocation,
) {
  const read = await readContext(at).catch((error) => {
    env.warn(leftOutLine(at, error));
    return null;
  });
  // The whole of what SessionStart injects, when the registry can say (hooks sit above).
  if (service.preview && stringFlag(parsed, "partition") === undefined) {
    const injected = await service.preview(env, root);
    if (injected === null) {
      env.warn(
        read === null
          ? "mpm: the next SessionStart would inject nothing: no session, and the context file is left out."
          : "mpm: the next SessionStart would inject nothing: no session and no context file.",
      );
    }
    return text(injected ?? "");
  }
  if (read === undefined) throw noFile(at.shown);
  return text(read === null ? "" : contextInjection(at.shown, read.text));
}

function init(service: SessionService): Command {
  return {
    name: "init",
    summary: "Write a new context file from the active session (never overwrites one).",
    flags: [partitionFlag, { name: "json", description: "Print the file written as JSON." }],
    details: `Writes the guide's sections: Current Work (the session's name and task, and the
Status, Branch and Last updated lines mpm keeps), Architecture, Recent Decisions, Known
Issues (the open todos), Dependencies, Testing Notes and Next Session (the next steps).
Without an active session, the newest paused one is used.`,
    run: async (env, parsed) => {
      const { root, facts, at } = await target(env, parsed, service);
      // A refusal that keeps the person's file: exit 1, as `template new` over an existing one.
      const refuse = () =>
        new MpmError(
          `${at.shown} already exists; mpm will not overwrite it.`,
          "`mpm context update` refreshes the lines mpm keeps; `mpm context edit` opens it.",
        );
      // Read first: an existing file that is a link out of the project is refused as such.
      if (await readContext(at) !== undefined) throw refuse();
      const branch = await currentBranch(root).catch(() => null);
      const title = at.partition === null ? "Project Context" : `Context: ${at.partition}`;
      const body = initialContext({ session: facts, branch, now: env.now() }, title);
      if (!await createContext(at, body)) throw refuse();
      if (boolFlag(parsed, "json")) {
        return json({
          file: at.shown,
          partition: at.partition,
          from: facts.state === null ? null : { name: facts.name, state: facts.state },
        });
      }
      const from = facts.state === null
        ? "no mpm session yet"
        : `session ${facts.name ?? "(unnamed)"}, ${facts.state}`;
      return text([
        `Wrote ${at.shown} (from ${from}).`,
        "Fill in Architecture, Recent Decisions, Dependencies and Testing Notes: `mpm context edit`.",
      ]);
    },
  };
}

function edit(service: SessionService): Command {
  return {
    name: "edit",
    summary: "Open the context file in $VISUAL or $EDITOR.",
    flags: [
      partitionFlag,
      { name: "json", description: "Print the file and whether the editor changed it, as JSON." },
    ],
    run: async (env, parsed) => {
      const { root, at } = await target(env, parsed, service);
      const read = await readContext(at);
      if (read === undefined) throw noFile(at.shown);
      await openInEditor(env.vars, read.real, root);
      if (!boolFlag(parsed, "json")) return {};
      // Read again through the same checks: an editor may have left the file binary or gone.
      const after = await readContext(at);
      return json({ file: at.shown, changed: after?.text !== read.text, exists: !!after });
    },
  };
}

function update(service: SessionService): Command {
  return {
    name: "update",
    summary: "Refresh the lines mpm keeps (Status, Branch, Last updated, Next Session).",
    flags: [partitionFlag, { name: "json", description: "Print what was done as JSON." }],
    details: `Only the lines between <!-- mpm:begin NAME --> and <!-- mpm:end --> change; every
other byte stays as written (line endings too). A block whose markers are missing is added
at the end of its section (Current Work, Next Session), or under a new heading at the end.`,
    run: async (env, parsed) => {
      const { facts, at } = await target(env, parsed, service);
      const { found, changed, added } = await refreshContext(at, facts, env.now());
      if (!found) throw noFile(at.shown);
      if (boolFlag(parsed, "json")) return json({ file: at.shown, changed, added });
      const lines = [
        changed
          ? `Updated ${at.shown}: the lines between mpm's markers.`
          : `${at.shown} is current.`,
      ];
      if (added.length > 0) lines.push(`Added mpm's markers for: ${added.join(", ")}.`);
      return text(lines);
    },
  };
}

function list(service: SessionService): Command {
  return {
    name: "list",
    summary: "List the context partitions (.claude/context/NAME.md) and which one is in use.",
    flags: [{ name: "json", description: "Print the partitions as JSON." }],
    run: async (env, parsed) => {
      const root = await findProjectRoot(env.cwd);
      const [files, facts] = await Promise.all([listPartitions(root), service.facts(env, root)]);
      const inUse = facts.state === "active" ? facts.partition : null;
      if (boolFlag(parsed, "json")) {
        return json({
          in_use: inUse,
          partitions: files.map((f) => ({ name: f.name, file: f.shown, title: f.title })),
        });
      }
      if (files.length === 0) {
        return text([
          "No partitions yet (.claude/context/NAME.md).",
          "Make one with `mpm context init --partition NAME`; `mpm context use NAME` picks it.",
        ]);
      }
      const width = Math.max(...files.map((f) => f.name.length));
      return text(
        files.map((f) =>
          `${f.name === inUse ? "*" : " "} ${f.name.padEnd(width)}  ${
            printable(f.title ?? f.shown)
          }`
        ),
      );
    },
  };
}

function use(service: SessionService): Command {
  return {
    name: "use",
    summary: "Make partition NAME the active session's context file.",
    args: [{
      name: "NAME",
      description: "The partition (.claude/context/NAME.md).",
      optional: true,
    }],
    flags: [
      { name: "none", description: "Go back to .claude/context.md." },
      { name: "json", description: "Print the context file now in use as JSON." },
    ],
    run: async (env, parsed) => {
      const none = boolFlag(parsed, "none") === true;
      const name = parsed.args[0];
      if (none === (name !== undefined)) {
        throw new UsageError("Give a partition NAME, or --none for .claude/context.md.");
      }
      const partition = name === undefined ? null : checkPartitionName(name);
      const root = await findProjectRoot(env.cwd);
      const at = contextLocation(root, partition);
      // Refuse a partition file that is a link out of the project or binary before recording it.
      const read = await readContext(at);
      await service.usePartition(env, root, partition);
      if (boolFlag(parsed, "json")) {
        return json({ file: at.shown, partition, exists: read !== undefined });
      }
      const lines = [`The active session now uses ${at.shown}.`];
      if (read === undefined) lines.push("It does not exist yet: `mpm context init` writes it.");
      return text(lines);
    },
  };
}

/** The command, given the session service the registry provides. */
export function contextCommandWith(service: SessionService): Declared {
  return {
    details: `Without a subcommand, prints the context file: the active session's partition
(\`mpm context use\`), else .claude/context.md. --preview prints exactly what the next Claude Code
session is given at SessionStart: the last session's context, this file, the last commits,
the branch status and the files .claude-mpm/config.json names, at most
${thousands(CONTEXT_LIMIT)} characters, each cut part marked "(truncated: N more
lines in FILE)" (with --partition: only that file's share).`,
    flags: [
      partitionFlag,
      { name: "preview", description: "Print exactly what the next SessionStart would inject." },
    ],
    subcommands: [init(service), edit(service), update(service), list(service), use(service)],
    examples: [
      "mpm context init",
      "mpm context update",
      "mpm context --preview",
      "mpm context use backend",
    ],
    run: show(service),
  };
}
