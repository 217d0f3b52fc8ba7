/**
 * node:path's functions without loading Deno's Node layer in every process: on POSIX Node's own
 * algorithms (tested against node:path), on Windows node:path's.
 */

interface PathModule {
  sep: string;
  delimiter: string;
  join(...parts: string[]): string;
  resolve(...parts: string[]): string;
  normalize(path: string): string;
  isAbsolute(path: string): boolean;
  dirname(path: string): string;
  basename(path: string, suffix?: string): string;
  relative(from: string, to: string): string;
}

interface NodeProcess {
  cwd(): string;
  getBuiltinModule(name: string): unknown;
}

function nodeProcess(): NodeProcess {
  return (globalThis as unknown as { process: NodeProcess }).process;
}

/** Deno says "Win32" on Windows, as browsers do. */
const WINDOWS = typeof navigator !== "undefined" && /^Win/.test(navigator.platform ?? "");
let windowsPath: PathModule | undefined;

/** node:path on Windows (drive letters, backslashes, UNC): loaded there only, on first use. */
function win(): PathModule | undefined {
  if (!WINDOWS) return undefined;
  return windowsPath ??= nodeProcess().getBuiltinModule("node:path") as PathModule;
}

export const sep: string = WINDOWS ? "\\" : "/";
export const delimiter: string = WINDOWS ? ";" : ":";

/** Resolves `.` and `..` in a path without leading slashes (Node's normalizeString). */
function normalizeString(path: string, allowAboveRoot: boolean): string {
  let res = "";
  let lastSegmentLength = 0;
  let lastSlash = -1;
  let dots = 0;
  let code = 0;
  for (let i = 0; i <= path.length; ++i) {
    if (i < path.length) code = path.charCodeAt(i);
    else if (code === 47) break;
    else code = 47;
    if (code === 47) {
      if (lastSlash === i - 1 || dots === 1) {
        // A repeated slash or a `.` segment: nothing to add.
      } else if (dots === 2) {
        if (
          res.length < 2 || lastSegmentLength !== 2 ||
          res.charCodeAt(res.length - 1) !== 46 || res.charCodeAt(res.length - 2) !== 46
        ) {
          if (res.length > 2) {
            const lastSlashIndex = res.lastIndexOf("/");
            if (lastSlashIndex === -1) {
              res = "";
              lastSegmentLength = 0;
            } else {
              res = res.slice(0, lastSlashIndex);
              lastSegmentLength = res.length - 1 - res.lastIndexOf("/");
            }
            lastSlash = i;
            dots = 0;
            continue;
          } else if (res.length !== 0) {
            res = "";
            lastSegmentLength = 0;
            lastSlash = i;
            dots = 0;
            continue;
          }
        }
        if (allowAboveRoot) {
          res += res.length > 0 ? "/.." : "..";
          lastSegmentLength = 2;
        }
      } else {
        if (res.length > 0) res += `/${path.slice(lastSlash + 1, i)}`;
        else res = path.slice(lastSlash + 1, i);
        lastSegmentLength = i - lastSlash - 1;
      }
      lastSlash = i;
      dots = 0;
    } else if (code === 46 && dots !== -1) {
      ++dots;
    } else {
      dots = -1;
    }
  }
  return res;
}

export function isAbsolute(path: string): boolean {
  const w = win();
  if (w) return w.isAbsolute(path);
  return path.length > 0 && path.charCodeAt(0) === 47;
}

/** A path normalize leaves as it is: no empty, `.` or `..` segment between slashes. */
const NOT_NORMAL = /\/\/|(?:^|\/)\.\.?(?:\/|$)/;

export function normalize(path: string): string {
  const w = win();
  if (w) return w.normalize(path);
  if (path.length === 0) return ".";
  if (!NOT_NORMAL.test(path)) return path;
  const absolute = path.charCodeAt(0) === 47;
  const trailing = path.charCodeAt(path.length - 1) === 47;
  let out = normalizeString(path, !absolute);
  if (out.length === 0) {
    if (absolute) return "/";
    return trailing ? "./" : ".";
  }
  if (trailing) out += "/";
  return absolute ? `/${out}` : out;
}

