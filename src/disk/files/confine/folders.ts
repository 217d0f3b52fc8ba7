/**
 * mpm's folders: made 0700 with their parents, narrowed when someone else made them wider, and
 * flushed after the renames in them.
 */
import { basename, dirname, resolve } from "../../../kernel/path.ts";
import { MpmError } from "../../../kernel/errors.ts";
import { faultPoint } from "../faults/fault_point.ts";
import { isInside } from "./confine.ts";

export const IS_WINDOWS = Deno.build.os === "windows";
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** Creates `dir` and its missing parents with mode 0700. */
// deno-lint-ignore require-await
export async function ensureDir(dir: string): Promise<void> {
  ensureDirSync(dir);
}

function ensureDirSync(dir: string): void {
  try {
    const info = Deno.lstatSync(dir);
    if (info.isDirectory) return;
    if (info.isSymlink) {
      const target = Deno.statSync(dir);
      if (target.isDirectory) return;
    }
    throw new MpmError(`${dir} exists but is not a folder.`, "Move it away and try again.");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  ensureDirSync(dirname(dir));
  try {
    faultPoint(dir, "mkdir");
    Deno.mkdirSync(dir, { mode: DIR_MODE });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  if (!IS_WINDOWS) Deno.chmodSync(dir, DIR_MODE);
}

/** ensureDir, narrowing inside mpm's folder one made wider (a clone's 0755) to 0700. */
export function ensurePrivateDir(dir: string, root: string): void {
  ensureDirSync(dir);
  if (IS_WINDOWS || basename(root) !== ".claude-mpm") return;
  for (let at = resolve(dir); isInside(resolve(root), at); at = dirname(at)) {
    let info: Deno.FileInfo | undefined;
    try {
      info = Deno.lstatSync(at);
    } catch {
      info = undefined;
    }
    if (info?.isDirectory && info.mode !== null && (info.mode & 0o077) !== 0) {
      try {
        Deno.chmodSync(at, DIR_MODE);
      } catch {
        // Not ours to narrow (another owner): the files inside are still 0600.
      }
    }
    if (at === resolve(root)) break;
  }
}

export async function syncDir(dir: string): Promise<void> {
  if (IS_WINDOWS) return;
  try {
    using handle = await Deno.open(dir, { read: true });
    await handle.sync();
  } catch {
    // Some file systems cannot fsync a folder; the rename is still atomic there.
  }
}
