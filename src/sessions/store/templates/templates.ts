/**
 * Session templates: markdown checklists whose `- [ ] item`s become a new session's todos, phased
 * by `##` headings ("## Notes": notes); `{{name}}` is filled from `--var name=value`.
 */
import { UsageError } from "../../../kernel/errors.ts";
import type { TodoItem } from "../records/state/state.ts";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const CHECKBOX = /^\s*[-*+]\s+\[([ xX])\]\s+(.*\S)\s*$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

export function checkTemplateName(name: string): string {
  if (!NAME.test(name) || name.endsWith(".md")) {
    throw new UsageError(
      `${JSON.stringify(name)} is not a template name.`,
      'Use letters, digits, ".", "_" and "-", without ".md" (e.g. code-review).',
    );
  }
  return name;
}

export interface TemplateText {
  description: string;
  /** The markdown after the front matter, comments removed. */
  body: string;
}

function stripComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, "");
}

export function parseTemplate(text: string): TemplateText {
  const normalized = text.replace(/\r\n?/g, "\n");
  let description = "";
  let rest = normalized;
  const front = normalized.match(/^---\n([\s\S]*?)\n---(?:\n|$)/);
  if (front) {
    rest = normalized.slice(front[0].length);
    for (const line of front[1].split("\n")) {
      const field = line.match(/^description:\s*(.*?)\s*$/);
      if (field) description = field[1].replace(/^(["'])(.*)\1$/, "$2");
    }
  }
  const body = stripComments(rest);
  if (!description) {
    const heading = body.split("\n").map((l) => l.match(HEADING)).find((m) => m?.[1] === "#");
    description = heading ? heading[2].replace(/^Template:\s*/i, "") : "";
  }
  return { description, body };
}

/** The placeholders a template uses, in order of first appearance. */
export function templateVariables(text: string): string[] {
  const names = [...parseTemplate(text).body.matchAll(PLACEHOLDER)].map((m) => m[1]);
  return [...new Set(names)];
}

/** `--var key=value` flags as a map; an empty value or a key given twice is refused. */
export function parseVars(flags: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    const key = eq < 0 ? flag : flag.slice(0, eq);
    if (eq < 0 || !VAR_NAME.test(key)) {
      throw new UsageError(
        `--var ${JSON.stringify(flag)} is not KEY=VALUE.`,
        'Example: --var feature="User notifications" (KEY: letters, digits, "_", "-").',
      );
    }
    const value = flag.slice(eq + 1);
    // deno-lint-ignore no-control-regex
    if (/[\x00-\x1f\x7f]/.test(value)) {
      throw new UsageError(`--var ${key} must be one line of text.`);
    }
    if (value.trim() === "") {
      throw new UsageError(
        `--var ${key} has no value, so the template's {{${key}}} would be left empty.`,
        `Give it one: --var ${key}="…".`,
      );
    }
    if (Object.hasOwn(vars, key) && vars[key] !== value) {
      throw new UsageError(
        `--var ${key} was given twice (${JSON.stringify(vars[key])} and ` +
          `${JSON.stringify(value)}); give it once.`,
      );
    }
    vars[key] = value;
  }
  return vars;
}

/** The template's body with every placeholder filled; all missing values are named at once. */
export function fillTemplate(name: string, text: string, vars: Record<string, string>): string {
  const { body } = parseTemplate(text);
  const missing = templateVariables(text).filter((v) => !Object.hasOwn(vars, v));
  if (missing.length > 0) {
    const list = missing.map((v) => `--var ${v}=…`).join(", ");
    throw new UsageError(
      `Template "${name}" needs ${missing.length === 1 ? "a value" : "values"} for ` +
        `${missing.join(", ")}: pass ${list}.`,
      `Example: --var ${missing[0]}="…"; \`mpm template show ${name}\` shows where each is used.`,
    );
  }
  // One pass: a value that itself looks like {{x}} is kept as written.
  return body.replace(PLACEHOLDER, (_, key: string) => vars[key]);
}

/** Variables given but not used by the template (most likely a typo). */
export function unusedVars(text: string, vars: Record<string, string>): string[] {
  const used = new Set(templateVariables(text));
  return Object.keys(vars).filter((v) => !used.has(v));
}

export interface Seed {
  todos: TodoItem[];
  notes: string[];
}

/** The todos (with their phases) and notes a filled template gives a new session. */
export function seedFrom(filled: string, now: Date): Seed {
  const todos: TodoItem[] = [];
  const notes: string[] = [];
  let phase: string | null = null;
  let inNotes = false;
  for (const line of filled.split("\n")) {
    const heading = line.match(HEADING);
    if (heading) {
      if (heading[1].length >= 2) phase = heading[2];
      inNotes = /^notes$/i.test(heading[2]);
      continue;
    }
    if (inNotes) {
      const note = line.replace(/^\s*[-*+]\s+(\[[ xX]\]\s+)?/, "").trim();
      if (note) notes.push(note);
      continue;
    }
    const item = line.match(CHECKBOX);
    if (!item) continue;
    const done = item[1] !== " ";
    todos.push({
      content: item[2],
      status: done ? "completed" : "pending",
      created_at: now.toISOString(),
      completed_at: done ? now.toISOString() : null,
      phase,
    });
  }
  return { todos, notes };
}

/** What `mpm template new NAME` writes: a working template that explains the format. */
export function starterTemplate(name: string): string {
  return `---
description: ${name} (edit this line; \`mpm template list\` shows it)
---
<!--
  A session template. \`mpm start --template ${name} --var what="…"\` turns every
  "- [ ]" item into a todo of the new session; the "##" heading above an item is its
  phase. {{name}} placeholders are filled from --var name=value, and a placeholder
  left without a value is an error. Lines under "## Notes" become the session's notes.
  Comments like this one are ignored.
-->
# Template: ${name} ({{what}})

## Start
- [ ] Write down the goal of {{what}}
- [ ] Check the current state

## Work
- [ ] Make the change
- [ ] Add or update tests

## Finish
- [ ] Review the diff
- [ ] Commit and push

## Notes
- Keep the scope to {{what}}.
`;
}
