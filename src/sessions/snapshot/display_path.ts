/**
 * How mpm names a project's file in a message. Apart from store.ts so that what only names files
 * (state_store.ts, taken by every command that changes state before it starts git) does not load
 * the snapshot reading and writing code with it.
 */
import { sep } from "../../kernel/path.ts";
import type { ProjectPaths } from "../../disk/paths.ts";

/** A path relative to the project, for messages: "/"-separated on every platform, like git's. */
export function displayPath(paths: ProjectPaths, file: string): string {
  return file.startsWith(paths.root + sep)
    ? file.slice(paths.root.length + 1).split(sep).join("/")
    : file;
}
