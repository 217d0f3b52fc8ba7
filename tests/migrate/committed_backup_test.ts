/**
 * `mpm migrate --rollback` without a name takes only a backup this machine made: a teammate
 * migrates a claude-mpm project and commits `.claude-mpm/` with its backup (dated to sort as the
 * newest); in the person's clone an unnamed rollback refuses, naming that backup and how to
 * restore it, and changes nothing; named, it is restored; and once the person has migrated
 * themselves, an unnamed rollback takes their own backup over the committed, newer one.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { copyTree, git, okJson, repoAt, ROOT, withRepo } from "../helpers.ts";
import { sha256Hex } from "../../src/kernel/hashing/checksum.ts";

const FIXTURE = join(ROOT, "tests/fixtures/claude-mpm/sessions");
const PLANTED = "migrate-20991231-235959";

/** The digest of every file under `dir`, by its path there. */
async function digests(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(at: string, rel: string) {
    for await (const entry of Deno.readDir(at)) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory) await walk(join(at, entry.name), name);
      else out[name] = sha256Hex(await Deno.readFile(join(at, entry.name)));
    }
  }
  await walk(dir, "");
  return out;
}

Deno.test("migrate --rollback without a name never restores a backup this machine did not make", async (t) => {
  await using upstream = await withRepo();
  const authorHome = join(upstream.path, "..", "author-home");
  await Deno.mkdir(authorHome, { recursive: true });
  const author = repoAt(upstream.path, authorHome, async () => {});
  await copyTree(FIXTURE, join(upstream.path, ".claude-mpm", "sessions"));
  const migrated = await okJson(author, "migrate", "--json");
  // The teammate's backup, named to sort after any the person could make.
  await Deno.rename(
    join(upstream.path, migrated.backup),
    join(upstream.path, ".claude-mpm", "backups", PLANTED),
  );
  await upstream.git("add", "-f", ".claude-mpm");
  await upstream.git("commit", "-q", "-m", "Migrate the sessions");
  const path = join(upstream.path, "..", "clone");
  await git(join(upstream.path, ".."), "clone", "-q", upstream.path, path);
  const clone = repoAt(path, upstream.home, () => Promise.resolve());
  const base = join(clone.path, ".claude-mpm");

  await t.step(
    "unnamed, it refuses, naming the backup and how to restore it; nothing changes",
    async () => {
      const before = await digests(base);
      const out = await clone.run("migrate", "--rollback");
      assertEquals(out.code, 3, out.stderr);
      assertStringIncludes(
        out.stderr,
        `${PLANTED} came with the repository, so it is not restored unnamed`,
      );
      assertStringIncludes(out.stderr, `mpm migrate --rollback ${PLANTED}`);
      assertEquals(await digests(base), before);
    },
  );

  await t.step("named, it is restored", async () => {
    const out = await okJson(clone, "migrate", "--rollback", PLANTED, "--json");
    assertStringIncludes(out.backup, PLANTED);
  });

  await t.step("the person's own backup is taken over the committed, newer one", async () => {
    const own = await okJson(clone, "migrate", "--json");
    // The committed backup comes back (the rollback above removed it).
    await clone.git("checkout", "-q", "HEAD", "--", `.claude-mpm/backups/${PLANTED}`);
    const out = await okJson(clone, "migrate", "--rollback", "--json");
    assertEquals(out.backup.split("/").pop(), own.backup.split("/").pop());
    assert(!out.backup.includes(PLANTED), out.backup);
  });
});
