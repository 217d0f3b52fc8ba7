/**
 * A branch name or file path that looks like a secret is stored as it is (resume and return
 * need the real name), named by `mpm doctor`, and never pushed by `mpm sync push`.
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertStringIncludes,
} from "../../assert.ts";
import { withClones } from "../../helpers.ts";

const TOKEN = "ghp_" + "R8vX2mQ7tL4kP9wN3cB6zH1jD5fG0sYaE2uT";
const BRANCH = `fix/${TOKEN}`;

Deno.test("a secret-looking branch is kept as is, named by doctor, and held back from sync push", async () => {
  await using clones = await withClones();
  const { a } = clones;
  await a.git("switch", "-q", "-c", BRANCH);
  await a.write(`${TOKEN}.txt`, "scratch\n");
  const paused = await a.run("pause", "--json", "--no-prune-worktrees", "-s", "on a leaky branch");
  assertEquals(paused.code, 0, paused.stderr);
  const id = JSON.parse(paused.stdout).session_id as string;
  const stored = JSON.parse(
    await Deno.readTextFile(join(a.path, ".claude-mpm/sessions", `${id}.json`)),
  );
  assertEquals(stored.git_context.branch, BRANCH, "stored as is: return switches back to it");
  assert(stored.git_context.status.untracked.some((p: string) => p.includes(TOKEN)));

  const doctor = await a.run("doctor", "--json");
  const checks = JSON.parse(doctor.stdout).checks as {
    id: string;
    status: string;
    message: string;
  }[];
  const secrets = checks.find((c) => c.id === "secrets");
  assert(secrets, doctor.stdout);
  assertEquals(secrets.status, "warn");
  assertStringIncludes(secrets.message, `${id} (branch, file path)`);
  assertNotIncludes(secrets.message, TOKEN);

  const pushed = await a.run("sync", "push", "--json");
  assertEquals(pushed.code, 0, pushed.stderr);
  const result = JSON.parse(pushed.stdout);
  assertEquals(result.pushed, []);
  assertEquals(result.held_back.map((h: { id: string }) => h.id), [id]);
  assertMatch(result.held_back[0].reason, /looks like a secret/);
  assertEquals((await clones.a.git("ls-remote", "origin", "refs/mpm/*")).trim(), "");
});
