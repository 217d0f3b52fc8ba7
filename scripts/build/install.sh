#!/bin/sh
# Installs mpm: downloads the binary for this machine and SHA256SUMS from a release, verifies
# the checksum, and puts the binary in ~/.local/bin (or $MPM_INSTALL_DIR).
#
#   curl -fsSLO https://github.com/mpm-dev/mpm/releases/latest/download/install.sh && sh install.sh
#
# Downloaded to a file first: `curl … | sh` exits 0 having done nothing when curl fails (offline,
# say), since sh then reads an empty script. The work is one function called on the last line,
# so a script cut short in transit defines functions and runs nothing.
#
# MPM_VERSION       a release tag (v0.1.0) instead of the latest release
# MPM_INSTALL_BASE  where the release's files are (any URL curl understands, file:// too)
# MPM_INSTALL_DIR   where mpm goes (default ~/.local/bin)
#
# It installs only what runs: the new binary's --version runs beside the destination before it
# takes mpm's place, and one that does not run is removed, with the reason, exit 1.
set -eu

REPO_URL="https://github.com/mpm-dev/mpm/releases"

fail() {
  echo "mpm install: $*" >&2
  exit 1
}

target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) fail "there is no mpm binary for the $arch processor." ;;
  esac
  case "$os" in
    Linux) echo "$arch-unknown-linux-gnu" ;;
    Darwin) echo "$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      [ "$arch" = x86_64 ] || fail "there is no mpm binary for Windows on $arch."
      echo "x86_64-pc-windows-msvc"
      ;;
    *) fail "there is no mpm binary for $os." ;;
  esac
}

# download URL FILE: curl if there is one, else wget (or a plain copy for file://).
download() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1" 2>/dev/null
  else
    case "$1" in
      file://*) cp "${1#file://}" "$2" 2>/dev/null ;;
      *)
        command -v wget >/dev/null 2>&1 || fail "neither curl nor wget is installed."
        wget -q -O "$2" "$1"
        ;;
    esac
  fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    fail "neither sha256sum nor shasum is installed, so the download cannot be verified."
  fi
}

install_mpm() {
  target=$(target)
  asset="mpm-$target"
  name=mpm
  case "$target" in *windows*)
    asset="$asset.exe"
    name=mpm.exe
    ;;
  esac
  if [ -n "${MPM_INSTALL_BASE:-}" ]; then
    base=${MPM_INSTALL_BASE%/}
  elif [ -n "${MPM_VERSION:-}" ]; then
    base="$REPO_URL/download/$MPM_VERSION"
  else
    base="$REPO_URL/latest/download"
  fi
  if [ -n "${MPM_INSTALL_DIR:-}" ]; then
    dir=$MPM_INSTALL_DIR
  elif [ -n "${HOME:-}" ]; then
    dir=$HOME/.local/bin
  else
    fail "HOME is not set; set MPM_INSTALL_DIR to the folder mpm should go in."
  fi

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t mpm-install)
  trap 'rm -rf "$tmp"' EXIT INT TERM

  echo "Downloading $asset from $base"
  download "$base/$asset" "$tmp/$asset" || fail "could not download $base/$asset."
  download "$base/SHA256SUMS" "$tmp/SHA256SUMS" || fail "could not download $base/SHA256SUMS."

  expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")
  [ -n "$expected" ] || fail "SHA256SUMS has no checksum for $asset; nothing was installed."
  actual=$(sha256 "$tmp/$asset")
  if [ "$actual" != "$expected" ]; then
    rm -f "$tmp/$asset"
    fail "the checksum of $asset does not match SHA256SUMS (expected $expected, got $actual); nothing was installed."
  fi

  mkdir -p "$dir" || fail "could not create $dir."
  # Copy beside the destination, run it there, and only then rename it into place: a binary that
  # cannot run here (a glibc build on musl, a folder mounted noexec, an old kernel) never replaces
  # a working mpm, and a running mpm is never overwritten in place.
  new="$dir/.$name.tmp.$$"
  cp "$tmp/$asset" "$new" || fail "could not write to $dir."
  chmod 755 "$new"
  if version=$("$new" --version 2>"$tmp/version.err"); then :; else
    code=$?
    rm -f "$new"
    case $code in
      126) why="the system would not execute it (a folder mounted noexec, or a file for another system)" ;;
      127) why="its loader or a library it needs is missing (a Linux without glibc, such as Alpine)" ;;
      *) why="it exited $code: $(head -n 1 "$tmp/version.err")" ;;
    esac
    fail "the downloaded $asset does not run on this machine ($why); nothing was installed."
  fi
  mv -f "$new" "$dir/$name" || {
    rm -f "$new"
    fail "could not install $dir/$name."
  }
  echo "Installed ${version:-mpm} to $dir/$name"

  mpm=mpm
  case ":${PATH:-}:" in
    *":$dir:"*) ;;
    *)
      mpm="$dir/$name"
      echo
      echo "$dir is not on your PATH. To add it:"
      case "$(basename "${SHELL:-sh}")" in
        fish) echo "  fish_add_path $dir" ;;
        zsh) echo "  echo 'export PATH=\"$dir:\$PATH\"' >> ~/.zshrc && exec zsh" ;;
        bash) echo "  echo 'export PATH=\"$dir:\$PATH\"' >> ~/.bashrc && exec bash" ;;
        *) echo "  echo 'export PATH=\"$dir:\$PATH\"' >> ~/.profile   (then log in again)" ;;
      esac
      ;;
  esac
  echo
  echo "Next, in your project: $mpm hooks install   (wires mpm into Claude Code)"
  echo "Or pack mpm's Claude Code plugin for your team: $mpm plugin export --help"
}

install_mpm "$@"
