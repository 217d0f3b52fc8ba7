/**
 * SessionStart's handoff part: after `/clear` (or at a `startup` within a few hours of it), the
 * newest handoff Claude wrote for the session the session part tells, given once and
 * marked given to the Claude session starting (sessions/store/records/handoff/claude_record.ts
 * decides which; claude_render.ts fences it as Claude's earlier words). It comes after the session
 * part, so the person's own words are read first.
 *
 * Most starts have no handoff: the folder is listed and nothing else is loaded. The record
 * code (its check, the snapshot's) loads only when a handoff is there to read.
 */
import { errorText } from "../../kernel/errors.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { anyHandoff } from "../../sessions/store/state/peek.ts";
import type { ContextPart } from "../../context/inject/assemble.ts";

/** Handoffs read, newest first, to find the session's newest. */
const HANDOFFS_TRIED = 20;

export interface HandoffPartInput {
  paths: ProjectPaths;
  now: Date;
  /** SessionStart's `source`; undefined is `mpm context --preview` (the next `startup`). */
  source?: string;
  /** The key of the session the session part tells; null when there is none. */
  line: string | null;
  /** The Claude Code session starting: the handoff is marked given to it. Absent: a preview. */
  claudeSession?: string;
  /** Problems worth telling, as the other parts report theirs. */
  warnings: string[];
}

export async function handoffPart(input: HandoffPartInput): Promise<ContextPart | null> {
  const source = input.source ?? "startup";
  if (source !== "clear" && source !== "startup") return null;
  if (!(await anyHandoff(input.paths))) return null;
  try {
    const [store, record, render] = await Promise.all([
      import("../../sessions/store/state/claude_store.ts"),
      import("../../sessions/store/records/handoff/claude_record.ts"),
      import("../../sessions/store/snapshots/claude_render.ts"),
    ]);
    const [listed, given] = await Promise.all([
      store.listHandoffs(input.paths, HANDOFFS_TRIED),
      store.givenIds(input.paths),
    ]);
    const chosen = record.handoffForStart(store.dated(listed), given, {
      line: input.line,
      source,
      now: input.now,
      claudeSession: input.claudeSession,
    });
    if (chosen === null) return null;
    const id = chosen.record.handoff_id;
    if (input.claudeSession !== undefined) {
      const first = await store.markGiven(input.paths, {
        handoff: id,
        claude_session: input.claudeSession,
        source,
        given_at: input.now.toISOString(),
      });
      // Another Claude session starting at the same moment took it.
      if (!first) return null;
    }
    return {
      title: "Handoff Claude wrote for this conversation",
      source: store.handoffShown(id),
      text: render.handoffInjection(chosen.record),
    };
  } catch (error) {
    input.warnings.push(`Claude's handoff was not read (${errorText(error)}).`);
    return null;
  }
}
