/**
 * `mpm prune`, `mpm list` and `mpm show` agreeing, end to end: `--keep N` keeps N sessions as
 * `mpm list` folds them (each with its snapshots), `mpm show N` counts as `mpm list` and
 * `mpm resume N` count, and `mpm list --state` goes by the state the list shows.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, okJson, type Repo, withRepo } from "../../helpers.ts";

interface Row {
  index: number | null;
  session_id: string;
  name: string | null;
  summary: string | null;
  state: string;
}

async function listed(repo: Repo, ...args: string[]): Promise<Row[]> {
  return await okJson(repo, "list", "--json", ...args);
}

/** The `[N] id` lines of the text list, as "N name" (the first tag). */
async function listLines(repo: Repo, ...args: string[]): Promise<string[]> {
  const text = (await ok(repo, "list", ...args)).stdout;
  return [...text.matchAll(/^ {2}\[(\d+)\] \S+ - .*? \[([^\],]+)/gm)].map((m) => `${m[1]} ${m[2]}`);
}

/** The summary of the snapshot `mpm show SESSION` shows. */
async function shown(repo: Repo, session: string): Promise<string> {
  return (await okJson(repo, "show", session, "--json")).conversation.summary;
}

Deno.test("mpm show N picks what mpm list numbers N, as mpm resume N does, after a prune", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "alpha");
  await ok(repo, "pause", "-s", "alpha work");
  await ok(repo, "start", "beta");
  await ok(repo, "done", "-s", "beta finished");
  await ok(repo, "start", "gamma");
  await ok(repo, "pause", "-s", "gamma work");
  const report = await okJson(repo, "prune", "--keep", "2", "--json");
  const [archived] = report.archived.map((a: { session_id: string }) => a.session_id);
  assertEquals(await listLines(repo), ["0 gamma", "1 alpha"]);
  assertEquals(await shown(repo, "1"), "alpha work");
  assertStringIncludes((await ok(repo, "show", "1")).stdout, "alpha work");
  // The archived snapshot is still shown by its id, or a prefix of it.
  assertEquals(await shown(repo, archived), "beta finished");
  assertEquals(await shown(repo, archived.slice(0, -2)), "beta finished");
  const resumed = await okJson(repo, "resume", "1", "--no-changes", "--json");
  assertEquals(resumed.session.conversation.summary, "alpha work");
  // An index past what `mpm list` counts names nothing, archived snapshots or not.
  assertEquals((await repo.run("show", "2")).code, 3);
});

Deno.test("mpm list --all numbers as mpm show and mpm resume count; an archived snapshot by its id", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "alpha");
  await ok(repo, "pause", "-s", "alpha work");
  await ok(repo, "start", "beta");
  await ok(repo, "done", "-s", "beta finished");
  await ok(repo, "start", "gamma");
  await ok(repo, "pause", "-s", "gamma work");
  await ok(repo, "prune", "--keep", "2");
  const text = (await ok(repo, "list", "--all")).stdout;
  assertEquals(await listLines(repo, "--all"), ["0 gamma", "1 alpha"]);
  assertMatch(text, /^ {2}\[archived\] session-\S+ - .* \[beta, ✓ completed\]$/m);
  assertStringIncludes(text, "mpm show ID");
  const rows = await listed(repo, "--all");
  assertEquals(rows.map((r) => [r.index, r.name]), [[0, "gamma"], [null, "beta"], [1, "alpha"]]);
  for (const row of rows.filter((r) => r.index !== null)) {
    assertEquals(await shown(repo, String(row.index)), row.summary);
  }
  const archived = await listed(repo, "--state", "archived");
  assertEquals(archived.map((r) => [r.index, r.name]), [[null, "beta"]]);

  // Damaged, it is still in the archive: marked, not hidden.
  const file = join(repo.path, ".claude-mpm/sessions/archive", `${archived[0].session_id}.json`);
  await Deno.writeTextFile(file, (await Deno.readTextFile(file)).replace("beta", "BETA"));
  const damaged = (await ok(repo, "list", "--state", "archived")).stdout;
  assertStringIncludes(damaged, `  [archived] ${archived[0].session_id} ✗ unreadable: `);
  assertEquals((await listed(repo, "--state", "archived")).map((r) => r.state), ["invalid"]);
  assertEquals((await repo.run("show", archived[0].session_id)).code, 4);
});

