/**
 * scripts/build/build.ts (`deno task compile`). This machine cannot download the Deno runtime, so
 * the tests force that failure everywhere (a dead proxy, a fresh download cache) and check that it
 * is reported in one sentence; a full compile runs with DENORT_BIN pointing at deno itself, which
 * builds a binary that is not mpm (the smoke test must catch it) but prints what it embedded: the
 * bundle's entry and its chunks, not the source. Every build here compiles the bundle the tests
 * already have (`--bundle`, helpers.ts testBundle): type-checking and bundling the source again
 * would cost more than the rest of the file.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { DENO_DIR, DENO_RUN, ROOT, runProcess, tempDir, testBundle } from "../helpers.ts";
import {
  assetName,
  embeddedListing,
  offlineMessage,
  PERMISSIONS,
  summarizeFailure,
  TARGETS,
} from "../../scripts/build/build.ts";
import { stampSource } from "../../scripts/build/stamp.ts";
import { VERSION } from "../../src/kernel/version.ts";

const BUILD = join(ROOT, "scripts", "build", "build.ts");
const STAMP_FILE = join(ROOT, "src", "kernel", "build_stamp.ts");

const DOWNLOAD_FAILURE = `Check main.ts
Compile main.ts to /tmp/out/mpm-aarch64-apple-darwin
Download https://dl.deno.land/release/v2.9.6/denort-aarch64-apple-darwin.zip
error: Writing deno compile executable to temporary file '/tmp/out/mpm-aarch64-apple-darwin.tmp-f3eb'

Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-aarch64-apple-darwin.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known
    2: client error (Connect)

Stack backtrace:
   0: <unknown>
`;

function build(args: string[], env: Record<string, string>) {
  return runProcess(Deno.execPath(), [...DENO_RUN, BUILD, ...args], {
    cwd: ROOT,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      // The suite's cache, filled from deno.lock: a HOME's default cache may be empty.
      DENO_DIR,
      NO_COLOR: "1",
      ...env,
    },
  });
}

async function names(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) found.push(entry.name);
  return found.sort();
}

Deno.test("the stamp module build.ts writes is valid TypeScript that exports the stamp", async () => {
  await using dir = await tempDir();
  const file = join(dir.path, "build_stamp.ts");
  const stamp = { build: "abc1234-20260101" };
  await Deno.writeTextFile(file, stampSource(stamp));
  const module = await import(pathToFileURL(file).href);
  assertEquals(module.STAMP, stamp);
});

Deno.test("the committed stamp is empty, so a run from the work tree is a dev build", async () => {
  const { STAMP } = await import("../../src/kernel/build_stamp.ts");
  assertEquals(STAMP, {});
});

Deno.test("asset names: one per target, .exe on Windows", () => {
  assertEquals(TARGETS.map(assetName), [
    "mpm-x86_64-unknown-linux-gnu",
    "mpm-aarch64-unknown-linux-gnu",
    "mpm-x86_64-apple-darwin",
    "mpm-aarch64-apple-darwin",
    "mpm-x86_64-pc-windows-msvc.exe",
  ]);
});

Deno.test("the binary's permissions are named, and the same as `deno task mpm`", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const task: string = config.tasks.mpm;
  assertEquals(task.match(/--allow-[a-z]+(=\S+)?/g)?.sort(), [...PERMISSIONS].sort());
  assert(!PERMISSIONS.some((p) => p === "--allow-all" || p === "-A"));
  assertEquals(config.version, VERSION, "deno.json's version differs from src/kernel/version.ts");
});

Deno.test("a runtime that cannot be downloaded is one sentence naming DENORT_BIN", () => {
  const failure = summarizeFailure("aarch64-apple-darwin", DOWNLOAD_FAILURE);
  assertEquals(failure.unavailable, true);
  assertEquals(failure.message.split("\n").length, 1);
  assertStringIncludes(
    failure.message,
    "could not download the Deno runtime for aarch64-apple-darwin; set DENORT_BIN to a local denort",
  );
  const typeError = summarizeFailure(
    "x86_64-unknown-linux-gnu",
    "Check main.ts\nTS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n" +
      "    at src/a.ts:1:7\n\nerror: Type checking failed.\n\n  info: it might work\n\n" +
      "Stack backtrace:\n   0: <unknown>\n",
  );
  assertEquals(typeError.unavailable, false);
  assertEquals(
    typeError.message,
    "could not compile mpm for x86_64-unknown-linux-gnu:\n" +
      "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n" +
      "    at src/a.ts:1:7\nerror: Type checking failed.",
  );
});

Deno.test("usage errors: an unknown target; DENORT_BIN with more than one target; not a bundle", async () => {
  const unknown = await build(["--target", "sparc-sun-solaris"], {});
  assertEquals(unknown.code, 2);
  assertStringIncludes(unknown.stderr, "unknown target sparc-sun-solaris.");
  const several = await build([], { DENORT_BIN: "/nonexistent/denort" });
  assertEquals(several.code, 2);
  assertStringIncludes(several.stderr, "DENORT_BIN is the runtime of one target");
  await using tmp = await tempDir();
  const lone = join(tmp.path, "mpm.js");
  const missing = await build(["--bundle", lone], {});
  assertEquals(missing.code, 2, missing.stderr);
  assertStringIncludes(missing.stderr, `${lone} is not a file; \`deno task bundle\` makes`);
  await Deno.writeTextFile(lone, "console.log('mpm');\n");
  const notBundle = await build(["--bundle", lone], {});
  assertEquals(notBundle.code, 2, notBundle.stderr);
  assertStringIncludes(
    notBundle.stderr,
    `${lone} is not a bundle of mpm: no mpm-chunks/ beside it.`,
  );
  await Deno.mkdir(join(tmp.path, "mpm-chunks"));
  const wrong = await build(["--bundle", lone], {});
  assertEquals(wrong.code, 2, wrong.stderr);
  assertStringIncludes(wrong.stderr, `its --version printed "mpm".`);
});

Deno.test({
  name: "deno task compile without a reachable runtime: one clear sentence, exit 1, nothing built",
  // A Deno cache whose downloads (dl/, where the runtimes go) hold only deno bundle's esbuild;
  // the rest is the cache's own, linked in. Windows links need privileges.
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using tmp = await tempDir();
    const cache = join(tmp.path, "deno-dir");
    await Deno.mkdir(join(cache, "dl"), { recursive: true });
    for await (const entry of Deno.readDir(DENO_DIR)) {
      if (entry.name === "dl") continue;
      await Deno.symlink(join(DENO_DIR, entry.name), join(cache, entry.name));
    }
    for await (const entry of Deno.readDir(join(DENO_DIR, "dl"))) {
      if (!entry.name.startsWith("esbuild")) continue;
      await Deno.symlink(join(DENO_DIR, "dl", entry.name), join(cache, "dl", entry.name));
    }
    const before = await Deno.readTextFile(STAMP_FILE);
    const env = {
      DENO_DIR: cache,
      HTTPS_PROXY: "http://127.0.0.1:9",
      HTTP_PROXY: "http://127.0.0.1:9",
    };
    const target = "aarch64-apple-darwin";
    const out = join(tmp.path, "dist");
    // The tests' bundle (helpers.ts testBundle): the download fails after the bundle is had,
    // however it was had; the build from source is the DENORT_BIN test's.
    const bundle = ["--bundle", await testBundle()];
    const failed = await build(["--target", target, "--out-dir", out, ...bundle], env);
    assertEquals(failed.code, 1, failed.stdout + failed.stderr);
    assertEquals(
      failed.stderr.trim(),
      `error: could not download the Deno runtime for ${target}; set DENORT_BIN to a local ` +
        `denort binary for that target (from the denort-${target}.zip of Deno ` +
        `${Deno.version.deno}'s release) and build it alone with --target ${target}.`,
    );
    assertNotIncludes(failed.stderr, "backtrace");
    assertEquals(await names(out), []);

    const skipped = await build(
      ["--target", target, "--out-dir", out, "--skip-unavailable", ...bundle],
      env,
    );
    assertEquals(skipped.code, 1, "skipping every target built nothing: a failure");
    assertStringIncludes(
      skipped.stderr,
      `skipped: could not download the Deno runtime for ${target}`,
    );
    assertStringIncludes(skipped.stderr, "error: no target could be built");
    assertEquals(await names(out), []);

    // Every target: the first failure stops the build, in one sentence for all of them.
    const all = await build(["--out-dir", out, ...bundle], env);
    assertEquals(all.code, 1, all.stdout + all.stderr);
    assertEquals(all.stderr.trim(), `error: ${offlineMessage(TARGETS[0])}`);
    assertEquals(all.stderr.trim().split("\n").length, 1);
    assertStringIncludes(all.stderr, "DENORT_BIN");
    assertEquals(all.stdout.match(/^Compiling /gm)?.length, 1, all.stdout);
    assertEquals(await names(out), []);
    assertEquals(await Deno.readTextFile(STAMP_FILE), before, "the work tree's stamp changed");
  },
});

Deno.test({
  name: "deno task compile with DENORT_BIN=deno: it compiles the bundle, and the smoke test " +
    "rejects what is not mpm",
  ignore: !TARGETS.includes(Deno.build.target),
  fn: async (t) => {
    await using tmp = await tempDir();
    const out = join(tmp.path, "dist");
    const target = Deno.build.target;
    // The tests' bundle (helpers.ts testBundle), as `deno task compile --bundle dist/mpm.js`
    // compiles the bundle that was measured: the build from source type-checks and bundles first
    // (the suite's own check and bundle steps do both), then compiles the same way.
    const result = await build([
      "--target",
      target,
      "--out-dir",
      out,
      "--bundle",
      await testBundle(),
    ], {
      DENORT_BIN: Deno.execPath(),
      DENO_DIR,
    });

    await t.step("compile's inputs are the bundle's files: its entry and chunks, no source", () => {
      const lines = result.stdout.split("\n");
      const at = lines.findIndex((line) => line.endsWith("embedding:"));
      assert(at !== -1, result.stdout + result.stderr);
      const embedded = lines.slice(at + 1).filter((line) => line.startsWith("    "))
        .map((line) => line.trim());
      assertEquals(embedded[0], assetName(target), result.stdout);
      assertEquals(embedded.slice(1).map((line) => line.replace(/^\W+| \([\d.]+[KMG]?B\)$/g, "")), [
        "mpm-chunks/*",
        "mpm.js",
      ]);
      assertNotIncludes(result.stdout, "main.ts");
    });

    await t.step("the smoke test rejects a binary that does not print mpm's version", async () => {
      assertEquals(result.code, 1, result.stdout + result.stderr);
      assertStringIncludes(result.stdout, `Compiling mpm ${VERSION} (build `);
      assertStringIncludes(
        result.stderr,
        `error: the smoke test failed: ${join(out, assetName(target))} --version printed "deno `,
      );
      assertStringIncludes(result.stderr, "is DENORT_BIN a denort binary (not deno itself)?");
      assertEquals(await names(out), [], "the rejected binary was left behind");
    });
  },
});

Deno.test("embeddedListing: the tree deno compile printed, without its totals", () => {
  const stderr = "Compile mpm.js to ../out/mpm\n\nEmbedded Files\n\nmpm\n" +
    "├── mpm-chunks/* (622.13KB)\n└── mpm.js (39B)\n\nFiles: 625.69KB\nMetadata: 1.36KB\n" +
    "Remote modules: 12B\n";
  assertEquals(embeddedListing(stderr), ["mpm", "├── mpm-chunks/* (622.13KB)", "└── mpm.js (39B)"]);
  assertEquals(embeddedListing("error: nothing\n"), []);
});
