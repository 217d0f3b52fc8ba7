/**
 * The build's stamp. scripts/build/build.ts and scripts/build/bundle.ts overwrite this file in the
 * temporary copy of the source they build from; the committed version stays empty, so a run from
 * the work tree reports a dev build.
 */
export const STAMP: { build?: string } = {};
