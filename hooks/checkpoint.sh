#!/bin/sh
# mpm hook: checkpoint.sh
# Claude Code runs this on PreCompact (manual, auto) and on Stop. It hands the event's JSON (on
# stdin) to `mpm hook checkpoint`, which saves an auto-… checkpoint before a compaction, and after
# each reply checks how full the context window is: at 70 %, 85 % and 95 % it writes a resume
# file under .claude-mpm/sessions/ and tells you.
# A hook never blocks or breaks Claude Code: whatever fails, this script exits 0.
# Installed by `mpm hooks install`. Edit only between the marked lines below: mpm leaves an
# edited script alone (`mpm hooks install --force` replaces it and keeps a backup).

payload=$(cat)

your_lines() {
  # ---- Your own lines go here. They run before mpm; the event's JSON is in "$payload".
  # ---- Their output goes to stderr (stdout carries mpm's message to Claude Code). E.g.:
  # git pull --ff-only
  # npm install --silent
  # curl -fsS -H 'Content-Type: application/json' -d '{"text":"Claude checkpoint"}' "$MY_WEBHOOK"
  :
  # ---- End of your lines.
}
your_lines </dev/null >&2 || echo "mpm hook checkpoint: your lines failed (exit $?)." >&2

# After a reply (Stop), mpm has something to say only once the context window is 70 % full, and
# most replies are far below that: the newest token count in the transcript's last 64 KB says so
# without starting mpm, a whole process off every reply. It answers "low" only where
# mpm's own reading (src/claude/session/context_usage.ts) could not warn: under 139,000 tokens (just
# under 70 % of 200,000, the smallest window Claude models have), with no window set
# (MPM_CONTEXT_WINDOW) or reported by Claude Code; or a compaction since the last reply. What it
# cannot see is not "low" but unknown: Stop can run a moment before Claude Code writes the reply
# down, so a transcript with no reply in it, or whose newest main-thread line is a prompt or a
# tool's result (the reply to it still to come), is read again every hundredth of a second for a
# tenth of a second, then goes to mpm, which waits longer for the reply or reads what the status
# line recorded. A transcript not written at all goes to mpm only where the status line recorded
# something for mpm to read (no_window_record). Anything unclear goes to mpm, as does PreCompact.
context_is_low() {
  [ -z "${MPM_CONTEXT_WINDOW:-}" ] || return 1
  case $payload in *'"hook_event_name":"Stop"'*) ;; *) return 1 ;; esac
  case $payload in *ontext_window*|*ontextWindow*) return 1 ;; esac
  transcript=${payload#*\"transcript_path\":\"}
  [ "$transcript" != "$payload" ] || return 1
  transcript=${transcript%%\"*}
  case $transcript in '' | *\\*) return 1 ;; esac
  [ -e "$transcript" ] || { no_window_record; return; }
  # The reply is often written a moment after Stop starts: read again a few times, briefly,
  # before handing the question to mpm (whose start costs more than these waits).
  tries=0
  while :; do
    reply_is_low
    case $? in
      0) return 0 ;;
      2) [ "$tries" -lt 10 ] && sleep 0.01 2>/dev/null || return 1; tries=$((tries + 1)) ;;
      *) return 1 ;;
    esac
  done
}

# With no transcript yet (`claude -p` writes its own only after Stop), mpm would read what the
# status line recorded for this Claude session, in hooks-state/ under the project, which is the
# payload's cwd or one of its parents: where no folder up to / holds such a record, mpm would find
# nothing to warn about. 0: no record anywhere; 1: one exists, or the payload is unusual.
no_window_record() {
  case $payload in *'"cwd":"'*'"cwd":"'* | *'"session_id":"'*'"session_id":"'*) return 1 ;; esac
  dir=${payload#*\"cwd\":\"}
  [ "$dir" != "$payload" ] || return 1
  dir=${dir%%\"*}
  case $dir in /*) ;; *) return 1 ;; esac
  case $dir in *\\* | */./* | */../* | */. | */..) return 1 ;; esac
  id=${payload#*\"session_id\":\"}
  [ "$id" != "$payload" ] || return 1
  id=${id%%\"*}
  case $id in '' | *[!A-Za-z0-9_-]*) return 1 ;; esac
  [ "${#id}" -le 100 ] || return 1
  while :; do
    [ ! -e "$dir/.claude-mpm/hooks-state/$id.window" ] || return 1
    [ -n "$dir" ] || return 0
    dir=${dir%/*}
  done
}

# 0: the newest reply's context is low; 2: no reply after the newest prompt yet; 1: otherwise.
reply_is_low() {
  # Lines are matched with their quotes, so text quoted inside a message (\"usage\") never
  # counts; subagents' lines (isSidechain) and Claude Code's error entries (<synthetic>) do not
  # measure this context.
  tail -c 65536 "$transcript" 2>/dev/null | LC_ALL=C awk '
    function count(key,   at, rest) {
      at = index(last, "\"" key "\":")
      if (at == 0) return -1
      rest = substr(last, at + length(key) + 3)
      if (!match(rest, /^[0-9]+/)) return -1
      return substr(rest, 1, RLENGTH) + 0
    }
    /ontext_window|ontextWindow/ { hint = 1 }
    /"isSidechain":true/ { next }
    /"type":"system"/ && /"compact_boundary"/ { last = ""; compacted = 1; behind = 0; next }
    /"type":"user"/ { behind = 1; next }
    /"type":"assistant"/ && /"usage":[{]/ && !/"model":"<synthetic>"/ && !/"isApiErrorMessage":true/ {
      last = $0
      compacted = 0
      behind = 0
    }
    END {
      if (hint) exit 1
      if (behind) exit 2
      if (compacted) exit 0
      if (last == "") exit 2
      input = count("input_tokens")
      if (input < 0) exit 1
      created = count("cache_creation_input_tokens")
      read = count("cache_read_input_tokens")
      exit (input + (created > 0 ? created : 0) + (read > 0 ? read : 0) < 139000 ? 0 : 1)
    }'
}
context_is_low && exit 0

# The plugin's own mpm first (Claude Code fetches it into the plugin's bin/ when it installs the
# plugin), else MPM_BIN, else mpm from PATH (or ~/.local/bin, where install.sh puts it).
mpm=${MPM_BIN:-mpm}
if [ -n "${CLAUDE_PLUGIN_ROOT:-}" ] && [ -x "$CLAUDE_PLUGIN_ROOT/bin/mpm" ]; then
  mpm=$CLAUDE_PLUGIN_ROOT/bin/mpm
fi
# A name found on PATH is run by that name: spelling out its path would take a subshell on
# every call.
case $mpm in
  */*) ;;
  *) command -v "$mpm" >/dev/null 2>&1 || mpm=${HOME:-}/.local/bin/mpm ;;
esac
case $mpm in
  */*) if [ ! -x "$mpm" ]; then
    echo "mpm hook checkpoint: mpm not found (put it on PATH or set MPM_BIN); skipped." >&2
    exit 0
  fi ;;
esac
# A hung mpm must not hold Claude Code up: `timeout` (coreutils, busybox) stops it within the
# time Claude Code allows this hook (10 s); without `timeout`, mpm's own deadline applies.
limit=${MPM_HOOK_TIMEOUT:-9}
if command -v timeout >/dev/null 2>&1; then
  printf '%s\n' "$payload" | timeout "$limit" "$mpm" hook checkpoint
else
  printf '%s\n' "$payload" | "$mpm" hook checkpoint
fi || echo "mpm hook checkpoint: mpm failed or ran over $limit s (exit $?); Claude Code goes on." >&2
exit 0
