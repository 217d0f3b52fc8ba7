/**
 * The records of mpm a replay reads for one session: events.jsonl, checkpoints, handoffs and
 * error records, each only as this machine sealed it; what is left out is said in a note.
 */
import { join } from "../kernel/path.ts";
import { listCheckpoints, savedHere } from "../checkpoints/store.ts";
import { readTextIfExists } from "../disk/read/read.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { judgeErrorRecord } from "../sessions/store/claude/error_record.ts";
import type { ClaudeSession } from "../sessions/store/claude/claude_sessions.ts";
import { handoffIds, listHandoffs } from "../sessions/store/state/claude_store.ts";
import { ensureMachineKey } from "../disk/machine_key.ts";
import { lineSealVerifies } from "../kernel/hashing/line_seal.ts";
import type { CheckpointFacts, ErrorFacts, HandoffFacts, MpmEventLine } from "./record_events.ts";
import { isoTime } from "./timeline.ts";

/** Why a record is left out: not sealed here, so not the person's, whatever key it names. */
const NOT_WRITTEN_HERE = "it was not written by mpm on this machine (it came with the " +
  "repository or from a teammate)";

export interface Span {
  start: string;
  end: string;
}

/** The events.jsonl lines this machine sealed: mpm's own moves; the rest counted in a note. */
export async function readEvents(paths: ProjectPaths, notes: string[]): Promise<MpmEventLine[]> {
  const text = await readTextIfExists(paths.events);
  if (text === undefined) return [];
  const key = await ensureMachineKey();
  const lines: MpmEventLine[] = [];
  let bad = 0;
  let foreign = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    if (key !== null && !await lineSealVerifies(line, key, "events")) {
      foreign++;
      continue;
    }
    try {
      const value = JSON.parse(line);
      if (typeof value?.time === "string" && typeof value?.command === "string") lines.push(value);
      else bad++;
    } catch {
      bad++;
    }
  }
  if (bad > 0) notes.push(`${bad} line(s) of events.jsonl did not parse.`);
  if (foreign > 0) {
    notes.push(`${foreign} line(s) of events.jsonl were left out: ${NOT_WRITTEN_HERE}.`);
  }
  return lines;
}

export async function readCheckpoints(
  paths: ProjectPaths,
  key: string,
  span: Span,
  notes: string[],
): Promise<CheckpointFacts[]> {
  const listed = await listCheckpoints(paths);
  const out: CheckpointFacts[] = [];
  for (const { name, record, error } of listed) {
    if (record === undefined) {
      if (error) notes.push(`Checkpoint ${name} was left out: ${error.message}`);
      continue;
    }
    const saved = isoTime(record.saved_at);
    const ofKey = record.session?.key === key;
    const inSpan = saved !== null && saved >= span.start && saved <= span.end;
    // A checkpoint saved while no session was active belongs to the time it was saved in.
    if (!ofKey && !(record.session == null && inSpan)) continue;
    if (!await savedHere(paths, name, record)) {
      notes.push(`Checkpoint ${name} was left out: ${NOT_WRITTEN_HERE}.`);
      continue;
    }
    out.push({
      name: record.name,
      saved_at: record.saved_at,
      note: record.note ?? null,
      branch: record.git?.branch ?? null,
      head: record.git?.head ?? null,
    });
  }
  return out;
}

/** Claude's handoffs of the session `key`, oldest first; an unreadable one is a note. */
export async function readHandoffs(
  paths: ProjectPaths,
  key: string,
  notes: string[],
): Promise<HandoffFacts[]> {
  if ((await handoffIds(paths)).length === 0) return [];
  const out: HandoffFacts[] = [];
  for (const { id, record, error, own } of await listHandoffs(paths)) {
    if (!record) {
      notes.push(`Handoff ${id} was left out: ${error?.message ?? "it could not be read"}`);
      continue;
    }
    if (record.line !== key) continue;
    // Claude's words in this session only when this machine wrote them (claude_store.ts).
    if (!own) {
      notes.push(`Handoff ${id} was left out: ${NOT_WRITTEN_HERE}.`);
      continue;
    }
    out.push({
      handoff_id: record.handoff_id,
      written_at: record.written_at,
      previous: record.previous,
      goal: record.handoff.goal,
      next_step: record.handoff.next_step,
      claude_session_id: record.claude_session_id,
    });
  }
  return out.reverse();
}

/** The span's error records (by their stamped names) this machine sealed; the rest counted. */
export async function readErrors(
  paths: ProjectPaths,
  span: Span,
  claude: ClaudeSession[],
  notes: string[],
): Promise<ErrorFacts[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(paths.errors)) {
      if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return [];
    }
    throw error;
  }
  const stampOf = (time: string) => time.replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const [from, to] = [stampOf(span.start), stampOf(span.end)];
  const ids = new Set(claude.map((c) => c.id));
  const key = names.length === 0 ? null : await ensureMachineKey();
  const out: ErrorFacts[] = [];
  let foreign = 0;
  for (const name of names.sort()) {
    const stamp = name.slice(0, 15);
    if (stamp < from || stamp > to) continue;
    const judged = await judgeErrorRecord(await readTextIfExists(join(paths.errors, name)), key);
    if (judged === undefined) {
      notes.push(`The error record ${name} did not parse.`);
      continue;
    }
    const data = judged.record;
    // Another Claude session's failure in the same hours is not this session's.
    if (ids.size > 0 && !ids.has(data.claude_session_id)) continue;
    if (!judged.own) {
      foreign++;
      continue;
    }
    out.push({
      time: data.time,
      tool: data.tool,
      error: data.error,
      claude_session_id: data.claude_session_id,
    });
  }
  if (foreign > 0) {
    notes.push(`${foreign} error record(s) were left out: ${NOT_WRITTEN_HERE}.`);
  }
  return out;
}