Deno.test("mpm prune --keep N keeps N sessions with their snapshots; --dry-run plans the same", async () => {
  await using repo = await withRepo();
  for (const name of ["one", "two", "three"]) {
    await ok(repo, "start", name);
    await ok(repo, "pause", "-s", `${name} A`);
    await ok(repo, "resume", "--no-changes");
    await ok(repo, "pause", "-s", `${name} B`);
  }
  const before = await listed(repo);
  const idsOf = (...names: string[]) =>
    before.filter((r) => names.includes(r.name!)).map((r) => r.session_id);

  const dry = await okJson(repo, "prune", "--keep", "2", "--dry-run", "--json");
  const dryText = (await ok(repo, "prune", "--keep", "2", "--dry-run")).stdout;
  assertStringIncludes(dryText, "Would archive 2 snapshots of 1 session to ");
  assertStringIncludes(dryText, "Kept 4 snapshots of 2 sessions");
  assertEquals((await listed(repo)).length, 6, "a dry run moves nothing");

  const report = await okJson(repo, "prune", "--keep", "2", "--json");
  const ids = (rows: { session_id: string }[]) => rows.map((r) => r.session_id);
  assertEquals(ids(report.archived), idsOf("one"));
  assertEquals(ids(report.kept), idsOf("two", "three"));
  assertEquals([ids(dry.archived), ids(dry.kept)], [ids(report.archived), ids(report.kept)]);
  assertEquals(await listLines(repo), ["0 three", "2 two"]);

  // The words say what they count: snapshots, and the sessions they are of.
  await ok(repo, "start", "four");
  await ok(repo, "pause", "-s", "four A");
  const text = (await ok(repo, "prune", "--keep", "2")).stdout;
  assertStringIncludes(text, "Archived 2 snapshots of 1 session to ");
  assertStringIncludes(text, "Kept 3 snapshots of 2 sessions");
  assertEquals(await listLines(repo), ["0 four", "1 three"]);
});

Deno.test("mpm prune --keep counts the session at work now first, as mpm list shows it", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "alpha");
  await ok(repo, "pause", "-s", "alpha A");
  await ok(repo, "resume", "--no-changes");
  await ok(repo, "pause", "-s", "alpha B");
  await ok(repo, "start", "beta");
  await ok(repo, "pause", "-s", "beta work");
  await ok(repo, "start", "gamma");
  await ok(repo, "pause", "-s", "gamma work");
  const alpha = (await listed(repo)).filter((r) => r.name === "alpha").map((r) => r.session_id);
  await ok(repo, "resume", alpha[0], "--no-changes");
  const report = await okJson(repo, "prune", "--keep", "1", "--json");
  // Alpha is kept whole, gamma as the newest snapshot; beta goes.
  assertEquals(
    report.archived.map((a: Row) => a.session_id),
    (await listed(repo, "--all"))
      .filter((r) => r.name === "beta").map((r) => r.session_id),
  );
  assertEquals(await listLines(repo), ["0 gamma", "1 alpha"]);
  assertEquals((await listed(repo)).filter((r) => r.name === "alpha").length, 2);
});

Deno.test("mpm list --state goes by the state the list shows: the session at work is active", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "other");
  await ok(repo, "pause", "-s", "other work");
  await ok(repo, "start", "w");
  await ok(repo, "pause", "-s", "p");
  await ok(repo, "resume", "--no-changes");
  assertEquals(await listLines(repo, "--state", "active"), ["0 w"]);
  assertEquals(await listLines(repo, "--state", "paused"), ["1 other"]);
  assertEquals((await listed(repo, "--state", "active")).map((r) => r.name), ["w"]);
  assertEquals((await listed(repo, "--state", "paused")).map((r) => r.name), ["other"]);
  // Paused again, it is paused.
  await ok(repo, "pause", "-s", "p again");
  assertEquals(await listLines(repo, "--state", "paused"), ["0 w", "2 other"]);
  assertStringIncludes(
    (await ok(repo, "list", "--state", "active")).stdout,
    "No sessions are active",
  );
});

Deno.test("an id prefix that names a live snapshot and an archived one is ambiguous, not the live one", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "alpha");
  await ok(repo, "pause", "-s", "alpha work");
  await ok(repo, "start", "beta");
  await ok(repo, "pause", "-s", "beta work");
  await ok(repo, "prune", "--keep", "1");
  const [live] = await listed(repo);
  const archived = (await listed(repo, "--state", "archived"))[0].session_id;
  assert(live.session_id !== archived);
  // The longest prefix both ids share names both: neither is taken for it.
  let common = 0;
  while (live.session_id[common] === archived[common]) common++;
  const prefix = live.session_id.slice(0, common);
  for (const command of ["show", "resume"]) {
    const result = await mpm([command, prefix], { cwd: repo.path, env: { HOME: repo.home } });
    assertEquals(result.code, 2, `${command}: ${result.stdout}${result.stderr}`);
    assertStringIncludes(result.stderr, archived);
    assertStringIncludes(result.stderr, live.session_id);
  }
  // A prefix only the live one has is still the live one.
  assertEquals(await shown(repo, live.session_id.slice(0, common + 1)), "beta work");
});
