/**
 * zod, configured once for mpm: every schema module imports zod from here, so the setting is in
 * place before any schema is built (zod reads it when a schema is made).
 *
 * jitless: zod 4 compiles a fast path (`new Function`) for each object schema on its first
 * parse, which pays off over thousands of parses; an mpm process parses a few files and ends,
 * so compiling cost more than it saved: ~4 ms of `mpm hook session-start` and of `mpm list`
 * (issue 17, bench, medians over the floor). Validation is the same either way.
 */
import { config } from "zod";

config({ jitless: true });

// Re-exported whole, imported as a namespace (`import * as z`): esbuild still keeps only the
// parts used (a re-exported `z` object would pull in all of zod, its 60 locales included).
export * from "zod";
