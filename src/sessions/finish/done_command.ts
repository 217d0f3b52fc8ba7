/** `mpm done` and `mpm cancel`: end a session, as completed or as cancelled (finish.ts). */
import { style } from "../../kernel/format/style.ts";
import { boolFlag, type Declared, listFlag, type Parsed, stringFlag } from "../../cli/command.ts";
import type { Env } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";
import { openProject } from "../store/session/project.ts";
import { displayPath } from "../../disk/paths.ts";
import { sessionLabel } from "../store/session/session.ts";
import { shortTime } from "../report/render_report.ts";
import { shown } from "../../kernel/safe_text/shown.ts";
import { UsageError } from "../../kernel/errors.ts";
import { type Snapshot, writtenBy } from "../../kernel/snapshot.ts";
import { autoNote } from "../store/snapshots/session_history.ts";
import { type FinishRequest, finishSession } from "./finish.ts";

async function run(env: Env, parsed: Parsed, asked: Omit<FinishRequest, "selector">) {
  const project = await openProject(env, { writes: true });
  const request = { ...asked, selector: parsed.args[0] };
  const outcome = await finishSession(env, project, request);
  const { snapshot, files, session, transition } = outcome;
  if (boolFlag(parsed, "json")) {
    return json({
      session_id: snapshot.session_id,
      state: snapshot.mpm.state,
      transition,
      session: { key: session.key, name: session.name },
      summary: snapshot.conversation.summary,
      ...(snapshot.mpm.reason ? { reason: snapshot.mpm.reason } : {}),
      file: displayPath(project.paths, files.json),
    });
  }
  const s = style(env.color);
  const verb = request.action === "done" ? "Completed" : "Cancelled";
  // A text of several lines keeps its later lines under its first, past the labels.
  const under = (text: string) => shown(text, { as: "indented", indent: " ".repeat(11) });
  const lines = [
    `${s.green("✓")} ${verb} ${sessionLabel(session)} (${transition.from} → ${transition.to})`,
    `  ${wordsLabel(snapshot)} ${under(snapshot.conversation.summary)}`,
    ...(snapshot.mpm.carried
      ? [
        `           (your words of ${shortTime(snapshot.mpm.carried.written_at)}, carried forward)`,
      ]
      : []),
    ...(snapshot.mpm.reason ? [`  Reason:  ${under(snapshot.mpm.reason)}`] : []),
    `  Saved:   ${displayPath(project.paths, files.json)}`,
    "",
    `A plain \`mpm resume\` passes it over; \`mpm resume ${snapshot.session_id} --reopen\` brings it back.`,
  ];
  return text(lines);
}

/** The label of the final snapshot's words, as `mpm show` tells the person's from mpm's. Pure. */
export function wordsLabel(snapshot: Snapshot): string {
  const human = writtenBy(snapshot) === "person" || Boolean(snapshot.mpm.carried);
  const note = autoNote(snapshot);
  return !human && note !== null && note === snapshot.conversation.summary
    ? "Note:   "
    : "Summary:";
}

/** `--reason` as given: an empty one is refused, as `pause -s ""` is, not kept as no reason. */
export function givenReason(parsed: Parsed): string | undefined {
  const reason = stringFlag(parsed, "reason");
  if (reason?.trim() === "") {
    throw new UsageError(
      "The reason is empty.",
      "Say why the work was given up with --reason TEXT, or leave --reason out.",
    );
  }
  return reason;
}

const SESSION_ARG = {
  name: "SESSION",
  optional: true,
  description: "A paused session's id, prefix or `mpm list` index (default: the active session).",
  complete: "sessions" as const,
};

export const doneCommand: Declared = {
  json: `- \`mpm done --json\` / \`mpm cancel --json\`:
  \`{"session_id", "state", "transition": {"from", "to"},
  "session": {"key", "name"}, "summary", "reason"?, "file"}\`.`,
  details: `Writes the session's final snapshot in state "completed" with your words (-s, -a);
without them it carries your last words forward, as a bare pause does. The session is no
longer active, \`mpm list\` marks it completed, and a plain \`mpm resume\` passes it over.
A child session on the branch stack is completed by \`mpm return\`; a session with a child
on the stack cannot be completed until that child returns.`,
  args: [SESSION_ARG],
  flags: [
    { name: "summary", short: "s", value: "TEXT", description: "What the session achieved." },
    {
      name: "accomplishment",
      short: "a",
      value: "TEXT",
      multiple: true,
      description: "Something finished (repeatable).",
    },
    { name: "json", description: "Print the result as JSON." },
  ],
  examples: ['mpm done -s "Payments shipped" -a "Refunds"', "mpm done session-20251020-1432"],
  run: (env, parsed) =>
    run(env, parsed, {
      action: "done",
      summary: stringFlag(parsed, "summary"),
      accomplishments: listFlag(parsed, "accomplishment"),
    }),
};

export const cancelCommand: Declared = {
  json: `- \`mpm done --json\` / \`mpm cancel --json\`:
  \`{"session_id", "state", "transition": {"from", "to"},
  "session": {"key", "name"}, "summary", "reason"?, "file"}\`.`,
  details: `Writes the session's final snapshot in state "cancelled", with --reason kept in it
(redacted like every text). The person's last words stay as they were. The rules of
\`mpm done\` apply: \`mpm return\` ends a child on the stack, and a session with a child on
the stack is refused.`,
  args: [SESSION_ARG],
  flags: [
    { name: "reason", value: "TEXT", description: "Why the work was given up." },
    { name: "json", description: "Print the result as JSON." },
  ],
  examples: ['mpm cancel --reason "Superseded by the new API"', "mpm cancel 2"],
  run: (env, parsed) =>
    run(env, parsed, { action: "cancel", reason: givenReason(parsed), accomplishments: [] }),
};
