/** Putting a vaulted rollout back for `codex resume <id>`, paths moved, never over Codex's own. */
import { isRecord as isObject } from "../../kernel/check.ts";
import { join } from "../../kernel/path.ts";
import { type PathMove, relocateText } from "../../claude/transcript/restore_lines.ts";
import { rolloutNameProblem, sessionsFolder } from "./rollout_files.ts";
import { contentText } from "./rollout_entries.ts";

type Json = Record<string, unknown>;

function moveAll(value: unknown, move: PathMove, depth = 0): unknown {
  if (typeof value === "string") return relocateText(value, { paths: [move], names: [] });
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => moveAll(v, move, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, moveAll(v, move, depth + 1)]),
  );
}

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
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return line;
  }
  if (!isObject(value)) return line;
  const out = { ...value };
  const type = value.type;
  if (type === "session_meta" || type === "turn_context" || type === "world_state") {
    out.payload = moveAll(value.payload, move);
  } else if (type === "response_item" && isObject(value.payload)) {
    const item = value.payload;
    const environment = item.type === "message" &&
      /^\s*<environment_context>/.test(contentText(item.content));
    if (environment) out.payload = moveAll(item, move);
  }
  const moved = JSON.stringify(out);
  return moved === JSON.stringify(value) ? line : moved;
}

/** Thrown when the rollout cannot be put back: one sentence and what to do. */
export class RolloutPlaceError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

/** Where session `id`'s rollout goes under Codex's folder `codex`, its name checked first. */
export function rolloutTarget(codex: string, id: string, rel: string): string {
  const problem = rolloutNameProblem(id, rel);
  if (problem !== null) {
    throw new RolloutPlaceError(
      `The vault's copy is not put back: ${problem}.`,
      "Run `mpm doctor`; a copy someone else made may have been altered.",
    );
  }
  return join(sessionsFolder(codex), ...rel.split("/"));
}
