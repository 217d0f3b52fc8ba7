/** `mpm resume`: pick a snapshot, show its context and everything that changed since. */
import { UsageError } from "../core/errors.ts";
import { renderResumeReport } from "../core/render_report.ts";
import { style } from "../core/style.ts";
import { boolFlag, type Command, stringFlag } from "./command.ts";
import { detectChanges } from "./detect_changes.ts";
import { listFlags, runList } from "./list.ts";
import { json, text } from "./output.ts";
import { openProject, pickSession } from "./sessions.ts";

export const resumeCommand: Command = {
  name: "resume",
  summary: "Resume a paused session: its context, and what changed in the repository since.",
  details: `Without SESSION, resumes the newest. SESSION is an id, a unique prefix of one, or
the index shown by \`mpm list\` (0 = newest).`,
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
    },
    ...listFlags.filter((f) => f.name !== "json"),
    { name: "json", description: "Print {session, changes} as JSON." },
  ],
  examples: ["mpm resume", "mpm resume 2", "mpm resume --select payments", "mpm resume --list"],
  run: async (env, parsed) => {
    if (boolFlag(parsed, "list")) return runList(env, parsed);
    const choices = [parsed.args[0], stringFlag(parsed, "session-id"), stringFlag(parsed, "select")]
      .filter((c) => c !== undefined);
    if (choices.length > 1) {
      throw new UsageError(
        "Name the session once: SESSION, --session-id and --select are alternatives.",
      );
    }
    const project = await openProject(env);
    const { snapshot } = await pickSession(project, choices[0], {
      byText: stringFlag(parsed, "select") !== undefined,
    });
    const wantChanges = boolFlag(parsed, "changes") ?? true;
    const changes = wantChanges ? await detectChanges(project.root, snapshot) : undefined;
    if (boolFlag(parsed, "json")) return json({ session: snapshot, changes: changes ?? null });
    return text(renderResumeReport(snapshot, changes, env.now(), style(env.color)));
  },
};
