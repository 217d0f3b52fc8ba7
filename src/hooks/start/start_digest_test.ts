import { assert, assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { type Repo, tempDir, withRepo } from "../../../tests/helpers.ts";
import { hookEnv, payload, seedClaudeHome } from "../../../tests/hooks/hooks_helpers.ts";
import { projectPaths } from "../../disk/paths.ts";
import { runHook } from "../events/hook_command.ts";
import { startRecordFile as digestFile } from "./record/start_record.ts";
import { hmacSha256Hex } from "../../kernel/hashing/seal.ts";

const MARK = "TOLD FROM THE DIGEST";

async function start(repo: Repo, source = "startup", now = new Date()): Promise<string> {
  const result = await runHook(
    hookEnv(repo, payload(`session-start-${source}.json`, repo), now),
    "session-start",
  );
  return JSON.parse(result.stdout!).hookSpecificOutput.additionalContext as string;
}

/** This machine's key, as the repository's HOME keeps it (disk/machine_key.ts). */
async function machineKeyOf(repo: Repo): Promise<string> {
  return JSON.parse(await Deno.readTextFile(`${repo.home}/.local/state/mpm/machine.json`)).key;
}

/** Writes a digest sealed as this machine seals it (`key`: another key, a forger's). */
async function writeSealed(repo: Repo, digest: Record<string, unknown>, key?: string) {
  const { seal: _, ...body } = digest;
  const text = JSON.stringify(body);
  const seal = hmacSha256Hex(key ?? await machineKeyOf(repo), text);
  await Deno.writeTextFile(digestFile(projectPaths(repo.path)), JSON.stringify({ ...body, seal }));
}

/** Rewrites the digest's session text so that a start told from it shows MARK. */
async function markDigest(repo: Repo): Promise<void> {
  const file = digestFile(projectPaths(repo.path));
  const digest = JSON.parse(await Deno.readTextFile(file));
  digest.session.facts.full.texts[0] = `# mpm\n\n${MARK}`;
  await writeSealed(repo, digest);
}

Deno.test("SessionStart keeps a digest, and the next start tells the same from it", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("pause", "-s", "Digest me")).code, 0);
  // "just now" is told against this clock, not however long the starts below take to run.
  const pausedAt = new Date();
  const first = await start(repo);
  assertStringIncludes(first, "Digest me");
  const second = await start(repo);
  assertEquals(second, first);
  await markDigest(repo);
  assertStringIncludes(await start(repo), MARK);
  // A short start (compact) is told from the digest's short text, with its own times filled in.
  const compact = await start(repo, "compact", pausedAt);
  assertStringIncludes(compact, "Digest me");
  assertStringIncludes(compact, "just now");
});

