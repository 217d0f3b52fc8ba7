/**
 * zod, configured once for mpm: every schema module imports zod from here, so the settings are
 * in place before any schema is built or parses (zod reads them then). zod checks what people
 * write and older tools' files (command inputs, config files, claude-mpm's layouts); mpm's own
 * records are declared once as checks (kernel/check.ts).
 *
 * `zod/mini`, not classic zod: the same validators (both are zod's core, so a schema accepts,
 * rejects, defaults and words its issues exactly as before), built with functions
 * (`z.optional(x)`, `x.check(z.minLength(1))`) instead of methods, so a bundle carries only what
 * mpm uses, and loads in a fraction of classic zod's time (~6 against ~13-18 ms).
 *
 * Schemas are built on first use, not at import: each schema module builds its own in a
 * `buildSchemas()` behind an accessor made by `builtOnce` (`legacySchemas()`, `inputSchemas()`,
 * ...), its types taken from what that returns. Building them is mostly zod compiling its own
 * functions on first use, which a process that never reads a snapshot need not pay.
 *
 * The English messages: classic zod installs them itself; mini has none (every issue would say
 * only "Invalid input"), and mpm shows the first issue's message when a file breaks its schema.
 * Only the English locale is imported, not all of `z.locales`.
 *
 * jitless: zod 4 compiles a fast path (`new Function`) for each object schema on its first
 * parse, which pays off over thousands of parses; an mpm process parses a few files and ends,
 * so compiling costs more than it saves. Validation is the same either way.
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config({ ...en(), jitless: true });

// Re-exported whole, imported as a namespace (`import * as z`): esbuild still keeps only the
// parts used.
export * from "zod/mini";

/**
 * `build`, called on the first call and its result kept: how a schema module builds its schemas
 * on first use (`export const legacySchemas = z.builtOnce(buildSchemas)`; see above for why).
 */
export function builtOnce<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
