/**
 * The search index is derived: `mpm search` answers the same from it as from the files — on a
 * varied corpus, plain text of every length and case, patterns, tool output, limits and times —
 * and the same again once it is deleted, damaged, of another schema, or a clone's copy.
 */
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals, assertNotEquals } from "../assert.ts";
import { type Repo, withRepo } from "../helpers.ts";
import { claudeEnds, claudeStarts, promptLine, REAL, runner } from "../vault/vault_helpers.ts";

const DAY = 86_400_000;
/** Both conversations' start: their words tie in time, copy with copy. */
const FROM = new Date(Math.floor((Date.now() - 2 * DAY) / 60_000) * 60_000);
/** A fixed time among the prompts', so two runs of the same query ask the same. */
const SINCE = new Date(FROM.getTime() + 90_000).toISOString();

/** Prompts that test folding, quoting, short text, line breaks and ties of time. */
const WORDS = [
  "Flights to İSTANBUL and the «ledger» hotels",
  'Say "quoted" text\nacross a line break',
  "ΟΔΟΣ final sigma οδος, long ſ and µ",
  "ab cd ab",
  "the webhook retry queue, then the Webhook Retry loop",
  "   spaced   out   words   ",
  "emoji 😀 in the ledger",
];

const QUERIES: string[][] = [
  ["ledger"],
  ["LEDGER"],
  ["istanbul"],
  ["İstanbul"],
  ["οδοσ"],
  ["ſ"],
  ["ab"],
  ["a"],
  ['"quoted"'],
  ["text\nacross"],
  ["   out   "],
  ["😀 in"],
  ["webhook retry"],
  ["zebra unicorn"],
  ["--regex", "retry (queue|loop)"],
  ["--regex", "^say"],
  // Its required text ("ledger (") is in a text it does not match, older than the one held.
  ["--limit", "1", "--regex", "ledger \\((1|x)"],
  ["--regex", "we.hook re?try\\s+q[u]eue"],
  ["--tools", "the"],
  ["--tools", "--regex", "e.h"],
  ["--limit", "0", "e"],
  ["--limit", "3", "the"],
  ["--since", SINCE, "ledger"],
];

async function corpus(repo: Repo): Promise<void> {
  const { ok } = runner(repo);
  await ok(["start", "ledger"]);
  for (const id of ["1", "2"]) {
    const sessionId = `0000000${id}-aaaa-4bbb-8ccc-000000000000`;
    const from = FROM;
    // Two prompts of each time: ties are kept in the order the files hold them.
    const lines = WORDS.flatMap((w, k) => {
      const at = new Date(from.getTime() + Math.floor(k / 2) * 60_000);
      return [promptLine(sessionId, `${w} (${id})`, at)];
    });
    await claudeStarts(repo, sessionId, REAL, {
      from,
      to: new Date(from.getTime() + 3_600_000),
      extraLines: lines,
    });
    await claudeEnds(repo, sessionId);
  }
}

async function answers(repo: Repo): Promise<unknown[]> {
  const { ok } = runner(repo);
  const out = [];
  for (const query of QUERIES) {
    const json = JSON.parse((await ok(["search", ...query, "--json"])).stdout);
    // The index's own word, said once, is not an answer.
    json.notes = json.notes.filter((n: string) => !n.startsWith("The search index"));
    out.push(json);
  }
  return out;
}

function cache(repo: Repo): string {
  return join(repo.path, ".claude-mpm", "cache");
}

