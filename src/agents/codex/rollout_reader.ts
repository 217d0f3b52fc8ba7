/** Streams a Codex rollout into mpm's entries, as transcript_reader.ts streams Claude Code's. */
import type { LineParser } from "../../claude/transcript/transcript_reader.ts";
import type { ParseOptions } from "../../claude/transcript/transcript_entries.ts";
import { RolloutParser } from "./rollout_entries.ts";

/** The parser of a rollout's lines, for a reader that streams them itself. */
export function rolloutParser(options: ParseOptions = {}): LineParser {
  return new RolloutParser(options);
}
