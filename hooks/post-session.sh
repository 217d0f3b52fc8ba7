#!/bin/sh
# mpm hook: post-session.sh
# Claude Code runs this on SessionEnd. It hands the event's JSON (on stdin) to
# `mpm hook session-end`, which pauses the session automatically: a snapshot with Claude's task
# list, the git state and the context usage, under .claude-mpm/sessions/, carrying forward the
# words you wrote at your last pause (nothing is written when nothing changed).
# A hook never blocks or breaks Claude Code: whatever fails, this script exits 0.
# Installed by `mpm hooks install`. Edit only between the marked lines below: mpm leaves an
# edited script alone (`mpm hooks install --force` replaces it and keeps a backup).

payload=$(cat)

your_lines() {
  # ---- Your own lines go here. They run before mpm; the event's JSON is in "$payload".
  # ---- Keep them quick (Claude Code gives SessionEnd little time); output goes to stderr. E.g.:
  # git pull --ff-only
  # npm install --silent
  # curl -fsS -H 'Content-Type: application/json' -d '{"text":"Claude session ended"}' "$MY_WEBHOOK"
  :
  # ---- End of your lines.
}
your_lines </dev/null >&2 || echo "mpm hook post-session: your lines failed (exit $?)." >&2

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
    echo "mpm hook post-session: mpm not found (put it on PATH or set MPM_BIN); skipped." >&2
    exit 0
  fi ;;
esac
# A hung mpm must not hold Claude Code up: `timeout` (coreutils, busybox) stops it within the
# time Claude Code allows this hook (5 s); without `timeout`, mpm's own deadline applies.
limit=${MPM_HOOK_TIMEOUT:-4}
if command -v timeout >/dev/null 2>&1; then
  printf '%s\n' "$payload" | timeout "$limit" "$mpm" hook session-end
else
  printf '%s\n' "$payload" | "$mpm" hook session-end
fi || echo "mpm hook post-session: mpm failed or ran over $limit s (exit $?); Claude Code goes on." >&2
exit 0
