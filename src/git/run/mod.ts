/** The git adapter: the only part of mpm that runs git. */
export * from "../history/branch.ts";
export * from "../history/commit.ts";
export * from "./exclude.ts";
export * from "../history/history.ts";
export * from "../tree/porcelain.ts";
export * from "./root.ts";
export * from "./run.ts";
export * from "../tree/stash.ts";
export * from "../tree/status.ts";
