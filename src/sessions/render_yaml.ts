/** The `.yaml` rendering: the same record as the JSON, for people who edit YAML. */
import YAML from "yaml";
import type { Snapshot } from "../kernel/snapshot.ts";

export function renderYaml(snapshot: Snapshot): string {
  return YAML.stringify(snapshot, { lineWidth: 0 });
}
