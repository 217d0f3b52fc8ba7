/**
 * zod/mini, configured once (English messages, jitless) before any schema is built: for what
 * people write and older tools' files; mpm's own records are checks (kernel/check.ts). Schemas
 * are built on first use (`builtOnce`), not at import.
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config({ ...en(), jitless: true });

// Re-exported whole: esbuild still keeps only the parts used.
export * from "zod/mini";

/** `build`, called on the first call and its result kept. */
export function builtOnce<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
