/**
 * Streams a Codex rollout into mpm's transcript entries (rollout_entries.ts), as Claude Code's
 * transcripts are streamed (claude/transcript/transcript_reader.ts: one line and a read buffer
 * held at most, oversized lines skipped and counted, only regular files opened).
 */
import type { LineParser } from "../../claude/transcript/transcript_reader.ts";
import type { ParseOptions } from "../../claude/transcript/transcript_entries.ts";
import { RolloutParser } from "./rollout_entries.ts";

/** The parser of a rollout's lines, for a reader that streams them itself. */
export function rolloutParser(options: ParseOptions = {}): LineParser {
  return new RolloutParser(options);
}
