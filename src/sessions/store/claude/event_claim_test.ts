import { assert, assertEquals } from "../../../../tests/assert.ts";
import { claimName, claimOrigin, fingerprint, isTwin, TWIN_WINDOW_MS } from "./event_claim.ts";

const now = new Date("2026-11-23T12:00:00Z");
const claim = (origin: "plugin" | "settings", msAgo: number) => ({
  claude_session_id: "c1",
  event: "SessionStart",
  origin,
  time: new Date(now.getTime() - msAgo).toISOString(),
});

Deno.test("a claim is the twin's when the other origin made it within the window", () => {
  assert(isTwin(claim("plugin", 200), "settings", now));
  assert(isTwin(claim("settings", 0), "plugin", now));
  // The same origin: an earlier event with the same payload, not a twin.
  assert(!isTwin(claim("settings", 200), "settings", now));
  // Too old to be a twin: Claude Code has stopped that run long ago.
  assert(!isTwin(claim("plugin", TWIN_WINDOW_MS + 1), "settings", now));
  assert(!isTwin(undefined, "settings", now));
  assert(!isTwin({ ...claim("plugin", 0), time: "not a time" }, "settings", now));
});

Deno.test("a claim names the Claude session, the event and the whole payload", () => {
  const payload = { session_id: "c1", hook_event_name: "SessionEnd", reason: "clear" };
  const name = claimName("c1", "SessionEnd", payload);
  assertEquals(name, claimName("c1", "SessionEnd", { ...payload }));
  assert(/^c1\.SessionEnd\.[0-9a-f]{16}$/.test(name), name);
  assert(name !== claimName("c1", "SessionEnd", { ...payload, reason: "resume" }));
  // An id that is no plain name is hashed, so it cannot climb out of the folder.
  assert(!(claimName("../x", "SessionEnd", payload)).includes("/"));
});

Deno.test("the plugin's scripts say where a run comes from", () => {
  assertEquals(claimOrigin({ MPM_FROM_PLUGIN: "1" }), "plugin");
  assertEquals(claimOrigin({}), "settings");
});

Deno.test("a fingerprint tells texts that differ by one character apart", () => {
  assertEquals(fingerprint(""), "811c9dc52f0d5a3b");
  const base = JSON.stringify({ session_id: "c1", prompt: "x".repeat(300) });
  const seen = new Set([fingerprint(base)]);
  for (let i = 0; i < base.length; i++) {
    const changed = base.slice(0, i) + String.fromCharCode(base.charCodeAt(i) ^ 1) +
      base.slice(i + 1);
    seen.add(fingerprint(changed));
  }
  assertEquals(seen.size, base.length + 1);
  // Characters past Latin-1 count whole, not by their low byte.
  assert(fingerprint("\u0141") !== fingerprint("\u0041"));
});
