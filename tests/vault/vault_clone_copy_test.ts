/**
 * A vault copy committed into a repository someone clones is not the person's transcript, though no
 * pull imported it: replay, its summary, search and `mpm mcp` go by whether this machine sealed the
 * copy (vault/records/store.ts `copyOrigin`), never by the `imported` mark alone, and tell its
 * prompts as from the repository.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { withClones } from "../helpers.ts";
import {
  claudeEnds,
  claudeStarts,
  commitAndPull,
  filesUnder,
  manifest,
  REAL,
  REAL_ID,
  runner,
} from "./vault_helpers.ts";

const GENUINE = "Add a payment module with charge and refund, then run the tests.";

Deno.test("a clone's committed vault copy is told as from the repository, never as the person's", async (t) => {
  await using clones = await withClones();
  const { a, b } = clones;
  // A works with Claude, then commits its .claude-mpm/ (snapshots and vault) into the repository.
  await runner(a).ok(["start", "payments"]);
  await claudeStarts(a, REAL_ID, REAL);
  await claudeEnds(a, REAL_ID);
  const key: string = (await manifest(a, REAL_ID)).keys.at(-1);
  const store = join(a.path, ".claude-mpm");
  const files: Record<string, Uint8Array> = {};
  for (const name of await filesUnder(store)) {
    if (!name.startsWith("sessions/") && !name.startsWith("vault/")) continue;
    if (name.endsWith(".lock")) continue;
    files[`.claude-mpm/${name}`] = await Deno.readFile(join(store, name));
  }
  await commitAndPull(a, b, files);

  await t.step("replay tells its prompts as from the repository", async () => {
    const events = (await runner(b).ok(["replay", key, "--json"])).stdout.trim().split("\n")
      .map((l) => JSON.parse(l));
    const prompt = events.find((e) => e.kind === "prompt" && e.text === GENUINE);
    assert(prompt !== undefined, "the prompt is shown");
    assertEquals(prompt.imported_from, "the repository");
    const terminal = (await runner(b).ok(["replay", key])).stdout;
    assertStringIncludes(terminal, "a teammate's, from the repository");
  });

  await t.step("summary says whose it is on the line", async () => {
    const summary = (await runner(b).ok(["summary", key])).stdout;
    const line = summary.split("\n").find((l) => l.includes(GENUINE.slice(0, 30)));
    assert(line !== undefined, summary);
    assertStringIncludes(line, "a teammate's, from the repository");
  });

  await t.step("search marks the hit as not the person's", async () => {
    const found = JSON.parse((await runner(b).ok(["search", "payment module", "--json"])).stdout);
    const hit = found.hits.find((h: { source: string }) => h.source === "transcript");
    assert(hit !== undefined, JSON.stringify(found));
    assertEquals(hit.imported_from, "the repository");
    const shown = (await runner(b).ok(["search", "payment module"])).stdout;
    assertStringIncludes(shown, "not yours: a teammate's, from the repository");
  });
});
