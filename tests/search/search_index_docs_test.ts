/**
 * Snapshots and handoffs in the search index: `mpm search` answers the same from it as from their
 * files — the person's and a teammate's pulled ones, a tampered one, limits, patterns and times —
 * and the same again once the index is deleted, damaged, of an older schema or a clone's copy. A
 * file is read again when its content changes, and a tampered one is never served from the index.
 */
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals, assertNotEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, okJson, type Repo, withClones, withRepo } from "../helpers.ts";

const HANDOFF = [
  'goal: "Refunds go through the new ledger"',
  "decisions:",
  '  - "Amounts are kept in cents, never floats"',
  'next_step: "Backfill the ledger table"',
  "",
].join("\n");

async function saveHandoff(repo: Repo): Promise<void> {
  const out = await mpm(["handoff", "save", "--input", "-", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: HANDOFF,
  });
  assertEquals(out.code, 0, out.stderr);
}

const QUERIES: string[][] = [
  ["ledger"],
  ["LEDGER"],
  ["le"],
  ["kept in cents"],
  ["tampered words"],
  ["zebra unicorn"],
  ["--regex", "ledger (tables|schema)"],
  ["--regex", "^back"],
  ["--limit", "2", "ledger"],
  ["--limit", "0", "e"],
  ["--limit", "1", "the"],
];

// deno-lint-ignore no-explicit-any
async function answers(repo: Repo): Promise<any[]> {
  const out = [];
  for (const query of QUERIES) {
    const found = await okJson(repo, "search", ...query, "--json");
    // The index's own word, said once, is not an answer.
    found.notes = found.notes.filter((n: string) => !n.startsWith("The search index"));
    out.push(found);
  }
  return out;
}

const cache = (repo: Repo) => join(repo.path, ".claude-mpm", "cache");

function indexFile(repo: Repo): string {
  const [name] = [...Deno.readDirSync(cache(repo))].map((e) => e.name)
    .filter((n) => /^search-[0-9a-f]{16}\.sqlite$/.test(n));
  assert(name !== undefined, "a search keeps an index");
  return join(cache(repo), name);
}

function drop(file: string, whole = true): void {
  for (const f of whole ? [file, `${file}-wal`, `${file}-shm`] : [`${file}-wal`, `${file}-shm`]) {
    try {
      Deno.removeSync(f, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}

/** What the index holds of the snapshots and handoffs: each file's row id, by its name. */
function held(file: string): Map<string, { id: number; src: string; meta: string }> {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = db.prepare("SELECT id, src, path, meta FROM doc").all() as {
      id: number;
      src: string;
      path: string;
      meta: string;
    }[];
    return new Map(rows.map((r) => [r.path.split(/[\\/]/).pop()!, r]));
  } finally {
    db.close();
  }
}

function snapshotFiles(repo: Repo): string[] {
  const dir = join(repo.path, ".claude-mpm", "sessions");
  return [...Deno.readDirSync(dir)].map((e) => e.name)
    .filter((n) => n.endsWith(".json")).sort().map((n) => join(dir, n));
}

/** Rewrites a snapshot's summary, and its checksum too unless it is `tampered`. */
async function edit(file: string, summary: string, tampered: boolean): Promise<void> {
  const record = JSON.parse(Deno.readTextFileSync(file));
  record.conversation.summary = summary;
  const text = JSON.stringify(record, null, 2) + "\n";
  Deno.writeTextFileSync(file, text);
  if (tampered) return;
  const hex = [
    ...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))),
  ]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const name = file.split(/[\\/]/).pop();
  Deno.writeTextFileSync(`${file}.sha256`, `${hex}  ${name}\n`);
}

