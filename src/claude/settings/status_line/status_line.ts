/**
 * mpm's part of Claude Code's status line (pure): a person's own line is wrapped unchanged, so
 * uninstall gives it back; the repository's is never copied.
 */
import { appendElement, lastMember, loadSettings, removeElement } from "../hooks/settings.ts";
import type { JsonObject } from "../config/json_text.ts";

/** From here the line names /mpm-handoff: the Stop hook's first warning (kept equal). */
export const HANDOFF_PERCENT = 70;

/** Most of Claude Code's status line input the script takes; larger input is not Claude Code's. */
export const MAX_SCRIPT_INPUT = 65536;

/** The state file naming the cache `statusline-NAME`: a clone cannot know NAME. */
export const CACHE_NAME_FILE = "statusline";

/** Longest first line of the cache the script prints (bytes); mpm's two names fit in it. */
export const MAX_CACHED_LINE = 400;

/**
 * mpm's status line: shell that starts no process (builtins only). It prints the cached session
 * part and the fill, and refreshes `mpm statusline` in the background when input or session
 * changed. Fields are found in one pass (`${i#*"name":}` is quadratic in dash); no trap, and
 * nothing left in Claude Code's process group, which `/exit` waits on. Double quotes only.
 */
function statusLineScript(refresh: string): string {
  return [
    "unset a b p e w; i=; l=; x=0",
    `while [ $x -lt 1000 ] && [ \${#i} -le ${MAX_SCRIPT_INPUT} ] && IFS= read -r l; do i=$i$l; l=; x=$((x + 1)); done; i=$i$l`,
    `[ \${#i} -le ${MAX_SCRIPT_INPUT} ] || i=`,
    "d=$PWD",
    'while [ ! -d "$d/.claude-mpm" ]; do if [ -e "$d/.git" ] || [ "$d" = "${d%/*}" ]; then exit 0; fi; d=${d%/*}; done',
    'set -f; IFS=", {}"; for t in $i; do case $t in',
    '\\"session_id\\":*) w=a; t=${t#*:} ;; \\"context_window_size\\":*) w=b; t=${t#*:} ;;',
    '\\"used_percentage\\":*) w=p; t=${t#*:} ;; \\"total_input_tokens\\":*) w=e; t=${t#*:} ;; esac',
    '[ -n "$w" ] && [ -n "$t" ] || continue; t=${t#\\"}; t=${t%%[!-0-9A-Za-z._]*}',
    "case $w in a) a=${a-$t} ;; b) b=${b-$t} ;; p) p=${p-$t} ;; e) e=${e-$t} ;; esac; w=; done; unset IFS",
    'k="$a $b $p $e"',
    `u=\${XDG_STATE_HOME:-$HOME/.local/state}/mpm/${CACHE_NAME_FILE}`,
    'r() { n=; c=; s=; o=; if [ -f "$u" ]; then IFS= read -r n <"$u"; fi; case $n in *[!0-9a-f]*) n= ;; esac; [ ${#n} -eq 32 ] || return 0; ' +
    'c=$d/.claude-mpm/cache/statusline-$n; if [ -f "$c" ]; then { IFS= read -r s; IFS= read -r o; } <"$c"; fi; ' +
    `case $s in mpm|"mpm: "*) ;; *) s= ;; esac; case $s in *[[:cntrl:]]*) s= ;; esac; [ \${#s} -le ${MAX_CACHED_LINE} ] || s=; }`,
    "r",
    'm=${MPM_BIN:-mpm}; command -v "$m" >/dev/null 2>&1 || { m=$HOME/.local/bin/mpm; [ -x "$m" ] || m=; }',
    'if [ -z "$m" ] || [ -z "$i" ]; then :; elif [ -z "$c" ] || [ ! -f "$c" ]; then printf "%s\\n" "$i" | "$m" statusline >/dev/null 2>&1 & wait $!; r; ' +
    `elif [ "$k" != "$o" ] || [ "$d/.claude-mpm/state.json" -nt "$c" ] || [ "$d/.claude-mpm/sessions" -nt "$c" ]; then ${refresh}; fi`,
    '[ -n "$s" ] || exit 0',
    "n=; h=",
    `case $p in ""|*[!0-9.]*|.*) ;; *) n=\${p%%.*}; case \${p#"$n"} in .[5-9]*) n=$((n + 1)) ;; esac; if [ "\${p%%.*}" -ge ${HANDOFF_PERCENT} ]; then h=" · /mpm-handoff"; fi ;; esac`,
    'printf "%s\\n" "$s${n:+ · $n% context}$h"',
  ].join("\n");
}

