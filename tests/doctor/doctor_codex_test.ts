/**
 * `mpm doctor` where Codex CLI is installed: a `codex` on PATH that answers `--version` (without
 * writing under the person's `~/.codex`: it is given a CODEX_HOME of its own), mpm's Codex hooks
 * as `mpm hooks install --agent codex` left them, then edited so that Codex would skip them.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../helpers.ts";

interface Report {
  checks: { id: string; status: string; message: string; fix?: string }[];
}

/** A `codex` that prints `version` and what CODEX_HOME it was given (in a file of the test's). */
async function fakeCodex(repo: Repo, version: string): Promise<string> {
  const bin = join(repo.home, "codex-bin");
  await Deno.mkdir(bin, { recursive: true });
  const seen = join(repo.home, "codex-home-seen");
  await Deno.writeTextFile(
    join(bin, "codex"),
    `#!/bin/sh\necho "$CODEX_HOME" > '${seen}'\necho "codex-cli ${version}"\n`,
    { mode: 0o755 },
  );
  return bin;
}

async function doctor(repo: Repo, bin: string) {
  const run = await mpm(["doctor", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home, PATH: `${bin}:/usr/bin:/bin` },
  });
  const report = JSON.parse(run.stdout) as Report;
  return report.checks.filter((c) => c.id.startsWith("codex"));
}

Deno.test("doctor names Codex's version and mpm's Codex hooks it runs, then skips once edited", async () => {
  await using repo = await withRepo();
  // No Codex yet: nothing is said of it.
  assertEquals(await doctor(repo, join(repo.home, "nothing")), []);
  const bin = await fakeCodex(repo, "0.169.0");
  await ok(repo, "hooks", "install", "--agent", "codex");
  const checks = await doctor(repo, bin);
  assertEquals(checks.map((c) => c.status), ["ok", "ok"], JSON.stringify(checks));
  assertEquals(checks[0].message, "Codex CLI 0.169.0.");
  assertStringIncludes(checks[1].message, "runs mpm's hooks (SessionStart, Stop, SessionEnd)");
  // `codex --version` ran with a CODEX_HOME of its own, not the person's.
  const seen = (await Deno.readTextFile(join(repo.home, "codex-home-seen"))).trim();
  assert(seen !== "" && !seen.startsWith(join(repo.home, ".codex")), seen);

  // The person edits mpm's hook (a longer time limit): its trust no longer matches.
  const hooksFile = join(repo.home, ".codex", "hooks.json");
  const text = await Deno.readTextFile(hooksFile);
  await Deno.writeTextFile(hooksFile, text.replace('"timeout": 10', '"timeout": 20'));
  const edited = await doctor(repo, bin);
  const skipped = edited.find((c) => c.id === "codex-hooks")!;
  assertEquals(skipped.status, "fail");
  assertStringIncludes(skipped.message, "Codex will skip mpm's hooks in ~/.codex/hooks.json");
  assertEquals(skipped.fix, "mpm hooks install --agent codex");
  // Install again trusts the hook as it is now.
  await ok(repo, "hooks", "install", "--agent", "codex");
  assertEquals((await doctor(repo, bin)).map((c) => c.status), ["ok", "ok"]);
});

Deno.test("doctor warns of a Codex CLI mpm's hooks were not checked against", async () => {
  await using repo = await withRepo();
  const bin = await fakeCodex(repo, "0.171.2");
  const checks = await doctor(repo, bin);
  assertEquals(checks[0].status, "warn");
  assertStringIncludes(checks[0].message, "Codex CLI 0.171.2");
  assertEquals(checks[1].fix, "mpm hooks install --agent codex");
});
