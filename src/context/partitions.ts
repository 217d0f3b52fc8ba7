/** Context partitions, `.claude/context/<name>.md`; a name is checked before use. Pure. */
import { UsageError } from "../kernel/errors.ts";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `name` when it can be a partition's file name; else a one-sentence refusal. */
export function checkPartitionName(name: string): string {
  if (name.includes("/") || name.includes("\\") || name.includes("..") || !NAME.test(name)) {
    throw new UsageError(
      `${JSON.stringify(name)} is not a partition name: use letters, digits, ".", "_" and "-" ` +
        `(no "/" or ".."), e.g. backend.`,
    );
  }
  return name;
}

/** The partition name of a file name in `.claude/context/`, or undefined for other files. */
export function partitionOfFile(file: string): string | undefined {
  const match = file.match(/^(.+)\.md$/);
  if (!match) return undefined;
  try {
    return checkPartitionName(match[1]);
  } catch {
    return undefined;
  }
}