/** The refresh in a session of its own (without `setsid`, a job-controlled bash subshell). */
const REFRESH = 'printf "%s\\n" "$i" | setsid -f "$m" statusline >/dev/null 2>&1 || ' +
  '(set -m 2>/dev/null; printf "%s\\n" "$i" | "$m" statusline >/dev/null 2>&1 &)';

/** `exec`: else dash forks a shell that outlives SIGTERM in the group Claude Code waits on. */
export const MPM_STATUS_LINE = `exec sh -c '${statusLineScript(REFRESH)}'`;

/** The key compared with the cache's second line, cut as the script cuts it. */
export function statusLineKey(input: string): string {
  const field = (name: string) => {
    const at = input.indexOf(`"${name}":`);
    if (at < 0) return "";
    let value = input.slice(at + name.length + 3);
    if (value.startsWith(" ")) value = value.slice(1);
    if (value.startsWith('"')) value = value.slice(1);
    return /^[-0-9A-Za-z._]*/.exec(value)![0];
  };
  return ["session_id", "context_window_size", "used_percentage", "total_input_tokens"]
    .map(field).join(" ");
}

const WRAP_BEFORE = "mpm_in=$(cat); mpm_theirs=$(printf '%s\\n' \"$mpm_in\" | (\n";
const WRAP_MID = "\n)); mpm_ours=$(printf '%s\\n' \"$mpm_in\" | ";
const WRAP_END =
  " 2>/dev/null); printf '%s\\n' \"$mpm_theirs${mpm_theirs:+${mpm_ours:+ | }}$mpm_ours\"";
/** A wrapper's first line for another file's status line: uninstall removes it whole. */
const BORROWED = "# mpm: the status line of ";

