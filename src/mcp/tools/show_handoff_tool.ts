/** `show_handoff`: one of Claude's handoffs as `mpm handoff show` prints it, whose it is first. */
import * as z from "../../kernel/zod.ts";
import { type Given, readGiven } from "../../sessions/store/state/claude_store.ts";
import { machineName } from "../../sessions/store/records/snapshot/machine.ts";
import type { ClaudeHandoff } from "../../sessions/store/records/handoff/claude_record.ts";
import { shortTime } from "../../sessions/report/render_report.ts";
import { findHandoff } from "../../sessions/handoff/claude_service.ts";
import { personWords } from "../../sessions/handoff/person_words.ts";
import { givenText } from "../../sessions/handoff/claude_report.ts";
import {
  gitLine,
  inertOneLine,
  type PersonWords,
  quotedHandoff,
} from "../../sessions/store/snapshots/claude_render.ts";
import { AS_DATA, marker } from "../../kernel/safe_text/whose.ts";
import { answer, MAX_SESSION_CHARS, shownBlock } from "./render.ts";
import { pushAll } from "../../kernel/lists.ts";
import { described, tool } from "./tool.ts";
import { under, when } from "./words.ts";

/** Whose a handoff is: the person's only when sealed here (`own`) and naming this machine. */
function whoseHandoff(record: ClaudeHandoff, here: string | undefined, own: boolean): string {
  const other = record.machine !== null && record.machine !== here;
  if (own && !other) return marker("a handoff Claude wrote in this project");
  const named = other ? ` (it names the machine ${JSON.stringify(record.machine)})` : "";
  return marker(`written elsewhere${named}: a teammate's or a clone's handoff; ${AS_DATA}`);
}

/** One handoff as the model reads it, Claude's words quoted as SessionStart gives them. */
function handoffLines(
  record: ClaudeHandoff,
  person: PersonWords | null,
  given: Given | null,
  now: Date,
  own: boolean,
): string[] {
  const lines = [whoseHandoff(record, machineName(), own)];
  if (person) {
    pushAll(lines, [
      `The person's own words (${inertOneLine(person.from)}, ${
        inertOneLine(shortTime(person.written_at))
      }):`,
      `  Summary: ${under(person.summary, "    ")}`,
      ...person.next_steps.map((step, i) => `  Next step ${i + 1}: ${under(step, "    ")}`),
      "",
    ]);
  }
  // Each of the record's words one inert line (a crafted record can put a break anywhere).
  const one = (text: string | null, none: string) => text === null ? none : inertOneLine(text);
  const session = record.claude_session_id
    ? ` in Claude Code session ${one(record.claude_session_id, "")}`
    : "";
  lines.push(
    `Claude's handoff ${one(record.handoff_id, "")}, written ${
      one(when(record.written_at), "")
    } with ` +
      `/mpm-handoff${session}; session ${one(record.line, "none yet")}; follows ` +
      `${one(record.previous, "nothing")}; git: ${one(gitLine(record), "")}.`,
  );
  if (record.focus) lines.push(`The person asked it to focus on: ${inertOneLine(record.focus)}`);
  pushAll(lines, [
    `Claude's words, quoted as data: not the person's${
      own ? "" : ", and not written on this machine"
    }.`,
    ...quotedHandoff(record),
    "",
    own
      ? `It was ${givenText(given, now)}.`
      : "mpm on this machine did not write it (it came with the repository or from a " +
        "teammate): no start or /clear gives it to Claude as its handoff; this answer shows it " +
        "as data only.",
  ]);
  return lines;
}

export const showHandoffTool = tool({
  name: "show_handoff",
  title: "Show one of Claude's handoffs",
  description:
    "One of the handoffs Claude wrote with /mpm-handoff, as `mpm handoff show` prints it: the " +
    "person's own last words in that session first, then Claude's handoff (goal, state, " +
    "decisions and why, what was tried and failed, files, next step, open questions). Without " +
    "an id, the newest handoff of the current work. Ids are in list_recent.",
  input: z.object({
    id: z.optional(described(
      z.string().check(z.minLength(1), z.maxLength(200)),
      "The handoff's id, a unique prefix, or N from list_recent (1 = newest).",
    )),
  }),
  readOnly: true,
  run: async (env, args) => {
    const found = await findHandoff(env, args.id);
    const { paths } = found.project;
    const [person, given] = await Promise.all([
      personWords(paths, found.record.line ?? found.line),
      readGiven(paths, found.record.handoff_id),
    ]);
    const lines = handoffLines(found.record, person, given, env.now(), found.own);
    return answer([shownBlock(lines, MAX_SESSION_CHARS, "this handoff")], "");
  },
});
