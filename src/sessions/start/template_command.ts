/** `mpm template list | show NAME | new NAME`: the session templates. */
import { type MpmError, UsageError } from "../../kernel/errors.ts";
import { holdsSecret } from "../../kernel/safe_text/record_text.ts";
import { style } from "../../kernel/format/style.ts";
import { oneLine } from "../../kernel/safe_text/one_line.ts";
import { shown } from "../../kernel/safe_text/shown.ts";
import {
  checkTemplateName,
  starterTemplate,
  templateVariables,
} from "../store/templates/templates.ts";
import { displayPath, findProjectRoot, type ProjectPaths, projectPaths } from "../../disk/paths.ts";
import {
  createTemplate,
  findTemplate,
  isRefused,
  type ListedTemplate,
  listTemplates,
  SHIPPED_TEMPLATES,
} from "../store/templates/template_store.ts";
import {
  boolFlag,
  type Command,
  type Declared,
  type Parsed,
  stringFlag,
} from "../../cli/command.ts";
import type { Env } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";

async function paths(env: Env) {
  return projectPaths(await findProjectRoot(env.cwd));
}

/** The longest description `mpm template list` prints: one line of a terminal's width. */
const MAX_DESCRIPTION = 120;

async function runList(env: Env, parsed: Parsed) {
  const project = await paths(env);
  const templates = await listTemplates(project);
  // A refused file is named, and the others are listed all the same (as a damaged checkpoint is).
  for (const t of templates) if (isRefused(t)) env.warn(refusal(t.error));
  if (boolFlag(parsed, "json")) return json(templates.map((t) => listedJson(project, t)));
  const s = style(env.color);
  const width = Math.max(...templates.map((t) => t.name.length));
  const lines = templates.map((t) => {
    if (isRefused(t)) return `  ${s.red(t.name.padEnd(width))}  ${s.red("✗ refused")} (project)`;
    const origin = t.origin === "shipped"
      ? ""
      : t.overrides
      ? "(project, replaces shipped)"
      : "(project)";
    // A project's template is outside text (a clone may have committed it): one short line.
    const about = [oneLine(shown(t.description), MAX_DESCRIPTION), origin].filter(Boolean)
      .join(" ");
    return `  ${s.bold(t.name.padEnd(width))}  ${about}`;
  });
  return text([
    ...lines,
    "",
    "Use one with: mpm start --template NAME --var KEY=VALUE…",
    `Your own go in ${
      displayPath(project, project.templates)
    }/NAME.md (\`mpm template new NAME\`).`,
  ]);
}

/** A refused template as one stderr line and its next step. */
function refusal(error: MpmError): string {
  return `mpm: ${error.message}${error.hint ? ` ${error.hint}` : ""}`;
}

/** One row of `mpm template list --json`; a refused file has `null`s and its `error`. */
function listedJson(project: ProjectPaths, t: ListedTemplate) {
  if (isRefused(t)) {
    return {
      name: t.name,
      origin: t.origin,
      description: null,
      variables: [],
      file: displayPath(project, t.path),
      error: t.error.message,
    };
  }
  return {
    name: t.name,
    origin: t.origin,
    description: shown(t.description),
    variables: templateVariables(t.text),
    ...(t.path ? { file: displayPath(project, t.path) } : {}),
    ...(t.overrides ? { overrides_shipped: true } : {}),
  };
}

const listJson = { name: "json", description: "Print the templates as JSON." };

