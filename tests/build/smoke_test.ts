/**
 * scripts/build/smoke.sh, the cycle every built mpm runs before it is published (CI on the compiled
 * Linux binary, the release on each binary on its own OS), run here against the bundle from a
 * folder with no source; and the workflows hold to it.
 */
import { dirname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { DENO_DIR, ROOT, runProcess, tempDir, testBundle } from "../helpers.ts";

const SMOKE = join(ROOT, "scripts", "build", "smoke.sh");
const POSIX = Deno.build.os !== "windows";

/** An `mpm` program in `folder` that runs the bundle copied beside it, and nothing of the source. */
async function bundledMpm(folder: string): Promise<string> {
  const built = dirname(await testBundle());
  await Deno.copyFile(join(built, "mpm.js"), join(folder, "mpm.js"));
  await Deno.mkdir(join(folder, "mpm-chunks"));
  for await (const file of Deno.readDir(join(built, "mpm-chunks"))) {
    await Deno.copyFile(
      join(built, "mpm-chunks", file.name),
      join(folder, "mpm-chunks", file.name),
    );
  }
  const program = join(folder, "mpm");
  await Deno.writeTextFile(
    program,
    `#!/bin/sh\nexec "${Deno.execPath()}" run --quiet --no-config --allow-all ` +
      `--deny-read="${ROOT}" "${join(folder, "mpm.js")}" "$@"\n`,
    { mode: 0o755 },
  );
  return program;
}

Deno.test({
  name: "scripts/build/smoke.sh: the bundle runs the whole cycle from a folder with no source",
  ignore: !POSIX,
  fn: async () => {
    await using app = await tempDir("mpm-smoke-app-", { onDisk: true });
    const program = await bundledMpm(app.path);
    const env = { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", DENO_DIR, TMPDIR: app.path };
    const out = await runProcess("sh", [SMOKE, program], { cwd: app.path, env });
    assertEquals(out.code, 0, `${out.stdout}\n${out.stderr}`);
    for (
      const step of [
        "--version",
        "--help",
        "pause -s Smoke pause",
        "list",
        "resume",
        "status --json",
        "doctor --json",
        "hook session-start",
        "hooks install --scope user",
      ]
    ) assertStringIncludes(out.stdout, `mpm ${step}`);
    assertStringIncludes(out.stdout, "smoke: all 11 steps passed.");

    // A program that cannot run a command fails the smoke test, naming the step.
    const broken = join(app.path, "broken");
    await Deno.writeTextFile(
      broken,
      `#!/bin/sh\ncase "$1" in list) echo "mpm: unexpected failure" >&2; exit 1 ;; esac\n` +
        `exec "${program}" "$@"\n`,
      { mode: 0o755 },
    );
    const failed = await runProcess("sh", [SMOKE, broken], { cwd: app.path, env });
    assertEquals(failed.code, 1, failed.stdout);
    assertStringIncludes(failed.stderr, "smoke: step 4 failed: mpm list");
    assertStringIncludes(failed.stderr, "mpm: unexpected failure");
  },
});

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: Step[];
}

async function workflow(name: string): Promise<{ jobs: Record<string, Job> }> {
  return parseYaml(await Deno.readTextFile(join(ROOT, ".github", "workflows", name)));
}

const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");

Deno.test("CI compiles the Linux x64 binary and runs the smoke cycle from outside the source", async () => {
  const ci = await workflow("ci.yml");
  const compile = Object.values(ci.jobs).find((job) => runs(job).includes("deno task compile"));
  assert(compile, "no CI job compiles");
  assertStringIncludes(runs(compile), "--target x86_64-unknown-linux-gnu");
  assertStringIncludes(runs(compile), 'sh smoke.sh "$RUNNER_TEMP/bin/mpm"');
});

Deno.test("the release smoke-tests each binary with smoke.sh, and publishes after it and the suite, attested", async () => {
  const release = await workflow("release.yml");
  assertStringIncludes(runs(release.jobs.smoke), "smoke.sh");
  assertStringIncludes(runs(release.jobs.test), "bash .ci/run");
  assertEquals([release.jobs.publish.needs].flat().sort(), ["smoke", "test"]);
  const attest = release.jobs.publish.steps.find((s) =>
    s.uses?.startsWith("actions/attest-build-provenance@")
  );
  assertEquals(attest?.with?.["subject-checksums"], "dist/SHA256SUMS");
  assertEquals(release.jobs.publish.permissions?.["id-token"], "write");
  assertEquals(release.jobs.publish.permissions?.attestations, "write");
  // Attested before it is published.
  const steps = release.jobs.publish.steps;
  assert(steps.indexOf(attest!) < steps.findIndex((s) => s.run?.includes("gh release create")));
});