export function join(...parts: string[]): string {
  const w = win();
  if (w) return w.join(...parts);
  const joined = parts.filter((part) => part.length > 0).join("/");
  return joined.length === 0 ? "." : normalize(joined);
}

export function resolve(...parts: string[]): string {
  const w = win();
  if (w) return w.resolve(...parts);
  // An absolute part followed by names only: those parts joined, without a trailing slash.
  const last = parts.findLastIndex((part) => part.charCodeAt(0) === 47);
  if (last >= 0) {
    const joined = parts.slice(last).filter((part) => part.length > 0).join("/");
    if (!NOT_NORMAL.test(joined)) {
      return joined.length > 1 && joined.endsWith("/") ? joined.slice(0, -1) : joined;
    }
  }
  let resolved = "";
  let absolute = false;
  for (let i = parts.length - 1; i >= -1 && !absolute; i--) {
    // Past the arguments, the working folder, asked of Deno's `process` so this file stays pure.
    const path = i >= 0 ? parts[i] : nodeProcess().cwd();
    if (path.length === 0) continue;
    resolved = `${path}/${resolved}`;
    absolute = path.charCodeAt(0) === 47;
  }
  resolved = normalizeString(resolved, !absolute);
  if (absolute) return `/${resolved}`;
  return resolved.length > 0 ? resolved : ".";
}

export function dirname(path: string): string {
  const w = win();
  if (w) return w.dirname(path);
  if (path.length === 0) return ".";
  const hasRoot = path.charCodeAt(0) === 47;
  let end = -1;
  let matchedSlash = true;
  for (let i = path.length - 1; i >= 1; --i) {
    if (path.charCodeAt(i) === 47) {
      if (!matchedSlash) {
        end = i;
        break;
      }
    } else {
      matchedSlash = false;
    }
  }
  if (end === -1) return hasRoot ? "/" : ".";
  if (hasRoot && end === 1) return "//";
  return path.slice(0, end);
}

export function basename(path: string): string {
  const w = win();
  if (w) return w.basename(path);
  let start = 0;
  let end = -1;
  let matchedSlash = true;
  for (let i = path.length - 1; i >= 0; --i) {
    if (path.charCodeAt(i) === 47) {
      if (!matchedSlash) {
        start = i + 1;
        break;
      }
    } else if (end === -1) {
      matchedSlash = false;
      end = i + 1;
    }
  }
  if (end === -1) return "";
  return path.slice(start, end);
}

export function relative(from: string, to: string): string {
  const w = win();
  if (w) return w.relative(from, to);
  if (from === to) return "";
  from = resolve(from);
  to = resolve(to);
  if (from === to) return "";
  const fromStart = 1;
  const fromEnd = from.length;
  const fromLen = fromEnd - fromStart;
  const toStart = 1;
  const toLen = to.length - toStart;
  const length = fromLen < toLen ? fromLen : toLen;
  let lastCommonSep = -1;
  let i = 0;
  for (; i < length; i++) {
    const fromCode = from.charCodeAt(fromStart + i);
    if (fromCode !== to.charCodeAt(toStart + i)) break;
    else if (fromCode === 47) lastCommonSep = i;
  }
  if (i === length) {
    if (toLen > length) {
      if (to.charCodeAt(toStart + i) === 47) return to.slice(toStart + i + 1);
      if (i === 0) return to.slice(toStart + i);
    } else if (fromLen > length) {
      if (from.charCodeAt(fromStart + i) === 47) lastCommonSep = i;
      else if (i === 0) lastCommonSep = 0;
    }
  }
  let out = "";
  for (i = fromStart + lastCommonSep + 1; i <= fromEnd; ++i) {
    if (i === fromEnd || from.charCodeAt(i) === 47) out += out.length === 0 ? ".." : "/..";
  }
  return `${out}${to.slice(toStart + lastCommonSep)}`;
}
