#!/bin/sh
# mpm hook: pre-session.sh
# Claude Code runs this on SessionStart (startup, resume, clear, compact). It hands the event's
# JSON (on stdin) to `mpm hook session-start`, which prints the last mpm session's context and
# what changed since; Claude Code adds that to the new conversation.
# A hook never blocks or breaks Claude Code: whatever fails, this script exits 0.
# Installed by `mpm hooks install`. Edit only between the marked lines below: mpm leaves an
# edited script alone (`mpm hooks install --force` replaces it and keeps a backup).

payload=$(cat)

your_lines() {
  # ---- Your own lines go here. They run before mpm; the event's JSON is in "$payload".
  # ---- Their output goes to stderr (Claude Code reads this hook's stdout as context). E.g.:
  # git pull --ff-only
  # npm install --silent
  # curl -fsS -H 'Content-Type: application/json' -d '{"text":"Claude session started"}' "$MY_WEBHOOK"
  :
  # ---- End of your lines.
}
your_lines </dev/null >&2 || echo "mpm hook pre-session: your lines failed (exit $?)." >&2

mpm=${MPM_BIN:-mpm}
# A name found on PATH is run by that name: spelling out its path took a subshell, about a
# millisecond of every call (issue 17).
case $mpm in
  */*) ;;
  *) command -v "$mpm" >/dev/null 2>&1 || mpm=${HOME:-}/.local/bin/mpm ;;
esac
case $mpm in
  */*) if [ ! -x "$mpm" ]; then
    echo "mpm hook pre-session: mpm not found (put it on PATH or set MPM_BIN); skipped." >&2
    exit 0
  fi ;;
esac
# A hung mpm must not hold Claude Code up: `timeout` (coreutils, busybox) stops it within the
# time Claude Code allows this hook (10 s); without `timeout`, mpm's own deadline applies.
limit=${MPM_HOOK_TIMEOUT:-9}
if command -v timeout >/dev/null 2>&1; then
  printf '%s\n' "$payload" | timeout "$limit" "$mpm" hook session-start
else
  printf '%s\n' "$payload" | "$mpm" hook session-start
fi || echo "mpm hook pre-session: mpm failed or ran over $limit s (exit $?); Claude Code goes on." >&2
exit 0