/** A command that already runs `mpm statusline` (a path to mpm, or mpm on PATH). */
const RUNS_MPM = /(?:^|[\s/"'])mpm["']?\s+statusline\b/;

/** A person's status line command with mpm's part after it; `from`: the file it was copied from. */
export function wrapStatusLine(theirs: string, from?: string): string {
  const head = from === undefined ? "" : `${BORROWED}${from.replaceAll("\n", " ")}\n`;
  return head + WRAP_BEFORE + theirs + WRAP_MID + MPM_STATUS_LINE + WRAP_END;
}

export interface Unwrapped {
  theirs: string;
  /** The settings file it was copied from; undefined when it was this file's own. */
  from?: string;
}

/** The person's own command inside a wrapped one; undefined for any other command. */
export function unwrapped(command: string): Unwrapped | undefined {
  let from: string | undefined;
  let rest = command;
  if (rest.startsWith(BORROWED)) {
    const end = rest.indexOf("\n");
    if (end < 0) return undefined;
    from = rest.slice(BORROWED.length, end);
    rest = rest.slice(end + 1);
  }
  const after = WRAP_MID + MPM_STATUS_LINE + WRAP_END;
  if (!rest.startsWith(WRAP_BEFORE) || !rest.endsWith(after)) return undefined;
  if (rest.length < WRAP_BEFORE.length + after.length) return undefined;
  const theirs = rest.slice(WRAP_BEFORE.length, rest.length - after.length);
  return { theirs, ...(from === undefined ? {} : { from }) };
}

/** none, mpm's, wrapped, the person's alone (theirs), or not a command (other). */
export type StatusLineKind = "none" | "mpm" | "wrapped" | "theirs" | "other";

/**
 * added, wrapped, borrowed (another file's, copied), instead (of the repository's), replaced (a
 * copy of a now-tracked file's), present, kept (not a command).
 */
export type StatusLineAction =
  | "added"
  | "wrapped"
  | "borrowed"
  | "instead"
  | "replaced"
  | "present"
  | "kept";

export type StatusLineEdit =
  | {
    ok: true;
    text: string;
    action: StatusLineAction;
    /** The settings file whose status line was copied (borrowed) or left out (instead, replaced). */
    from?: string;
  }
  | { ok: false; message: string };

export type StatusLineRemoval =
  | { ok: true; text: string; action: "removed" | "restored" | "none" }
  | { ok: false; message: string };

interface Found {
  kind: StatusLineKind;
  root: JsonObject;
  /** The `command` string's node, when the status line is a command. */
  command?: { start: number; end: number; value: string };
  /** `padding`, when a number. */
  padding?: number;
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
  const padding = lastMember(value, "padding")?.value;
  const kind = isMpmStatusLine(command.value)
    ? "mpm"
    : unwrapped(command.value) !== undefined
    ? "wrapped"
    : "theirs";
  return {
    kind,
    root,
    command: found,
    ...(padding?.kind === "scalar" && typeof padding.value === "number"
      ? { padding: padding.value }
      : {}),
  };
}

function isMpmStatusLine(command: string): boolean {
  return command === MPM_STATUS_LINE;
}

/** Whether a status line command runs mpm's part: mpm's own, or wrapped after the person's. */
export function runsMpmPart(command: string): boolean {
  return isMpmStatusLine(command) || unwrapped(command) !== undefined;
}

/** The status line a settings text holds (none for a missing or empty file). */
export function statusLineKind(text: string | undefined): StatusLineKind | "unreadable" {
  if (text === undefined || text.trim() === "") return "none";
  const found = find(text);
  return "error" in found ? "unreadable" : found.kind;
}

/** A settings text's status line command, when it has one (undefined otherwise). */
export function statusLineCommand(text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const found = find(text);
  return "error" in found ? undefined : found.command?.value;
}

/** The status line another settings file gives Claude Code, for installStatusLine. */
export interface OtherStatusLine {
  /** The settings file, as shown to the person. */
  from: string;
  /** Its settings text. */
  text: string;
}

/** Adds mpm's status line, alone or after the person's, never the repository's. Idempotent. */
export function installStatusLine(
  existing: string | undefined,
  below?: OtherStatusLine,
  repository: readonly string[] = [],
): StatusLineEdit {
  const text = existing === undefined || existing.trim() === "" ? "{}\n" : existing;
  const found = find(text);
  if ("error" in found) return { ok: false, message: found.error };
  const replace = (command: string, action: StatusLineAction, from?: string): StatusLineEdit => {
    const { start, end } = found.command!;
    return {
      ok: true,
      text: text.slice(0, start) + JSON.stringify(command) + text.slice(end),
      action,
      ...(from === undefined ? {} : { from }),
    };
  };
  const ours = { key: "statusLine", value: { type: "command", command: MPM_STATUS_LINE } };
  switch (found.kind) {
    case "none": {
      const other = below && find(below.text);
      // The repository's command is not the person's: mpm's own, which Claude Code shows first.
      if (
        other && !("error" in other) && (other.kind === "theirs" || other.kind === "wrapped") &&
        repository.includes(below!.from)
      ) {
        return {
          ok: true,
          text: appendElement(text, found.root, ours),
          action: "instead",
          from: below!.from,
        };
      }
      // mpm's part shows already, or Claude Code shows what mpm cannot add to: left alone.
      if (other && !("error" in other) && (other.kind === "mpm" || other.kind === "wrapped")) {
        return { ok: true, text, action: "present" };
      }
      if (other && !("error" in other) && other.kind === "other") {
        return { ok: true, text, action: "kept" };
      }
      if (other && !("error" in other) && other.kind === "theirs") {
        const theirs = other.command!.value;
        if (!RUNS_MPM.test(theirs)) {
          const line = {
            type: "command",
            command: wrapStatusLine(theirs, below!.from),
            ...(other.padding === undefined ? {} : { padding: other.padding }),
          };
          return {
            ok: true,
            text: appendElement(text, found.root, { key: "statusLine", value: line }),
            action: "borrowed",
            from: below!.from,
          };
        }
      }
      return { ok: true, text: appendElement(text, found.root, ours), action: "added" };
    }
    case "theirs": {
      const { value } = found.command!;
      // One the person wrote to run mpm's already: not run twice.
      if (RUNS_MPM.test(value)) return { ok: true, text, action: "present" };
      return replace(wrapStatusLine(value), "wrapped");
    }
    case "mpm":
      return { ok: true, text, action: "present" };
    case "wrapped": {
      const inner = unwrapped(found.command!.value)!;
      // A copy of a status line git tracks now: the repository's, not the person's.
      if (inner.from !== undefined && repository.includes(inner.from)) {
        return replace(MPM_STATUS_LINE, "replaced", inner.from);
      }
      return { ok: true, text, action: "present" };
    }
    case "other":
      return { ok: true, text, action: "kept" };
  }
}

/** Takes mpm's status line out: the person's comes back, a borrowed copy goes whole. */
export function uninstallStatusLine(existing: string): StatusLineRemoval {
  if (existing.trim() === "") return { ok: true, text: existing, action: "none" };
  const found = find(existing);
  if ("error" in found) return { ok: false, message: found.error };
  const inner = found.kind === "wrapped" ? unwrapped(found.command!.value) : undefined;
  if (found.kind === "mpm" || inner?.from !== undefined) {
    const index = found.root.members.findLastIndex((m) => m.key === "statusLine");
    return {
      ok: true,
      text: removeElement(existing, found.root, index),
      action: inner ? "restored" : "removed",
    };
  }
  if (inner) {
    const { start, end } = found.command!;
    return {
      ok: true,
      text: existing.slice(0, start) + JSON.stringify(inner.theirs) + existing.slice(end),
      action: "restored",
    };
  }
  return { ok: true, text: existing, action: "none" };
}
