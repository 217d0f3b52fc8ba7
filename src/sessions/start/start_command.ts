/** `mpm start`: begin an active session, optionally from a template. */
import { MpmError } from "../../kernel/errors.ts";
import { checkSessionName, newSession, sessionLabel } from "../store/session/session.ts";
import type { ActiveSession } from "../store/records/state/state.ts";
import { style } from "../../kernel/format/style.ts";
import { printable } from "../../kernel/format/text.ts";
import { shown, shownDeep } from "../../kernel/safe_text/shown.ts";
import { renderTodos } from "../store/records/state/todos.ts";
import { changeState } from "../store/state/state_store.ts";
import { newSessionKey, seedFromTemplate, stateOptions } from "../store/session/active.ts";
import { openProject } from "../store/session/project.ts";
import { boolFlag, type Declared, listFlag, stringFlag } from "../../cli/command.ts";
import { json, text } from "../../cli/output.ts";
import { markWarning, recordMark } from "../store/marks/record_mark.ts";
import { sessionFlags } from "../capture/session_flags.ts";
import { pushAll } from "../../kernel/lists.ts";
import { unsealedWarning } from "../../disk/machine_key.ts";

/** Refuses to replace an active session, whatever the command. */
export function alreadyActive(active: ActiveSession): MpmError {
  return new MpmError(
    `Session "${sessionLabel(active)}" is already active.`,
    "`mpm pause` saves it first; `mpm branch NAME` puts it aside for urgent work.",
  );
}

export const startCommand: Declared = {
  json: `- \`mpm start --json\`: the new active session, as in \`state.json\`.`,
  details: `One session is active per project; \`mpm todo\` works on it, \`mpm pause\` saves it
and \`mpm branch\` puts it aside. Refused while another session is active.
With --template, each "- [ ]" item of the template becomes a todo, and every {{KEY}}
placeholder must be given with --var KEY=VALUE.`,
  args: [{ name: "NAME", optional: true, description: "A name for the session." }],
  flags: [...sessionFlags, { name: "json", description: "Print the new session as JSON." }],
  examples: [
    'mpm start payments --task "Stripe integration"',
    'mpm start --template feature --var feature="User notifications"',
  ],
  run: async (env, parsed) => {
    const name = parsed.args[0] === undefined ? undefined : checkSessionName(parsed.args[0]);
    const project = await openProject(env, { writes: true });
    const templateName = stringFlag(parsed, "template");
    const seed = await seedFromTemplate(env, project.paths, templateName, listFlag(parsed, "var"));
    const key = newSessionKey();
    const { session: made, marked } = await changeState(project.paths, "start", async (state) => {
      if (state.active) throw alreadyActive(state.active);
      const active = newSession({
        key,
        now: env.now(),
        name: name ?? seed?.template ?? null,
        task: stringFlag(parsed, "task") ?? null,
        template: seed?.template ?? null,
        todos: seed?.todos,
        notes: seed?.notes,
        stack: state.stack,
      });
      // The work tree as the session begins: what `mpm diff` compares with.
      const marked = await recordMark(project.root, project.paths, key, "start", env.now());
      return {
        state: { ...state, active },
        result: { session: active, marked },
        event: {
          command: "start",
          session: key,
          template: active.template,
          transition: { from: "new", to: "active" },
        },
      };
    }, stateOptions(env));
    for (const warning of [markWarning(marked), unsealedWarning()]) if (warning) env.warn(warning);
    // What was kept: a secret in the template or a --var is shown as it was stored, redacted.
    const session = shownDeep(made);
    if (boolFlag(parsed, "json")) return json(session);
    const s = style(env.color);
    const lines = [`${s.green("✓")} Started ${s.bold(printable(sessionLabel(session)))}`];
    if (session.task) lines.push(`  Task: ${printable(session.task)}`);
    if (session.parent) lines.push(`  Parent: ${session.parent} (depth ${session.depth})`);
    if (session.todos.length) pushAll(lines, ["", ...renderTodos(session.todos, s)]);
    if (session.notes.length) {
      pushAll(lines, ["", ...session.notes.map((n) => `Note: ${shown(n, { as: "indented" })}`)]);
    }
    lines.push("", "Add todos with `mpm todo add TEXT`; save with `mpm pause`.");
    return text(lines);
  },
};
