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

mpm=${MPM_BIN:-mpm}
# A name found on PATH is run by that name: spelling out its path took a subshell, about a
# millisecond of every call (issue 17).
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
