/**
 * Whether mpm can write its folders, by making and removing a file in each (modes miss read-only
 * mounts and immutable folders); named like the writer's temp files so a killed doctor's is swept.
 */
import { join } from "../../kernel/path.ts";
import { errorText, faultError } from "../../kernel/errors.ts";
import { createAtomic, removeFile } from "../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import type { TreeNode } from "../judges/judge.ts";
import type { WriteProbe } from "../judges/judge_writable.ts";

/** Folders whose sub-folders are probed too (the others' are made by writes in them). */
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

/** Makes and removes a file in each folder; those where that fails, with the code. */
export async function probeWritable(
  paths: ProjectPaths,
  tree: readonly TreeNode[],
): Promise<WriteProbe[]> {
  const found = await Promise.all(
    tree.filter(probed).map(async (node) => {
      const random = crypto.getRandomValues(new Uint32Array(1))[0];
      const file = join(node.path, `.doctor-probe.${Deno.pid}.${random}.tmp`);
      // Bounded by the project's root: doctor reports `.claude-mpm/`'s modes, never narrows them.
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
