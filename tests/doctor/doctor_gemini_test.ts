/**
 * `mpm doctor` where Gemini CLI is installed: a `gemini` on PATH linked into its npm package (its
 * version read from the package, the client never run) or a program of another kind (run for its
 * version with a GEMINI_CLI_HOME of its own), mpm's hooks as `mpm hooks install --agent gemini`
 * left them, then a project Gemini does not trust, where it runs no hooks at all.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { exists, mpm, ok, type Repo, withRepo } from "../helpers.ts";

interface Report {
  checks: { id: string; status: string; message: string; fix?: string }[];
}

/** `gemini` as npm installs it: a link to the package's bundle/gemini.js, which must not run. */
async function npmGemini(repo: Repo, version: string): Promise<{ bin: string; ran: string }> {
  const pkg = join(repo.home, "lib", "node_modules", "@google", "gemini-cli");
  const ran = join(repo.home, "gemini-ran");
  await Deno.mkdir(join(pkg, "bundle"), { recursive: true });
  await Deno.writeTextFile(
    join(pkg, "package.json"),
    JSON.stringify({ name: "@google/gemini-cli", version }),
  );
  await Deno.writeTextFile(join(pkg, "bundle", "gemini.js"), `#!/bin/sh\ntouch '${ran}'\n`, {
    mode: 0o755,
  });
  const bin = join(repo.home, "gemini-bin");
  await Deno.mkdir(bin, { recursive: true });
  await Deno.symlink(join(pkg, "bundle", "gemini.js"), join(bin, "gemini"));
  return { bin, ran };
}

async function doctor(repo: Repo, bin: string) {
  const run = await mpm(["doctor", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home, PATH: `${bin}:/usr/bin:/bin` },
  });
  const report = JSON.parse(run.stdout) as Report;
  return report.checks.filter((c) => c.id.startsWith("gemini"));
}

Deno.test("doctor names Gemini's version and mpm's Gemini hooks, then a project it does not trust", async () => {
  await using repo = await withRepo();
  // No Gemini yet: nothing is said of it.
  assertEquals(await doctor(repo, join(repo.home, "nothing")), []);
  const { bin, ran } = await npmGemini(repo, "0.61.0");
  const before = await doctor(repo, bin);
  assertEquals(before.map((c) => `${c.id}:${c.status}`), ["gemini:ok", "gemini-hooks:info"]);
  assertEquals(before[1].fix, "mpm hooks install --agent gemini");

  await ok(repo, "hooks", "install", "--agent", "gemini");
  const trusted = join(repo.home, ".gemini", "trustedFolders.json");
  await Deno.writeTextFile(trusted, JSON.stringify({ [repo.path]: "TRUST_FOLDER" }));
  const checks = await doctor(repo, bin);
  assertEquals(checks.map((c) => c.status), ["ok", "ok"], JSON.stringify(checks));
  assertEquals(checks[0].message, "Gemini CLI 0.61.0.");
  assertStringIncludes(
    checks[1].message,
    "has mpm's hooks (SessionStart, AfterAgent, SessionEnd) in",
  );
  // Its version came from its package: the client itself never ran.
  assertEquals(await exists(ran), false);

  // The person told Gemini not to trust this project: no hook of any kind runs here.
  await Deno.writeTextFile(trusted, JSON.stringify({ [repo.path]: "DO_NOT_TRUST" }));
  const refused = (await doctor(repo, bin)).find((c) => c.id === "gemini-trust")!;
  assertEquals(refused.status, "fail");
  assertStringIncludes(refused.message, "not trusted in ~/.gemini/trustedFolders.json");
});

Deno.test("doctor runs a gemini that is not npm's package for its version, in a home of its own", async () => {
  await using repo = await withRepo();
  const bin = join(repo.home, "gemini-bin");
  const seen = join(repo.home, "gemini-home-seen");
  await Deno.mkdir(bin, { recursive: true });
  await Deno.writeTextFile(
    join(bin, "gemini"),
    `#!/bin/sh\necho "$GEMINI_CLI_HOME" > '${seen}'\necho 0.64.0\n`,
    { mode: 0o755 },
  );
  const checks = await doctor(repo, bin);
  assertEquals(checks[0].status, "warn");
  assertStringIncludes(checks[0].message, "Gemini CLI 0.64.0: mpm's Gemini hooks were checked");
  const home = (await Deno.readTextFile(seen)).trim();
  assert(home !== "" && !home.startsWith(repo.home), home);
});
