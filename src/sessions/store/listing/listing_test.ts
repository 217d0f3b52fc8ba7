import { assert, assertEquals } from "../../../../tests/assert.ts";
import { join } from "../../../kernel/path.ts";
import { sessionIdFor, sessionSortKey } from "../../../kernel/ids.ts";
import { projectPaths } from "../../../disk/paths.ts";
import { listSnapshots } from "./listing.ts";

Deno.test("ids dated after their arrival move to it, and the rest of the listing is not built", async () => {
  const root = await Deno.makeTempDir({ prefix: "mpm-listing-" });
  try {
    const paths = projectPaths(root);
    await Deno.mkdir(paths.sessions, { recursive: true });
    const start = Date.UTC(2026, 0, 1);
    const written = new Map<string, Date>();
    const write = async (id: string, arrived: Date) => {
      const file = join(paths.sessions, `${id}.json`);
      await Deno.writeTextFile(file, "{}\n");
      await Deno.utime(file, arrived, arrived);
      written.set(id, arrived);
    };
    // 300 made as dated; then six from a clock set ahead (2099), which arrived among them (one
    // at a second some made as dated share, one after them all).
    for (let i = 0; i < 300; i++) {
      const made = new Date(start + i * 60_000);
      await write(sessionIdFor(made), made);
    }
    const arrivals = [30.5, 31, 120.25, 120.75, 299.5, 400].map((m) => start + m * 60_000);
    for (const [j, at] of arrivals.entries()) {
      await write(sessionIdFor(new Date(Date.UTC(2099, 0, 1) + j * 1000)), new Date(at));
    }
    // What a sort of the whole folder by arrival-capped keys gives.
    const ids = [...written.keys()].sort((a, b) => sessionSortKey(b) < sessionSortKey(a) ? -1 : 1);
    const key = (id: string) => sessionSortKey(id, written.get(id));
    const expected = ids.map((id, i) => ({ id, i, key: key(id) }))
      .sort((a, b) => a.key < b.key ? 1 : a.key > b.key ? -1 : a.i - b.i)
      .map((k) => k.id);

    const listing = await listSnapshots(paths);
    assert(!Array.isArray(listing), "built a page at a time, not whole");
    assertEquals(listing.length, expected.length);
    assertEquals(listing.slice().map((e) => e.id), expected);
    for (const [from, to] of [[0, 20], [20, 64], [160, 200], [250, 306], [-10, undefined]]) {
      assertEquals(listing.slice(from, to).map((e) => e.id), expected.slice(from, to), `${from}`);
    }
    assertEquals(listing.slice(0, 1)[0].id, sessionIdFor(new Date(Date.UTC(2099, 0, 1) + 5000)));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
