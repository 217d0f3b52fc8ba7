/**
 * The board's window of a listing (board_read.ts, windowOf): the snapshots of its days and no
 * others, building only those and a few looked at to find where they end, not the whole history.
 */
import { assert, assertEquals } from "../../tests/assert.ts";
import type { Listing, SessionEntry } from "../sessions/store/listing/listing.ts";
import { sessionIdFor } from "../kernel/ids.ts";
import { windowOf } from "./board_read.ts";

const DAY_MS = 86_400_000;
const NOW = Date.parse("2026-11-20T12:00:00.000Z");

/** `count` snapshots, one an hour back from NOW, newest first, as a folder's index lists them. */
function history(count: number): SessionEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const id = sessionIdFor(new Date(NOW - i * 3_600_000));
    return { id, file: `/p/.claude-mpm/sessions/${id}.json`, format: "json", location: "sessions" };
  });
}

/** `entries` as an index-backed listing (no array), counting the entries it builds. */
function counted(entries: SessionEntry[]): { listing: Listing; built: () => number } {
  let built = 0;
  return {
    listing: {
      length: entries.length,
      slice(start?: number, end?: number) {
        const out = entries.slice(start, end);
        built += out.length;
        return out;
      },
    },
    built: () => built,
  };
}

Deno.test("a board's window of a long history builds its own days, not the history", () => {
  const all = history(100_000);
  const from = sessionIdFor(new Date(NOW - 14 * DAY_MS));
  const expected = all.filter((e) => e.id >= from);
  assertEquals(expected.length, 14 * 24 + 1);
  const { listing, built } = counted(all);
  assertEquals(windowOf(listing, from), expected);
  // The window, and a look at about log2(100,000) = 17 entries to find where it ends.
  assert(built() <= expected.length + 20, `built ${built()} entries`);
});

Deno.test("a board's window: every one, none, and an array listing read whole", () => {
  const all = history(50);
  const { listing } = counted(all);
  assertEquals(windowOf(listing, sessionIdFor(new Date(NOW - 100 * DAY_MS))), all);
  assertEquals(windowOf(listing, sessionIdFor(new Date(NOW + DAY_MS))), []);
  assertEquals(windowOf(counted([]).listing, sessionIdFor(new Date(NOW))), []);
  // An array may be sorted otherwise (some by when they arrived): each entry is looked at.
  const shuffled = [all[40], all[0], all[45], all[3]];
  const from = sessionIdFor(new Date(NOW - 10 * 3_600_000));
  assertEquals(windowOf(shuffled, from), [all[0], all[3]]);
});

Deno.test("SessionStart's window: the newest `limit` a filter takes, built about that many", () => {
  const all = history(100_000);
  const from = sessionIdFor(new Date(NOW - 1000 * DAY_MS));
  const { listing, built } = counted(all);
  const sent = new Set(all.filter((_, i) => i % 3 === 0));
  const expected = all.filter((e) => sent.has(e)).slice(0, 400);
  assertEquals(windowOf(listing, from, (e) => sent.has(e), 400), expected);
  // The window is 24,001 long; 400 taken of 1,198 looked at, a page over, and the halving.
  const looked = all.indexOf(expected.at(-1)!) + 1;
  assert(built() <= looked + 64 + 20, `built ${built()} entries for ${looked} looked at`);
});
