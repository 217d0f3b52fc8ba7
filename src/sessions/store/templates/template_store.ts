/**
 * Where templates come from: the shipped ones, embedded as text imports, and the project's own
 * `.claude-mpm/templates/NAME.md`, which win on a name clash.
 */
import { dirname, isAbsolute, join, relative, resolve, sep } from "../../../kernel/path.ts";
import { errorText, IntegrityError, MpmError, NothingToDo } from "../../../kernel/errors.ts";
import { checkTemplateName, parseTemplate } from "./templates.ts";
import bugfix from "../../../../templates/bugfix.md" with { type: "text" };
import codeReview from "../../../../templates/code-review.md" with { type: "text" };
import feature from "../../../../templates/feature.md" with { type: "text" };
import hotfix from "../../../../templates/hotfix.md" with { type: "text" };
import refactor from "../../../../templates/refactor.md" with { type: "text" };
import { createAtomic } from "../../../disk/files/atomic.ts";
import { lstatIfExists } from "../../../disk/read/stat.ts";
import { UnsafePathError } from "../../../disk/files/confine/confine.ts";
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

/** Project template `name`, or undefined; a link out of the project (a clone's) refused unread. */
async function readProjectTemplate(
  paths: ProjectPaths,
  name: string,
): Promise<TemplateSource | undefined> {
  const path = join(paths.templates, `${name}.md`);
  const shown = displayPath(paths, path);
  try {
    if (await lstatIfExists(path) === undefined) return undefined;
    const real = await leadsTo(path);
    refuseOutside(paths, shown, real);
    const info = await Deno.stat(real).catch((error) => {
      // A link to nothing inside the project is no template, as a missing file is none.
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    });
    if (!info?.isFile) return undefined;
    if (info.size > MAX_BYTES) {
      throw new IntegrityError(
        `The template ${shown} is larger than ${MAX_BYTES / 1024} KiB.`,
        "A template is a markdown checklist; shorten it, or remove it.",
      );
    }
    const text = templateText(shown, await Deno.readFile(real));
    return {
      name,
      origin: "project",
      text,
      description: parseTemplate(text).description,
      path,
      overrides: Object.hasOwn(SHIPPED_TEMPLATES, name),
    };
  } catch (error) {
    if (error instanceof MpmError) throw error;
    throw new MpmError(
      `Could not read the template ${shown}: ${errorText(error)}.`,
      "Check that you can read it (`ls -l` shows its owner), or remove it.",
    );
  }
}

/** Where `path` leads with its links resolved; a link to nothing is judged by where it points. */
async function leadsTo(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    const folder = await Deno.realPath(dirname(path)).catch(() => dirname(path));
    return resolve(folder, await Deno.readLink(path));
  }
}

/** Refuses a template whose path, links resolved (`real`), lies outside the project. */
function refuseOutside(paths: ProjectPaths, shown: string, real: string): void {
  const rel = relative(Deno.realPathSync(paths.root), real);
  if (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) return;
  throw new UnsafePathError(
    `Refusing to read the template ${shown}: it leads through a symbolic link to ${real}, outside the project.`,
    "Remove the link, or make it lead inside the project; mpm read nothing through it.",
  );
}

/** A template file's text; not UTF-8 text (NUL, invalid) or only whitespace: damaged (exit 4). */
function templateText(shown: string, bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = "\0";
  }
  if (text.includes("\0")) {
    throw new IntegrityError(
      `The template ${shown} is not text; a template is a markdown checklist.`,
      "Replace it with markdown, or remove it.",
    );
  }
  if (text.trim() === "") {
    throw new IntegrityError(
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

/** A project template mpm would not read: its name, its file, and why, with what to do. */
export interface RefusedTemplate {
  name: string;
  origin: "project";
  path: string;
  error: MpmError;
}

export type ListedTemplate = TemplateSource | RefusedTemplate;

export function isRefused(template: ListedTemplate): template is RefusedTemplate {
  return "error" in template;
}

/** Project template `name` as a list shows it: read, absent, or refused with its reason. */
async function listedProjectTemplate(
  paths: ProjectPaths,
  name: string,
): Promise<ListedTemplate | undefined> {
  try {
    return await readProjectTemplate(paths, name);
  } catch (error) {
    if (!(error instanceof MpmError)) throw error;
    return { name, origin: "project", path: join(paths.templates, `${name}.md`), error };
  }
}

/** Every template by name, the project's (or its refusal) replacing the shipped one. */
export async function listTemplates(paths: ProjectPaths): Promise<ListedTemplate[]> {
  const own = (await Promise.all(
    (await projectNames(paths)).map((name) => listedProjectTemplate(paths, name)),
  )).filter((t): t is ListedTemplate => t !== undefined);
  const byName = new Map<string, ListedTemplate>();
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

/** A template is free text throughout, redacted as it is written. */
const TEMPLATE_TEXT: TextFields = { free: [""], exact: [] };

/** Writes a new project template, redacted, never over an existing one; returns its path. */
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
