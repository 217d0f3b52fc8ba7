/**
 * The work tree as one command looks at it (status, HEAD's tree, hashed dirty files, a mark's
 * capture), each begun at most once and passed down explicitly. A command stops passing its
 * look before it moves the tree; without a look, each asks the tree itself.
 */
import type { GitStatus } from "../../../git/tree/porcelain.ts";
import { readStatus } from "../../../git/tree/status.ts";
import { lookAtFiles, type OnDisk } from "../../../git/objects/blobs.ts";
import type { MarkCapture } from "../../../git/objects/work_keep.ts";
import { startEarly } from "../../../kernel/early.ts";

/** One command's look at a work tree: made by `lookAt`, passed down explicitly. */
export interface WorkLook {
  /** The status the look stands on: given by the command, or read when it began. */
  status: Promise<GitStatus | null>;
  /** HEAD's tree, read with a given status; undefined when not known. */
  tree?: string | null;
  /** The uncommitted files looked at (blobs written), when the look was asked to. */
  files?: Promise<Map<string, OnDisk> | null>;
  /** The capture for a mark, begun on first need. */
  capture?: Promise<MarkCapture | null>;
}

export interface LookFrom {
  /** The status the command read (under the lock); read now when absent. */
  status?: GitStatus;
  /** HEAD's tree, read with that status. */
  tree?: string | null;
  /** Uncommitted paths to hash at once, for the snapshot's blobs and the mark alike. */
  files?: readonly string[];
  /** Begin the mark's capture now too, rather than when the first mark is recorded. */
  capture?: boolean;
}

/** Begins a look at the work tree at `root`. */
export function lookAt(root: string, from: LookFrom = {}): WorkLook {
  const given = from.status;
  const look: WorkLook = {
    status: given ? Promise.resolve(given) : startEarly(() => readStatus(root)),
    tree: from.tree,
  };
  const files = from.files;
  if (files) look.files = startEarly(() => lookAtFiles(root, files, { write: true }));
  if (from.capture) markCapture(root, look);
  return look;
}

/** The status `look` stands on; a status read now where there is no look. */
export function lookedStatus(root: string, look?: WorkLook): Promise<GitStatus | null> {
  return look?.status ?? readStatus(root);
}

/** The uncommitted files `look` hashed; undefined where it hashed none. */
export async function lookedFiles(
  look?: WorkLook,
): Promise<ReadonlyMap<string, OnDisk> | undefined> {
  return (await look?.files?.catch(() => null)) ?? undefined;
}

/** The files `look` captured for its mark as blob ids (null: absent); undefined: none captured. */
export async function capturedBlobs(
  look?: WorkLook,
): Promise<ReadonlyMap<string, string | null> | undefined> {
  const capture = await look?.capture?.catch(() => null);
  if (!capture || !("looked" in capture)) return undefined;
  const files = capture.looked.files;
  const blobs = new Map<string, string | null>();
  for (const [path, onDisk] of files) {
    if (onDisk.kind === "file") blobs.set(path, onDisk.blob);
    else if (onDisk.kind === "absent") blobs.set(path, null);
  }
  return blobs;
}

/** The work tree captured for a mark: the look's, or one of its own. */
export function markCapture(root: string, look?: WorkLook): Promise<MarkCapture | null> {
  const capture = async (look?: WorkLook) => {
    const { captureForMark } = await import("../../../git/objects/work_keep.ts");
    if (!look) return await captureForMark(root);
    const [status, files] = await Promise.all([
      look.status.catch(() => null),
      look.files?.catch(() => null),
    ]);
    return await captureForMark(root, status ?? undefined, look.tree, files ?? undefined);
  };
  if (!look) return capture();
  return look.capture ??= startEarly(() => capture(look));
}
