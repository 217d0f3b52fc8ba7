/**
 * Claude's handoffs are searched as pauses are: a decision, what was tried, the goal and the next
 * step are found by `mpm search` and by `mpm mcp`'s search tool, each hit marked as Claude's
 * handoff, and a teammate's pulled handoff as not the person's.
 */
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, okJson, type Repo, withClones } from "../helpers.ts";
import { connect } from "../mcp/mcp_helpers.ts";

const HANDOFF = [
  'goal: "Refunds go through the new ledger"',
  "decisions:",
  '  - "Amounts are kept in cents, never floats"',
  "tried:",
  '  - "Rounding at the edge of the Stripe webhook: lost a cent per refund"',
  'next_step: "Backfill the ledger table"',
  "",
].join("\n");

async function save(repo: Repo): Promise<string> {
  const out = await mpm(["handoff", "save", "--input", "-", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: HANDOFF,
  });
  assertEquals(out.code, 0, out.stderr);
  return JSON.parse(out.stdout).handoff_id;
}

Deno.test("a handoff's decision is found by mpm search and the MCP tool, as Claude's, and whose", async (t) => {
  await using clones = await withClones();
  const { a, b } = clones;
  await ok(a, "pause", "-s", "Payments");
  const id = await save(a);

  await t.step("by mpm search, marked as Claude's handoff written here", async () => {
    const found = await okJson(a, "search", "kept in cents", "--json");
    assertEquals(found.total, 1);
    const [hit] = found.hits;
    assertEquals([hit.source, hit.kind, hit.open], [
      "handoff",
      "decision (Claude's)",
      `mpm handoff show ${id}`,
    ]);
    assertEquals(hit.file, `.claude-mpm/handoffs/${id}.md`);
    assertEquals(hit.imported_from, undefined);
    assertEquals(hit.excerpt.slice(...hit.match), "kept in cents");
    const tried = await okJson(a, "search", "lost a cent", "--json");
    assertEquals(tried.hits.map((h: { kind: string }) => h.kind), ["tried (Claude's)"]);
    const shown = (await ok(a, "search", "kept in cents")).stdout;
    assertStringIncludes(shown, "handoff · decision (Claude's)");
    assert(!shown.includes("not yours"), shown);
  });

  await t.step("by the MCP search tool, marked as this machine's handoff", async () => {
    await using server = await connect(a);
    const { text, error } = await server.call("search", { query: "kept in cents" });
    assert(!error, text);
    assertStringIncludes(text, "1 match for");
    assertStringIncludes(text, "handoff decision (Claude's)");
    assertStringIncludes(text, "Claude's handoff, written in this project on this machine");
    assertStringIncludes(text, "«kept in cents»");
  });

  await t.step("a teammate's pulled handoff is found as theirs", async () => {
    await ok(a, "sync", "push");
    await ok(b, "sync", "pull");
    const found = await okJson(b, "search", "kept in cents", "--json");
    assertEquals(found.total, 1);
    const [hit] = found.hits;
    assertEquals([hit.source, hit.kind], ["handoff", "decision (Claude's)"]);
    assert(typeof hit.imported_from === "string", JSON.stringify(hit));
    const shown = (await ok(b, "search", "kept in cents")).stdout;
    assertStringIncludes(shown, "not yours: a teammate's");
    await using server = await connect(b);
    const { text } = await server.call("search", { query: "kept in cents" });
    assertStringIncludes(
      text,
      "Claude's handoff written elsewhere (a teammate's or a clone's), not the person's words",
    );
  });
});
