/** Putting a vaulted rollout back for `codex resume <id>`, paths moved, never over Codex's own. */
import { isRecord as isObject } from "../../kernel/check.ts";
import { join } from "../../kernel/path.ts";
import type { PathMove } from "../../claude/transcript/restore_lines.ts";
import { changedLine, moveAll, refuseName } from "../place/place_lines.ts";
import { rolloutNameProblem, sessionsFolder } from "./rollout_files.ts";
import { contentText } from "./rollout_entries.ts";

/** What a rollout's first lines say: the folder it ran in and the Codex that wrote it. */
export interface RolloutFacts {
  cwd: string | null;
  versions: string[];
}

/** Folds one line into the facts (the first `session_meta` names the folder). */
export function foldRolloutFacts(facts: RolloutFacts, line: string): void {
  if (!line.includes('"session_meta"')) return;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return;
  }
  if (!isObject(value) || value.type !== "session_meta" || !isObject(value.payload)) return;
  const { cwd, cli_version: version } = value.payload;
  if (facts.cwd === null && typeof cwd === "string") facts.cwd = cwd;
  if (typeof version === "string" && !facts.versions.includes(version)) {
    facts.versions.push(version);
  }
}

/** One rollout line with paths moved where Codex reads a folder; any other line byte for byte. */
export function moveRolloutLine(line: string, move: PathMove): string {
  if (move.from === move.to || !line.includes(move.from)) return line;
  return changedLine(line, (value) => {
    const out = { ...value };
    const type = value.type;
    if (type === "session_meta" || type === "turn_context" || type === "world_state") {
      out.payload = moveAll(value.payload, move, 8);
    } else if (type === "response_item" && isObject(value.payload)) {
      const item = value.payload;
      const environment = item.type === "message" &&
        /^\s*<environment_context>/.test(contentText(item.content));
      if (environment) out.payload = moveAll(item, move, 8);
    }
    return out;
  });
}

/** Where session `id`'s rollout goes under Codex's folder `codex`, its name checked first. */
export function rolloutTarget(codex: string, id: string, rel: string): string {
  refuseName(rolloutNameProblem(id, rel));
  return join(sessionsFolder(codex), ...rel.split("/"));
}
