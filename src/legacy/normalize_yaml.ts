/**
 * A claude-mpm session read from its `.yaml`. Its own module, so that only a run that meets a
 * YAML-only session loads the YAML parser (docs/speed.md says why it is heavy).
 */
// @ts-types="@types/js-yaml"
import { CORE_SCHEMA, load as loadYaml, YAMLException } from "js-yaml";
import { errorText, IntegrityError } from "../kernel/errors.ts";
import { type Normalized, normalizeSnapshot } from "./normalize.ts";
import type { LegacyContext } from "./layouts.ts";

/** A claude-mpm `.yaml` rendering: the same record as its `.json`, dumped by PyYAML. */
export function normalizeYamlSession(text: string, context: LegacyContext): Normalized {
  let raw: unknown;
  try {
    // The YAML 1.2 core schema: a bare date stays a string, as in JSON (not js-yaml's Date).
    raw = loadYaml(text, { schema: CORE_SCHEMA });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    throw new IntegrityError(
      `${context.fileName} is not valid YAML (${errorText(error)}).`,
    );
  }
  return normalizeSnapshot(raw, context);
}