Deno.test("snapshots and handoffs are searched from the index as from their files", async (t) => {
  await using clones = await withClones();
  const { a, b } = clones;
  await ok(a, "start", "billing", "--task", "Move the invoices to the new ledger");
  await ok(a, "todo", "add", "migrate the ledger tables");
  await ok(a, "pause", "-s", "Ledger schema drafted", "-n", "backfill the ledger");
  await saveHandoff(a);
  await ok(a, "sync", "push");
  await ok(b, "sync", "pull");
  await ok(b, "start", "refunds", "--task", "Round the ledger refunds");
  await ok(b, "pause", "-s", "The ledger rounds refunds half-even", "-n", "Backfill the old ones");
  await ok(b, "pause", "-s", "A second ledger pause, then the tampered one");
  // One of Bob's, tampered with after mpm wrote it: left out whenever a hit of it is to be shown.
  const bobs = snapshotFiles(b);
  const tampered = bobs[bobs.length - 1];
  await edit(tampered, "tampered words about the ledger", true);

  const fromIndex = await answers(b);
  const file = indexFile(b);
  const rows = held(file);

  await t.step("the index holds the snapshots and the handoff, read once", async () => {
    const sources = [...rows.values()].map((r) => r.src).sort();
    assertEquals(sources.filter((s) => s === "handoff").length, 1);
    assert(sources.filter((s) => s === "snapshot").length >= 3, sources.join());
    const ledger = fromIndex[0];
    const kinds = ledger.hits.map((h: { source: string }) => h.source);
    assert(kinds.includes("snapshot") && kinds.includes("handoff"), kinds.join());
    const teammate = ledger.hits.find((h: { source: string }) => h.source === "handoff");
    assert(typeof teammate.imported_from === "string", "a teammate's handoff is theirs");
    const left = fromIndex[4];
    assertEquals(left.total, 0);
    assertEquals(left.notes.length, 1);
    assertStringIncludes(left.notes[0], "does not match its checksum");
    const index = await okJson(b, "index", "--json");
    assertEquals([index.handoffs, index.snapshots], [1, rows.size - 1]);
    // Asked again: the same, the files not read again (the rows kept their ids).
    assertEquals(await answers(b), fromIndex);
    assertEquals(held(file), rows);
  });

  await t.step("the same answers as the files alone", async () => {
    drop(file);
    Deno.mkdirSync(file);
    assertEquals(await answers(b), fromIndex);
    Deno.removeSync(file);
  });

  await t.step("deleted, damaged, of an older schema: the same answers", async () => {
    assertEquals(await answers(b), fromIndex);
    drop(file, false);
    Deno.writeTextFileSync(file, "not a database ".repeat(1000));
    assertEquals(await answers(b), fromIndex);
    const db = new DatabaseSync(file);
    db.exec("PRAGMA user_version = 1");
    db.close();
    const first = await okJson(b, "search", "ledger", "--json");
    assertEquals(first.notes.filter((n: string) => n.startsWith("The search index")), [
      "The search index was of another mpm version; mpm built it again from the vault.",
    ]);
    assertEquals(await answers(b), fromIndex);
  });

  await t.step("a clone's copy at the index's name answers nothing of its own", async () => {
    await ok(a, "search", "ledger");
    drop(file);
    Deno.copyFileSync(indexFile(a), file);
    assertEquals(await answers(b), fromIndex);
    const paths = [...held(file).keys()];
    assertEquals(paths.sort(), [...held(indexFile(b)).keys()].sort());
    const db = new DatabaseSync(file, { readOnly: true });
    const theirs = db.prepare("SELECT count(*) AS n FROM doc WHERE path LIKE ?")
      .get(`${a.path}%`) as { n: number };
    db.close();
    assertEquals(theirs.n, 0, "what is not listed here is gone");
  });

  await t.step("an edited snapshot is read again; the others are not", async () => {
    const before = held(file);
    const edited = bobs[0];
    await edit(edited, "Zebra unicorn ledger, edited", false);
    const found = await okJson(b, "search", "zebra unicorn", "--json");
    assertEquals(found.hits.map((h: { kind: string }) => h.kind), ["summary"]);
    const after = held(file);
    const name = edited.split(/[\\/]/).pop()!;
    assertNotEquals(after.get(name)!.id, before.get(name)!.id, "read again");
    for (const [other, row] of before) {
      if (other !== name) assertEquals(after.get(other)!.id, row.id, `${other} kept`);
    }
    assertEquals((await okJson(b, "search", "half-even", "--json")).total, 1);
  });

  await t.step(
    "one verified once and tampered with after is not served from the index",
    async () => {
      const good = bobs[1];
      const name = good.split(/[\\/]/).pop()!;
      const before = await okJson(b, "search", "half-even", "--json");
      assertEquals(before.hits.length, 1);
      assertEquals(JSON.parse(held(file).get(name)!.meta).v, null, "verified once");
      await edit(good, "The ledger rounds refunds half-even, quietly changed", true);
      const after = await okJson(b, "search", "half-even", "--json");
      assertEquals(after.hits, []);
      assertEquals(after.notes.length, 1);
      assertStringIncludes(after.notes[0], "does not match its checksum");
      drop(file);
      assertEquals(await okJson(b, "search", "half-even", "--json"), after, "as the files say");
    },
  );

  await t.step("one whose checksum file alone was changed is not served either", async () => {
    const edited = bobs[0];
    const name = edited.split(/[\\/]/).pop()!;
    assertEquals((await okJson(b, "search", "zebra unicorn", "--json")).hits.length, 1);
    assertEquals(JSON.parse(held(file).get(name)!.meta).v, null, "verified once");
    Deno.writeTextFileSync(`${edited}.sha256`, `${"0".repeat(64)}  ${name}\n`);
    const after = await okJson(b, "search", "zebra unicorn", "--json");
    assertEquals(after.hits, []);
    assertStringIncludes(after.notes.join(" "), "does not match its checksum");
  });
});

Deno.test("a removed snapshot's words leave the index", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "Ledger schema drafted");
  await ok(repo, "pause", "-s", "Ledger tables migrated");
  assertEquals((await okJson(repo, "search", "ledger", "--json")).total, 2);
  const [first] = snapshotFiles(repo);
  const file = indexFile(repo);
  const name = first.split(/[\\/]/).pop()!;
  assert(held(file).has(name));
  Deno.removeSync(first);
  Deno.removeSync(`${first}.sha256`);
  assertEquals((await okJson(repo, "search", "ledger", "--json")).total, 1);
  assert(!held(file).has(name), "its rows are gone");
  const db = new DatabaseSync(file, { readOnly: true });
  const words = db.prepare("SELECT count(*) AS n FROM dtext WHERE x LIKE '%drafted%'").get();
  db.close();
  assertEquals((words as { n: number }).n, 0);
});