/** Removes the index (or only its WAL and shared memory). */
function drop(file: string, whole = true): void {
  for (const f of whole ? [file, `${file}-wal`, `${file}-shm`] : [`${file}-wal`, `${file}-shm`]) {
    try {
      Deno.removeSync(f, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}

function indexFiles(repo: Repo): string[] {
  return [...Deno.readDirSync(cache(repo))].map((e) => e.name)
    .filter((n) => /^search-[0-9a-f]{16}\.sqlite$/.test(n));
}

Deno.test("the search index answers as the files do, and is only ever a cache of them", async (t) => {
  await using repo = await withRepo();
  await corpus(repo);
  const fromIndex = await answers(repo);
  const [name] = indexFiles(repo);
  assert(name !== undefined, "a search keeps an index");
  const file = join(cache(repo), name);
  const transcriptHits = (fromIndex as { hits: { source: string }[] }[]).flatMap((a) => a.hits)
    .filter((h) => h.source === "transcript").length;
  assert(transcriptHits > 40, `${transcriptHits} transcript hits`);

  await t.step("it is this machine's: 0600, in a folder git ignores", () => {
    assertEquals(Deno.statSync(file).mode! & 0o777, 0o600);
    assertEquals(Deno.statSync(cache(repo)).mode! & 0o777, 0o700);
    assertEquals(Deno.readTextFileSync(join(cache(repo), ".gitignore")).includes("*"), true);
  });

  await t.step("the same hits as a search of the files", async () => {
    // A folder in the index's place: it cannot be opened, and the files answer.
    drop(file);
    Deno.mkdirSync(file);
    Deno.writeTextFileSync(join(file, "in the way"), "");
    assertEquals(await answers(repo), fromIndex);
    assertEquals(Deno.statSync(file).isDirectory, true, "the files answered");
    Deno.removeSync(file, { recursive: true });
  });

  await t.step(
    "a link in its place is removed, never followed, and the index made again",
    async () => {
      const { ok } = runner(repo);
      const outside = await Deno.makeTempFile();
      await Deno.writeTextFile(outside, "someone's file");
      const vaulted = [...Deno.readDirSync(join(repo.path, ".claude-mpm", "vault"))]
        .map((e) => join(repo.path, ".claude-mpm", "vault", e.name)).find((f) =>
          f.endsWith(".json")
        )!;
      const before = await Deno.readFile(vaulted);
      for (const target of [outside, vaulted]) {
        drop(file);
        Deno.symlinkSync(target, file);
        const first = JSON.parse((await ok(["search", "ledger", "--json"])).stdout);
        assertEquals(first.notes, [
          "The search index was damaged; mpm built it again from the vault.",
        ]);
        assertEquals(Deno.lstatSync(file).isFile, true);
        assertEquals(await answers(repo), fromIndex);
      }
      assertEquals(await Deno.readTextFile(outside), "someone's file");
      assertEquals(await Deno.readFile(vaulted), before);
      await Deno.remove(outside);
    },
  );

  await t.step("deleted: built again, the same answers", async () => {
    assertEquals(await answers(repo), fromIndex);
    assert(Deno.statSync(file).size > 0);
  });

  await t.step("damaged: said once, built again, the same answers", async () => {
    drop(file, false);
    Deno.writeTextFileSync(file, "not a database ".repeat(1000));
    const { ok } = runner(repo);
    const first = JSON.parse((await ok(["search", "ledger", "--json"])).stdout);
    assertEquals(first.notes, ["The search index was damaged; mpm built it again from the vault."]);
    assertEquals(await answers(repo), fromIndex);
  });

  await t.step("of another schema: built again, the same answers", async () => {
    const db = new DatabaseSync(file);
    db.exec("PRAGMA user_version = 99");
    db.close();
    assertEquals(await answers(repo), fromIndex);
    const again = new DatabaseSync(file);
    assertNotEquals(
      (again.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
      99,
    );
    again.close();
  });

  await t.step("a clone's copy at the index's name holds nothing this vault does", async () => {
    await using other = await withRepo();
    await runner(other).ok(["start", "other"]);
    const id = "00000009-aaaa-4bbb-8ccc-000000000000";
    await claudeStarts(other, id, REAL, {
      extraLines: [promptLine(id, "a ledger word only the clone has")],
    });
    await claudeEnds(other, id);
    await runner(other).ok(["search", "ledger"]);
    const [theirs] = indexFiles(other);
    assertNotEquals(theirs, name, "another clone's index has another name");
    drop(file);
    Deno.copyFileSync(join(cache(other), theirs), file);
    assertEquals(await answers(repo), fromIndex);
    const db = new DatabaseSync(file);
    const left = db.prepare("SELECT count(*) AS n FROM rec WHERE x LIKE '%only the clone%'").get();
    db.close();
    assertEquals((left as { n: number }).n, 0, "what no copy here names is gone");
  });

  await t.step("mpm index and mpm doctor say what it is; --rebuild makes it again", async () => {
    const { ok, run } = runner(repo);
    drop(file, false);
    Deno.writeTextFileSync(file, "not a database ".repeat(1000));
    assertEquals(JSON.parse((await ok(["index", "--json"])).stdout).state, "unusable");
    const doctor = await run(["doctor", "--json"]);
    const check = JSON.parse(doctor.stdout).checks.find((c: { id: string }) =>
      c.id === "search-index"
    );
    assertEquals([check.status, check.fix], ["warn", "mpm index --rebuild"]);
    const rebuilt = JSON.parse((await ok(["index", "--rebuild", "--json"])).stdout);
    assertEquals([rebuilt.state, rebuilt.copies, rebuilt.talk_indexed], ["ok", 2, 2]);
    assertEquals(await answers(repo), fromIndex);
  });
});
