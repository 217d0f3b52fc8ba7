#!/bin/sh
# The smoke test every built mpm passes before it is published: one real cycle, run by the
# program itself from a folder with no source, in a fresh repository and a temporary home (so a
# temporary Claude Code config). CI runs it on the Linux binary compiled from the bundle, the
# release on each binary on its own OS, and tests/build/smoke_test.ts on the bundle.
#
#   sh scripts/build/smoke.sh MPM
#
# MPM is an mpm program: a compiled binary, or a script that runs the bundle. It prints each
# step, and on the first that fails what it printed, exit 1. `--version` loads one of the
# bundle's chunks; the commands below load most of the others (list, doctor, the hooks).
set -eu

[ $# -eq 1 ] || {
  echo "usage: sh scripts/build/smoke.sh MPM" >&2
  exit 2
}
case $1 in
  /*) mpm=$1 ;;
  *) mpm=$(pwd)/$1 ;;
esac
[ -f "$mpm" ] || {
  echo "smoke: $mpm is not a file." >&2
  exit 2
}

work=$(mktemp -d 2>/dev/null || mktemp -d -t mpm-smoke)
trap 'rm -rf "$work"' EXIT INT TERM

# Nothing of this machine's: its own home (Claude Code's config is under it), git identity and
# config, no colour.
HOME=$work/home
XDG_CACHE_HOME=$work/home/.cache
XDG_CONFIG_HOME=$work/home/.config
GIT_AUTHOR_NAME="mpm smoke"
GIT_AUTHOR_EMAIL=smoke@example.com
GIT_COMMITTER_NAME="mpm smoke"
GIT_COMMITTER_EMAIL=smoke@example.com
GIT_CONFIG_NOSYSTEM=1
NO_COLOR=1
export HOME XDG_CACHE_HOME XDG_CONFIG_HOME GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME
export GIT_COMMITTER_EMAIL GIT_CONFIG_NOSYSTEM NO_COLOR
unset CLAUDE_CONFIG_DIR CLAUDE_PROJECT_DIR MPM_BIN 2>/dev/null || true
mkdir -p "$HOME"

repo=$work/repo
mkdir -p "$repo"
cd "$repo"
git init -q
echo "v1" >cart.txt
git add cart.txt
git commit -q -m "Add cart"

out=$work/out
step=0

# run WHAT EXPECTED ARGS...: runs mpm ARGS (stdin from $work/stdin when it exists), and fails
# unless it exits 0 (or $allowed) and its stdout holds EXPECTED.
allowed=0
run() {
  what=$1
  expected=$2
  shift 2
  step=$((step + 1))
  input=/dev/null
  [ ! -f "$work/stdin" ] || input=$work/stdin
  code=0
  "$mpm" "$@" <"$input" >"$out" 2>"$work/err" || code=$?
  rm -f "$work/stdin"
  allowed=0
  if { [ "$code" -ne 0 ] && [ "$code" -ne "$allowed" ]; } || ! grep -F -- "$expected" "$out" >/dev/null; then
    echo "smoke: step $step failed: mpm $* ($what) exited $code; expected \"$expected\" in its output." >&2
    echo "--- stdout" >&2
    cat "$out" >&2
    echo "--- stderr" >&2
    cat "$work/err" >&2
    exit 1
  fi
  echo "ok $step  mpm $*  ($what)"
}

run "the version" "mpm " --version
run "the commands" "Usage: mpm" --help
run "a snapshot in a fresh repository" '"session_id"' pause -s "Smoke pause" -n "Ship it" --json
echo "v2" >cart.txt
git commit -q -am "After the pause"
run "the snapshot listed" "Smoke pause" list
run "back to it, with what changed" "After the pause" resume
run "the state as JSON" '"active"' status --json
# The search index is SQLite with FTS5 (node:sqlite, in the runtime): made here, it proves both
# are in this build; a search then answers from it.
run "the search index, built (SQLite FTS5)" "Search index:" index --rebuild
run "a search" "Smoke pause" search "smoke pause"
# doctor exits 1 for what it finds wrong on this machine (no Claude Code, say): its report is
# what counts, and a crash would print the error document instead.
allowed=1
run "the checks, as JSON" '"checks"' doctor --json
cat >"$work/stdin" <<EOF
{"session_id":"3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11","transcript_path":"$HOME/transcript.jsonl","cwd":"$repo","hook_event_name":"SessionStart","source":"startup"}
EOF
run "what Claude is told at start" "Smoke pause" hook session-start
run "the hooks wired into Claude Code's settings" "pre-session" hooks install --scope user
grep -F "mpm/hooks/pre-session.sh" "$HOME/.claude/settings.json" >/dev/null || {
  echo "smoke: hooks install --scope user did not wire $HOME/.claude/settings.json." >&2
  exit 1
}
echo "smoke: all $step steps passed."
