import { assertEquals, assertThrows } from "../../../../tests/assert.ts";
import { projectPaths } from "../../../disk/paths.ts";
import {
  foldSightings,
  isSessionKey,
  knows,
  parseSightings,
  sightingsFile,
} from "./claude_sessions.ts";

const line = (time: string, event: string, id: string, path: string | null) =>
  JSON.stringify({ time, event, claude_session_id: id, transcript_path: path, detail: null });

Deno.test("sightings fold into one record per Claude session, bad lines counted", () => {
  const text = [
    line("2026-11-24T09:00:00Z", "SessionStart", "a", "/t/a.jsonl"),
    "{not json",
    line("2026-11-24T09:05:00Z", "SessionStart", "b", "/t/b.jsonl"),
    JSON.stringify({ time: "x" }),
    line("2026-11-24T09:10:00Z", "SessionEnd", "a", "/t/a2.jsonl"),
  ].join("\n");
  const { sightings, bad } = parseSightings(text);
  assertEquals(bad, 2);
  const sessions = foldSightings(sightings);
  assertEquals(sessions.map((s) => [s.id, s.transcript, s.first_seen, s.last_seen]), [
    ["a", "/t/a2.jsonl", "2026-11-24T09:00:00Z", "2026-11-24T09:10:00Z"],
    ["b", "/t/b.jsonl", "2026-11-24T09:05:00Z", "2026-11-24T09:05:00Z"],
  ]);
  assertEquals(knows(sightings, "a", "/t/a.jsonl"), true);
  assertEquals(knows(sightings, "a", "/t/other.jsonl"), false);
});

Deno.test("a session key is a plain name, never a path", () => {
  assertEquals(isSessionKey("s-1a2b3c4d5e"), true);
  assertEquals(isSessionKey("session-20251020-143022"), true);
  for (const bad of ["../x", "a/b", ".hidden", "", "a..b"]) assertEquals(isSessionKey(bad), false);
  assertThrows(() => sightingsFile(projectPaths("/p"), "../../etc"));
  assertEquals(
    sightingsFile(projectPaths("/p"), "s-1"),
    "/p/.claude-mpm/threads/s-1/claude-sessions.jsonl",
  );
});
