/**
 * Where templates come from: the shipped ones, embedded in the program as text imports (so
 * `deno compile` and `deno bundle` carry them), and the project's own in
 * `.claude-mpm/templates/NAME.md`, which win on a name clash.
 */
import { join } from "../../../kernel/path.ts";
import { MpmError, NothingToDo, UsageError } from "../../../kernel/errors.ts";
import { checkTemplateName, parseTemplate } from "./templates.ts";
import bugfix from "../../../../templates/bugfix.md" with { type: "text" };
import codeReview from "../../../../templates/code-review.md" with { type: "text" };
import feature from "../../../../templates/feature.md" with { type: "text" };
import hotfix from "../../../../templates/hotfix.md" with { type: "text" };
import refactor from "../../../../templates/refactor.md" with { type: "text" };
import { createAtomic } from "../../../disk/files/atomic.ts";
import { forDisk, type TextFields } from "../../../disk/files/written.ts";
import { displayPath, type ProjectPaths } from "../../../disk/paths.ts";

export const SHIPPED_TEMPLATES: Readonly<Record<string, string>> = {
  feature,
  bugfix,
  hotfix,
  "code-review": codeReview,
  refactor,
};

export const SHIPPED_TEMPLATE_NAMES: readonly string[] = Object.keys(SHIPPED_TEMPLATES);

export interface TemplateSource {
  name: string;
  origin: "shipped" | "project";
  text: string;
  description: string;
  /** The file of a project template. */
  path?: string;
  /** A project template that replaces a shipped one of the same name. */
  overrides?: boolean;
}

/** A template file larger than this is surely not a checklist. */
const MAX_BYTES = 256 * 1024;

function shipped(name: string): TemplateSource {
  const text = SHIPPED_TEMPLATES[name];
  return { name, origin: "shipped", text, description: parseTemplate(text).description };
}

async function readProjectTemplate(
  paths: ProjectPaths,
  name: string,
): Promise<TemplateSource | undefined> {
  const path = join(paths.templates, `${name}.md`);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (!info.isFile) return undefined;
  if (info.size > MAX_BYTES) {
    throw new MpmError(
      `${displayPath(paths, path)} is larger than ${MAX_BYTES / 1024} KiB.`,
      "A template is a markdown checklist; shorten it.",
    );
  }
  const text = templateText(displayPath(paths, path), await Deno.readFile(path));
  return {
    name,
    origin: "project",
    text,
    description: parseTemplate(text).description,
    path,
    overrides: Object.hasOwn(SHIPPED_TEMPLATES, name),
  };
}

/**
 * A template file's text, refused when it cannot be a checklist: bytes that are not UTF-8 text
 * (a NUL, or invalid UTF-8: an image or archive saved under .md) or nothing but whitespace.
 */
function templateText(shown: string, bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = "\0";
  }
  if (text.includes("\0")) {
    throw new UsageError(
      `The template ${shown} is not text; a template is a markdown checklist.`,
      "Replace it with markdown, or remove it.",
    );
  }
  if (text.trim() === "") {
    throw new UsageError(
      `The template ${shown} is empty.`,
      "Write its phases and todos into it, or remove it.",
    );
  }
  return text;
}

async function projectNames(paths: ProjectPaths): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(paths.templates)) {
      if (!entry.name.endsWith(".md")) continue;
      const name = entry.name.slice(0, -3);
      try {
        names.push(checkTemplateName(name));
      } catch {
        // A file mpm could not name on the command line is not a template.
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
      throw error;
    }
  }
  return names;
}

/** Every template by name; a project template replaces the shipped one of its name. */
export async function listTemplates(paths: ProjectPaths): Promise<TemplateSource[]> {
  const own = (await Promise.all(
    (await projectNames(paths)).map((name) => readProjectTemplate(paths, name)),
  )).filter((t): t is TemplateSource => t !== undefined);
  const byName = new Map<string, TemplateSource>();
  for (const name of SHIPPED_TEMPLATE_NAMES) byName.set(name, shipped(name));
  for (const template of own) byName.set(template.name, template);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The template called `name`: the project's own first, then the shipped one. */
export async function findTemplate(paths: ProjectPaths, name: string): Promise<TemplateSource> {
  checkTemplateName(name);
  const own = await readProjectTemplate(paths, name);
  if (own) return own;
  if (Object.hasOwn(SHIPPED_TEMPLATES, name)) return shipped(name);
  const known = (await listTemplates(paths)).map((t) => t.name).join(", ");
  throw new NothingToDo(
    `There is no template called "${name}".`,
    `Templates: ${known}. \`mpm template new ${name}\` creates one.`,
  );
}

/**
 * A template's text: the whole file is free text (a checklist, notes), redacted as it is written.
 */
const TEMPLATE_TEXT: TextFields = { free: [""], exact: [] };

/**
 * Writes a new project template, its text redacted; an existing one is never overwritten.
 * Returns its path.
 */
export async function createTemplate(
  paths: ProjectPaths,
  name: string,
  text: string,
): Promise<string> {
  checkTemplateName(name);
  const path = join(paths.templates, `${name}.md`);
  if (!(await createAtomic(path, await forDisk(TEMPLATE_TEXT, text), { root: paths.base }))) {
    throw new MpmError(
      `${displayPath(paths, path)} already exists; mpm will not overwrite it.`,
      "Edit it, or remove it first to start again.",
    );
  }
  return path;
}
