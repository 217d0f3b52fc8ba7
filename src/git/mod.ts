/** The git adapter: the only part of mpm that runs git. */
export * from "./branch.ts";
export * from "./commit.ts";
export * from "./exclude.ts";
export * from "./history.ts";
export * from "./porcelain.ts";
export * from "./root.ts";
export * from "./run.ts";
export * from "./stash.ts";
export * from "./status.ts";
