/**
 * Whether mpm can write where it keeps its files: in `.claude-mpm/` and its folders, a file is
 * made and removed again, as every saving command makes and renames its own. The modes say only
 * part of it: a read-only mount, an immutable folder (`chattr +i`), a folder another user owns
 * (to root, every mode allows everything) stop each write while the modes look right.
 * doctor/judges/judge_writable.ts judges what is found.
 *
 * The probe is the one thing doctor writes, and it leaves nothing: the file is named as the disk
 * writer names its temp files (`.NAME.PID.RANDOM.tmp`), so one a killed doctor left is swept as
 * theirs are (disk/sweep.ts), and one that cannot be removed is named for the person to remove.
 */
import { join } from "../../kernel/path.ts";
import { errorText, faultError } from "../../kernel/errors.ts";
import { createAtomic, removeFile } from "../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import type { TreeNode } from "../judges/judge.ts";
import type { WriteProbe } from "../judges/judge_writable.ts";

/**
 * The folders whose own folders are probed too: a few, known. The others hold one folder per
 * session or conversation (threads/, vault/, hooks-state/), hundreds in an old project, each made
 * by a write in the folder above, which is probed.
 */
const PROBED_INSIDE = new Set(["sessions", "handoffs", "backups"]);

function probed(node: TreeNode): boolean {
  if (node.kind !== "dir") return false; // a link is followed by no write (disk/files/atomic.ts)
  const parts = node.rel === "" ? [] : node.rel.split("/");
  return parts.length <= 1 || (parts.length === 2 && PROBED_INSIDE.has(parts[0]));
}

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : null;
}

/**
 * Makes and removes a file in `.claude-mpm/` and each of its folders (the scanned `tree`); the
 * folders where either fails, with the system's code. Nothing is left unless a removal fails.
 */
export async function probeWritable(
  paths: ProjectPaths,
  tree: readonly TreeNode[],
): Promise<WriteProbe[]> {
  const found = await Promise.all(
    tree.filter(probed).map(async (node) => {
      const random = crypto.getRandomValues(new Uint32Array(1))[0];
      const file = join(node.path, `.doctor-probe.${Deno.pid}.${random}.tmp`);
      // Bounded by the project's root, not `.claude-mpm/`: the writer narrows the modes of the
      // folders under `.claude-mpm/` it writes in, and doctor reports modes, never changes them.
      const options = { root: paths.root };
      try {
        if (!await createAtomic(file, "", options)) return undefined; // the name was taken
      } catch (error) {
        return failed(node, error);
      }
      try {
        await removeFile(file, options);
      } catch (error) {
        return { ...failed(node, error), left: file };
      }
      return undefined;
    }),
  );
  return found.filter((probe) => probe !== undefined);
}

function failed(node: TreeNode, error: unknown): WriteProbe {
  return {
    rel: node.rel,
    path: node.path,
    code: codeOf(error),
    text: errorText(error),
    hint: faultError(error)?.hint,
  };
}
