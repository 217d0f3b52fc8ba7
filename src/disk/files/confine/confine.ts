/**
 * Where a write may go: inside its root (normally `.claude-mpm/`), never through a symbolic link
 * that leads out of it, and never through a `.claude-mpm` that is itself a link out of the project.
 */
import { basename, dirname, join, relative, resolve, sep } from "../../../kernel/path.ts";
import { MpmError } from "../../../kernel/errors.ts";
import { realPathOr } from "../../read/stat.ts";

/** Thrown when a path would leave the folder it must stay in. */
export class UnsafePathError extends MpmError {}

export interface WriteOptions {
  /** The folder no write may leave (normally `.claude-mpm/`). */
  root: string;
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

const STORE = ".claude-mpm";

/** Where `.claude-mpm` leads when a link out of the project (a clone can commit one). */
// deno-lint-ignore require-await
export async function linkedStoreTarget(project: string): Promise<string | undefined> {
  return linkedStoreTargetSync(project);
}

function linkedStoreTargetSync(project: string): string | undefined {
  const base = join(project, STORE);
  let info: Deno.FileInfo | undefined;
  try {
    info = Deno.lstatSync(base);
  } catch {
    info = undefined;
  }
  if (!info?.isSymlink) return undefined;
  let target: string;
  try {
    target = Deno.realPathSync(base);
  } catch {
    target = resolve(project, Deno.readLinkSync(base));
  }
  return isInside(realPathOr(project), target) ? undefined : target;
}

// deno-lint-ignore require-await
export async function refuseLinkedStore(project: string): Promise<void> {
  refuseLinkedStoreSync(project);
}

function refuseLinkedStoreSync(project: string): void {
  const target = linkedStoreTargetSync(project);
  if (target === undefined) return;
  throw new UnsafePathError(
    `Refusing to use ${
      join(project, STORE)
    }: it is a symbolic link to ${target}, outside the project.`,
    `Remove the link (rm ${join(project, STORE)}; what it points to is kept) and run mpm again.`,
  );
}

/** Resolves `path`'s deepest existing ancestor, refused outside `root` (resolved too). */
// deno-lint-ignore require-await
export async function confine(root: string, path: string): Promise<string> {
  return confineSync(root, path);
}

export function confineSync(root: string, path: string): string {
  if (basename(root) === STORE) refuseLinkedStoreSync(dirname(root));
  const realRoot = realPathOr(root);
  let existing = resolve(path);
  const rest: string[] = [];
  while (true) {
    let real: string;
    try {
      real = Deno.realPathSync(existing);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      const parent = dirname(existing);
      if (parent === existing) return resolve(path);
      rest.unshift(basename(existing));
      existing = parent;
      continue;
    }
    const full = join(real, ...rest);
    if (!isInside(realRoot, full)) {
      // A link is the reason only when the path, as written, lies inside the folder.
      const written = resolve(path);
      const linked = isInside(resolve(root), written) || isInside(realRoot, written);
      throw new UnsafePathError(
        linked
          ? `Refusing to change ${path}: it leads outside ${root} through a symbolic link.`
          : `Refusing to change ${path}: it lies outside ${root}.`,
        linked
          ? "Remove the link or point it inside the folder."
          : "Nothing was changed there: mpm writes only inside that folder.",
      );
    }
    return full;
  }
}

/** Refuses to replace a symbolic link or a folder at `target`: mpm writes only regular files. */
export function refuseSymlink(target: string, shown: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(target);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  if (info.isSymlink) {
    throw new UnsafePathError(
      `Refusing to write ${shown}: it is a symbolic link.`,
      "Remove the link; mpm writes only regular files.",
    );
  }
  if (info.isDirectory) {
    // Else the rename fails with EISDIR, which reads as a bug in mpm.
    throw new UnsafePathError(
      `Refusing to write ${shown}: it is a folder, where mpm keeps a file.`,
      "Move the folder out of the way (mpm writes only regular files there), then run the " +
        "command again.",
    );
  }
}