const list: Command = {
  name: "list",
  summary: "List the shipped templates and the project's own.",
  json:
    `- \`mpm template list --json\`: \`[{"name", "origin", "description", "variables"}]\`, \`origin\` being
  \`shipped\` or \`project\`. A project template mpm refuses to read is listed in its name's place with
  \`"description": null\`, \`"variables": []\`, its \`"file"\` and an \`"error"\` saying why (also on
  stderr); the others are listed and the exit code is 0. \`mpm template show NAME --json\`:
  \`{"name", "origin", "file", "variables",
  "text"}\` (\`file\` \`null\` for a shipped one; \`text\` with
  its secrets redacted, as \`show\` prints it); \`mpm template new NAME --json\`:
  \`{"name", "file", "from", "variables"}\`.

- A project template (\`.claude-mpm/templates/NAME.md\`) is read only when its path, links resolved
  (the file's and the \`templates\` folder's), stays inside the project; one that leads out is refused
  unread (exit 1), as is one that is not UTF-8 text, holds nothing but white space or is over 256
  KiB (damaged: exit 4). \`mpm template show\` prints the text as stored text is shown: secrets
  redacted (as \`mpm start -t\` stores them) and terminal control sequences removed.`,
  flags: [listJson],
  run: runList,
};

const show: Command = {
  name: "show",
  summary: "Print a template's markdown and the variables it needs.",
  args: [{ name: "NAME", description: "The template.", complete: "templates" }],
  flags: [{ name: "json", description: "Print {name, origin, file, variables, text} as JSON." }],
  run: async (env, parsed) => {
    const project = await paths(env);
    const template = await findTemplate(project, parsed.args[0]);
    const vars = templateVariables(template.text);
    if (boolFlag(parsed, "json")) {
      return json({
        name: template.name,
        origin: template.origin,
        file: template.path ? displayPath(project, template.path) : null,
        variables: vars,
        text: shown(template.text),
      });
    }
    const where = template.path ? `# From ${displayPath(project, template.path)}\n` : "";
    const needs = vars.length ? `# Variables: ${vars.map((v) => `--var ${v}=…`).join(" ")}\n` : "";
    // stdout is the template as stored: redacted, without a committed file's control sequences.
    if (where || needs) env.warn((where + needs).trimEnd());
    return text(shown(template.text, { as: "printable" }));
  },
};

const create: Command = {
  name: "new",
  summary: "Create a project template in .claude-mpm/templates/NAME.md (never overwrites).",
  args: [{
    name: "NAME",
    description: 'The new template\'s name (letters, digits, ".", "_", "-").',
  }],
  flags: [{
    name: "from",
    value: "T",
    description:
      "Start from a copy of template T (default: the shipped NAME, if any, else a starter).",
    complete: "templates",
  }, { name: "json", description: "Print {name, file, from, variables} as JSON." }],
  examples: ["mpm template new release", "mpm template new my-feature --from feature"],
  run: async (env, parsed) => {
    const name = checkTemplateName(parsed.args[0]);
    if (holdsSecret(name)) {
      throw new UsageError(
        `The template name ${JSON.stringify(name)} looks like a secret (a token or key).`,
        "Choose a name that says what the template is for, e.g. release.",
      );
    }
    const project = await paths(env);
    // Replacing a shipped template starts from it, so its checklist is edited, not retyped.
    const from = stringFlag(parsed, "from") ??
      (Object.hasOwn(SHIPPED_TEMPLATES, name) ? name : undefined);
    const body = from ? (await findTemplate(project, from)).text : starterTemplate(name);
    const path = await createTemplate(project, name, body);
    if (boolFlag(parsed, "json")) {
      return json({
        name,
        file: displayPath(project, path),
        from: from ?? null,
        variables: templateVariables(body),
      });
    }
    return text([
      `Created ${displayPath(project, path)}`,
      `Edit it, then: mpm start --template ${name}${
        templateVariables(body).map((v) => ` --var ${v}=…`).join("")
      }`,
    ]);
  },
};

export const templateCommand: Declared = {
  details: `Shipped: feature, bugfix, hotfix, code-review, refactor. A project's own templates
live in .claude-mpm/templates/NAME.md and win over a shipped one of the same name.
Each "- [ ] item" becomes a todo (its "##" heading is its phase), lines under "## Notes"
become notes, and {{KEY}} is filled from --var KEY=VALUE. Without a subcommand, lists them.`,
  flags: [listJson],
  subcommands: [list, show, create],
  examples: ["mpm template list", "mpm template show hotfix", "mpm template new release"],
  run: runList,
};
