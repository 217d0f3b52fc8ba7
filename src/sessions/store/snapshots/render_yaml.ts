/**
 * The `.yaml` rendering: the same record as the JSON, for people who edit YAML.
 *
 * js-yaml, not `yaml`: a pause writes this file every time, and `yaml` loads many times slower
 * (docs/speed.md has the figures). js-yaml also quotes what a YAML 1.1 reader (PyYAML, claude-mpm)
 * would take for a boolean or a date — `'yes'`, `'2025-01-01T00:00:00Z'` — where `yaml` wrote
 * them bare; both read back to the same record.
 */
// @ts-types="@types/js-yaml"
import { dump } from "js-yaml";
import type { Snapshot } from "../../../kernel/snapshot.ts";

export function renderYaml(snapshot: Snapshot): string {
  // lineWidth -1: never fold a long line; noRefs: a repeated object is written out, not aliased;
  // skipInvalid: an undefined field is left out, as JSON.stringify leaves it out.
  return dump(snapshot, { lineWidth: -1, noRefs: true, skipInvalid: true });
}
