/**
 * The Stop hook's thresholds and message near a full context window, apart from resume_file.ts so
 * the rendering loads only when one is crossed.
 */
import { thousands } from "../../kernel/format/numbers.ts";
import type { ContextUsage } from "../../kernel/snapshot.ts";

export const THRESHOLDS = [70, 85, 95] as const;
export type Threshold = typeof THRESHOLDS[number];

/** The highest threshold `percent` has reached, or null below the first. */
export function thresholdReached(percent: number): Threshold | null {
  let reached: Threshold | null = null;
  for (const threshold of THRESHOLDS) if (percent >= threshold) reached = threshold;
  return reached;
}

function count(n: number | null): string {
  return n === null ? "an unknown number of" : thousands(n);
}

export function usageLine(usage: ContextUsage): string {
  const percent = usage.percent === null ? "" : ` (${usage.percent}%)`;
  return `${count(usage.tokens)} / ${count(usage.window)} tokens${percent}`;
}

/** The `systemMessage` shown, naming `/mpm-handoff` and the resume file when one was written. */
export function alertMessage(
  threshold: Threshold,
  usage: ContextUsage,
  resumeFile: string | null,
): string {
  const tokens = `${count(usage.tokens)} of ${count(usage.window)} tokens`;
  const saved = resumeFile ? ` Resume file: ${resumeFile}.` : "";
  if (threshold === 70) {
    return `mpm: the context window is ${usage.percent}% full (${tokens}).${saved} ` +
      "A good moment to finish the current step, run /mpm-handoff, then /clear for a fresh context.";
  }
  if (threshold === 85) {
    return `⚠ mpm: the context window is ${usage.percent}% full (${tokens}).${saved} ` +
      "Start no new work: finish what is in progress, run /mpm-handoff, then /clear.";
  }
  return `‼ mpm: THE CONTEXT WINDOW IS ${usage.percent}% FULL (${tokens}).${saved} ` +
    "Run /mpm-handoff now, before compaction loses details, then /clear.";
}