Deno.test("the digest is not used once the state, the listing or the snapshot changed", async (t) => {
  await using repo = await withRepo();
  assertEquals((await repo.run("pause", "-s", "First words")).code, 0);
  await start(repo);
  const paths = projectPaths(repo.path);

  /** Marks the digest and checks the next start is told from it: it was current. */
  const marked = async () => {
    await markDigest(repo);
    assertStringIncludes(await start(repo), MARK);
  };

  await t.step("a new snapshot", async () => {
    await marked();
    assertEquals((await repo.run("pause", "-s", "Newer words")).code, 0);
    const text = await start(repo);
    assert(!text.includes(MARK), text);
    assertStringIncludes(text, "Newer words");
  });

  await t.step("the state (a session started)", async () => {
    await marked();
    assertEquals((await repo.run("start", "Fresh task")).code, 0);
    const text = await start(repo);
    assert(!text.includes(MARK), text);
    assertStringIncludes(text, "Fresh task");
  });

  await t.step("the snapshot replaced by another file with the same bytes", async () => {
    await marked();
    const [json] = [...Deno.readDirSync(paths.sessions)]
      .map((entry) => entry.name).filter((name) => name.endsWith(".json")).sort().reverse();
    const file = `${paths.sessions}/${json}`;
    await Deno.writeTextFile(`${file}.new`, await Deno.readTextFile(file));
    await Deno.rename(`${file}.new`, file);
    assert(!(await start(repo)).includes(MARK));
  });

  await t.step("a digest another mpm rendered", async () => {
    await marked();
    const digest = JSON.parse(await Deno.readTextFile(digestFile(paths)));
    await writeSealed(repo, { ...digest, mpm: "0.0.1 old" });
    assert(!(await start(repo)).includes(MARK));
  });

  await t.step("a digest this machine did not seal (committed, or another clone's)", async () => {
    await marked();
    const digest = JSON.parse(await Deno.readTextFile(digestFile(paths)));
    await writeSealed(repo, digest, "ab".repeat(32));
    assert(!(await start(repo)).includes(MARK));
    const { seal: _, ...unsealed } = digest;
    await Deno.writeTextFile(digestFile(paths), JSON.stringify(unsealed));
    assert(!(await start(repo)).includes(MARK));
  });

  await t.step("a digest that is a link out of the project", async () => {
    await marked();
    await using outside = await tempDir();
    const target = `${outside.path}/start.json`;
    await Deno.rename(digestFile(paths), target);
    await Deno.symlink(target, digestFile(paths));
    assert(!(await start(repo)).includes(MARK));
    assertStringIncludes(await Deno.readTextFile(target), MARK);
    await Deno.remove(digestFile(paths));
  });

  await t.step("a digest of another shape", async () => {
    await Deno.writeTextFile(digestFile(paths), JSON.stringify({ version: 99 }));
    const text = await start(repo);
    assertStringIncludes(text, "Fresh task");
  });
});

Deno.test("a damaged snapshot leaves no digest: its warning is told at every start", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("pause", "-s", "Older")).code, 0);
  assertEquals((await repo.run("pause", "-s", "Newer")).code, 0);
  const paths = projectPaths(repo.path);
  const newest = [...Deno.readDirSync(paths.sessions)]
    .map((entry) => entry.name).filter((name) => name.endsWith(".json")).sort().at(-1)!;
  await Deno.writeTextFile(`${paths.sessions}/${newest}`, "{ not json");
  for (let i = 0; i < 2; i++) {
    const text = await start(repo);
    assertStringIncludes(text, "was skipped");
    assertStringIncludes(text, "Older");
  }
  // The start record keeps the status and the commits, but no digest.
  const record = await Deno.readTextFile(digestFile(paths)).then(JSON.parse, () => ({}));
  assertEquals(record.seen, undefined);
});

Deno.test("SessionEnd's pause leaves a digest the next start is told from", async () => {
  await using repo = await withRepo();
  await seedClaudeHome(repo);
  assertEquals((await repo.run("pause", "-s", "Before Claude")).code, 0);
  await Deno.writeTextFile(`${repo.path}/changed.txt`, "work\n");
  await runHook(hookEnv(repo, payload("session-end.json", repo), new Date()), "session-end");
  await markDigest(repo);
  const text = await start(repo);
  assertStringIncludes(text, MARK);
});

Deno.test("with only finished sessions, more than a start reads, the digest stays current", async () => {
  await using repo = await withRepo();
  for (let i = 0; i < 11; i++) {
    assertEquals((await repo.run("start", `Task ${i}`)).code, 0);
    assertEquals((await repo.run("done", "-s", `Finished ${i}`)).code, 0);
  }
  const run = () =>
    runHook(
      hookEnv(repo, payload("session-start-startup.json", repo), new Date()),
      "session-start",
    );
  await run();
  const file = digestFile(projectPaths(repo.path));
  const written = (await Deno.lstat(file)).ino;
  await run();
  // Told from the digest, a start writes none: the file is the one the first start wrote.
  assertEquals((await Deno.lstat(file)).ino, written);
});
