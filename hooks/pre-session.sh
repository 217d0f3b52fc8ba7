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

# Where no mpm is found at all, the person is told once per project, in one line Claude Code
# shows them (a systemMessage); a marker in their cache folder, not in the project, remembers it
# was said. Its name is a checksum of the project's folder, as the settings' SessionStart command
# names it where the scripts are missing (src/claude/settings/hooks/hook_entries.ts).
tell_mpm_missing() {
  [ -n "${XDG_CACHE_HOME:-}${HOME:-}" ] || return 0
  case $0 in
    */.claude-mpm/hooks/*) project=${0%/.claude-mpm/hooks/*} ;;
    *) project=${CLAUDE_PROJECT_DIR:-$PWD} ;;
  esac
  told=${XDG_CACHE_HOME:-$HOME/.cache}/mpm/told-missing-$(printf %s "$project" | cksum | cut -d" " -f1)
  [ ! -e "$told" ] || return 0
  (umask 077 && mkdir -p "${told%/*}" && : >"$told") 2>/dev/null || return 0
  printf '%s\n' '{"systemMessage": "mpm hooks do nothing here: the mpm program is not installed. Install it with curl -fsSLO https://github.com/mpm-dev/mpm/releases/latest/download/install.sh && sh install.sh (or set MPM_BIN to its path)."}'
}
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
    echo "mpm hook pre-session: mpm not found (put it on PATH or set MPM_BIN); skipped." >&2
    tell_mpm_missing
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
