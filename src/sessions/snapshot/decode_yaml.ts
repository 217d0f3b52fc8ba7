/**
 * Reading a YAML-only session (what claude-mpm wrote). Apart from decode.ts so that the YAML
 * parser is loaded only by a run that reads one: store.ts imports this when it meets one.
 */
import type { Normalized } from "../../legacy/normalize.ts";
import { normalizeYamlSession } from "../../legacy/normalize_yaml.ts";
import type { DecodeContext } from "./decode.ts";

/**
 * A claude-mpm session that exists only as YAML. `legacy` says whose it is: "mpm" is mpm's own
 * rendering of a record, which is never read back.
 */
export function decodeYamlSnapshot(text: string, context: DecodeContext): Normalized {
  return normalizeYamlSession(text, { fileName: context.file, projectPath: context.projectPath });
}
