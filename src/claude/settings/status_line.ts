/**
 * mpm's part of Claude Code's status line, in a settings file: `statusLine: {"type": "command",
 * "command": …}`. Pure: text in, text out, edited in place like the hooks (settings.ts).
 *
 * A status line the person already has is kept: its command becomes a small shell script that
 * runs theirs first, then `mpm statusline` with the same input, and prints mpm's part after
 * their last line. Their command sits in it unchanged between two fixed pieces of text, so
 * uninstall finds it again and puts it back exactly; and it runs in the shell Claude Code runs
 * status lines in, as it did before. Where mpm cannot be found, their line still shows alone.
 */
import { appendElement, lastMember, loadSettings, removeElement } from "./settings.ts";
import type { JsonObject } from "../session/json_text.ts";

/** mpm's own status line: `MPM_BIN` when set (as the hook scripts honour it), else `mpm` on PATH. */
export const MPM_STATUS_LINE = '"${MPM_BIN:-mpm}" statusline';

const WRAP_BEFORE = "mpm_in=$(cat); mpm_theirs=$(printf '%s\\n' \"$mpm_in\" | (\n";
const WRAP_AFTER = "\n)); mpm_ours=$(printf '%s\\n' \"$mpm_in\" | " + MPM_STATUS_LINE +
  " 2>/dev/null); printf '%s\\n' \"$mpm_theirs${mpm_theirs:+${mpm_ours:+ | }}$mpm_ours\"";

/** A command that already runs `mpm statusline` (a path to mpm, or mpm on PATH). */
const RUNS_MPM = /(?:^|[\s/"'])mpm["']?\s+statusline\b/;

/** A person's status line command with mpm's part after it. */
export function wrapStatusLine(theirs: string): string {
  return WRAP_BEFORE + theirs + WRAP_AFTER;
}

/** The person's own command inside a wrapped one; undefined for any other command. */
export function unwrapStatusLine(command: string): string | undefined {
  if (!command.startsWith(WRAP_BEFORE) || !command.endsWith(WRAP_AFTER)) return undefined;
  if (command.length < WRAP_BEFORE.length + WRAP_AFTER.length) return undefined;
  return command.slice(WRAP_BEFORE.length, command.length - WRAP_AFTER.length);
}

/**
 * What a settings file's status line is: none; mpm's own; the person's with mpm's part after
 * it (wrapped); the person's alone (theirs); or something mpm does not touch (not a command).
 */
export type StatusLineKind = "none" | "mpm" | "wrapped" | "theirs" | "other";

export type StatusLineAction = "added" | "wrapped" | "present" | "kept";

export type StatusLineEdit =
  | { ok: true; text: string; action: StatusLineAction }
  | { ok: false; message: string };

export type StatusLineRemoval =
  | { ok: true; text: string; action: "removed" | "restored" | "none" }
  | { ok: false; message: string };

interface Found {
  kind: StatusLineKind;
  root: JsonObject;
  /** The `command` string's node, when the status line is a command. */
  command?: { start: number; end: number; value: string };
}

function find(text: string): Found | { error: string } {
  const loaded = loadSettings(text);
  if ("error" in loaded) return { error: loaded.error.message };
  const root = loaded.root;
  const member = lastMember(root, "statusLine");
  if (member === undefined) return { kind: "none", root };
  const value = member.value;
  if (value.kind !== "object") return { kind: "other", root };
  const type = lastMember(value, "type")?.value;
  const command = lastMember(value, "command")?.value;
  if (
    type?.kind !== "scalar" || type.value !== "command" || command?.kind !== "scalar" ||
    typeof command.value !== "string"
  ) {
    return { kind: "other", root };
  }
  const found = { start: command.start, end: command.end, value: command.value };
  const kind = command.value === MPM_STATUS_LINE
    ? "mpm"
    : unwrapStatusLine(command.value) !== undefined
    ? "wrapped"
    : "theirs";
  return { kind, root, command: found };
}

/** The status line a settings text holds (none for a missing or empty file). */
export function statusLineKind(text: string | undefined): StatusLineKind | "unreadable" {
  if (text === undefined || text.trim() === "") return "none";
  const found = find(text);
  return "error" in found ? "unreadable" : found.kind;
}

/**
 * Adds mpm's status line: mpm's own where there is none, mpm's part after the person's where
 * they have one; a status line that is not a command (or not one mpm can read) is kept as it is.
 * Idempotent.
 */
export function installStatusLine(existing: string | undefined): StatusLineEdit {
  const text = existing === undefined || existing.trim() === "" ? "{}\n" : existing;
  const found = find(text);
  if ("error" in found) return { ok: false, message: found.error };
  switch (found.kind) {
    case "none":
      return {
        ok: true,
        text: appendElement(text, found.root, {
          key: "statusLine",
          value: { type: "command", command: MPM_STATUS_LINE },
        }),
        action: "added",
      };
    case "theirs": {
      const { start, end, value } = found.command!;
      // One the person wrote to run mpm's already: not run twice.
      if (RUNS_MPM.test(value)) return { ok: true, text, action: "present" };
      const replaced = JSON.stringify(wrapStatusLine(value));
      return {
        ok: true,
        text: text.slice(0, start) + replaced + text.slice(end),
        action: "wrapped",
      };
    }
    case "other":
      return { ok: true, text, action: "kept" };
    default:
      return { ok: true, text, action: "present" };
  }
}

/** Takes mpm's status line out: mpm's own goes, the person's own command comes back. */
export function uninstallStatusLine(existing: string): StatusLineRemoval {
  if (existing.trim() === "") return { ok: true, text: existing, action: "none" };
  const found = find(existing);
  if ("error" in found) return { ok: false, message: found.error };
  if (found.kind === "mpm") {
    const index = found.root.members.findLastIndex((m) => m.key === "statusLine");
    return { ok: true, text: removeElement(existing, found.root, index), action: "removed" };
  }
  if (found.kind === "wrapped") {
    const { start, end, value } = found.command!;
    const theirs = JSON.stringify(unwrapStatusLine(value));
    return {
      ok: true,
      text: existing.slice(0, start) + theirs + existing.slice(end),
      action: "restored",
    };
  }
  return { ok: true, text: existing, action: "none" };
}
