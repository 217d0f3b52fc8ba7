import { posix } from "node:path";
import * as path from "./path.ts";

const SEGMENTS = ["", ".", "..", "a", "bc", ".x", "x.", "a.b", "a.b.c", "..d", "/", "//", "~"];

/** Every path of up to three segments joined by one or two slashes, absolute or not. */
function samples(): string[] {
  const out = new Set<string>(["", "/", "//", "///", ".", "..", "./", "../", "a/", "/a//"]);
  for (const a of SEGMENTS) {
    for (const b of SEGMENTS) {
      for (const c of ["", "..", "e.txt", "/"]) {
        out.add(`${a}/${b}/${c}`);
        out.add(`/${a}/${b}${c}`);
        out.add(`${a}${b}//${c}`);
        out.add(`${a}/${b}`);
      }
    }
  }
  return [...out];
}

function same(name: string, ours: unknown, theirs: unknown, input: unknown) {
  if (ours !== theirs) {
    throw new Error(
      `${name}(${JSON.stringify(input)}): ${JSON.stringify(ours)}, node:path ${
        JSON.stringify(theirs)
      }`,
    );
  }
}

Deno.test("kernel/path gives node:path's answers on POSIX", () => {
  const all = samples();
  for (const p of all) {
    same("normalize", path.normalize(p), posix.normalize(p), p);
    same("isAbsolute", path.isAbsolute(p), posix.isAbsolute(p), p);
    same("dirname", path.dirname(p), posix.dirname(p), p);
    same("basename", path.basename(p), posix.basename(p), p);
    same("resolve", path.resolve(p), posix.resolve(p), p);
  }
  for (let i = 0; i < all.length; i += 7) {
    for (let j = 0; j < all.length; j += 11) {
      const [a, b] = [all[i], all[j]];
      same("join", path.join(a, b), posix.join(a, b), [a, b]);
      same("join", path.join(b, a, "x"), posix.join(b, a, "x"), [b, a, "x"]);
      same("resolve", path.resolve(`/r/${a}`, b), posix.resolve(`/r/${a}`, b), [a, b]);
      same("relative", path.relative(a, b), posix.relative(a, b), [a, b]);
      same("relative", path.relative(`/${a}`, `/${b}`), posix.relative(`/${a}`, `/${b}`), [a, b]);
    }
  }
  // Paths normalize leaves as they are (its quick way) beside ones it changes.
  const long = ["/home/dev/shop/.claude-mpm/cache/ready.json", "a/.b/c../...", "/x/y/", "~/z"];
  for (const p of long) {
    same("normalize", path.normalize(p), posix.normalize(p), p);
    same("join", path.join(p, "sessions", ".lock"), posix.join(p, "sessions", ".lock"), p);
    same("resolve", path.resolve("/r", p, "q/"), posix.resolve("/r", p, "q/"), p);
    same("resolve", path.resolve(p, "", "/abs/t/"), posix.resolve(p, "", "/abs/t/"), p);
  }
  same("join", path.join(), posix.join(), []);
  same("resolve", path.resolve(), posix.resolve(), []);
  same("sep", path.sep, posix.sep, "sep");
  same("delimiter", path.delimiter, posix.delimiter, "delimiter");
});
