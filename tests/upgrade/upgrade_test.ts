/**
 * `mpm upgrade` against a release served on 127.0.0.1 (MPM_INSTALL_BASE, as install.sh reads
 * it). The running "binary" and the release's are small shell scripts that print a version: one
 * that exits 126 stands for a binary that cannot run here.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { endRun, tempDir } from "../helpers.ts";
import { dispatch } from "../../src/commands.ts";
import type { Env } from "../../src/cli/env.ts";
import { assetFor } from "../../src/upgrade/plan.ts";
import { runVersion } from "../../src/upgrade/outside.ts";
import { sha256Hex } from "../../src/kernel/hashing/checksum.ts";
import { VERSION } from "../../src/kernel/version.ts";

const ASSET = assetFor(Deno.build.target);
const OLD = "#!/bin/sh\necho 'mpm 0.0.1 (build old, deno 2.0.0, target x)'\n";
const NEW = "#!/bin/sh\necho 'mpm 99.0.0 (build fresh, deno 2.9.6, target x)'\n";
const POSIX = Deno.build.os !== "windows";

/** A release folder served over HTTP on 127.0.0.1 while held. */
function serve(folder: string): { base: string } & AsyncDisposable {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    try {
      return new Response(await Deno.readFile(join(folder, new URL(req.url).pathname.slice(1))));
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

async function release(folder: string, binary: string, listed = binary): Promise<void> {
  await Deno.writeTextFile(join(folder, ASSET), binary);
  await Deno.writeTextFile(join(folder, "SHA256SUMS"), `${sha256Hex(listed)}  ${ASSET}\n`);
}

async function upgrade(execPath: string, base: string, ...args: string[]) {
  const env: Env = {
    cwd: Deno.cwd(),
    vars: { MPM_INSTALL_BASE: base, HOME: join(execPath, "..", "..") },
    now: () => new Date(),
    warn: () => {},
    isTTY: false,
    stderrIsTTY: false,
    color: false,
    readStdin: () => Promise.resolve(""),
    execPath,
    mainModule: "file:///mpm",
  };
  try {
    const result = await dispatch(env, ["upgrade", ...args]);
    return { code: result.exitCode ?? 0, stdout: result.stdout ?? "", error: "" };
  } catch (error) {
    const e = error as Error & { exitCode?: number };
    return { code: e.exitCode ?? 1, stdout: "", error: e.message };
  } finally {
    endRun();
  }
}

const entries = async (dir: string) =>
  (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();

Deno.test({
  name: "mpm upgrade: checks, verifies, runs, then replaces, against a release on 127.0.0.1",
  ignore: !POSIX,
  fn: async (t) => {
    await using tmp = await tempDir("mpm-upgrade-", { onDisk: true });
    const bin = join(tmp.path, "bin");
    const served = join(tmp.path, "release");
    await Deno.mkdir(bin);
    await Deno.mkdir(served);
    const mpm = join(bin, "mpm");
    await Deno.writeTextFile(mpm, OLD, { mode: 0o755 });
    await using server = serve(served);

    await t.step("a tampered binary is refused; nothing changes", async () => {
      await release(served, NEW + "# tampered\n", NEW);
      const out = await upgrade(mpm, server.base);
      assertEquals(out.code, 4, out.error);
      assertStringIncludes(
        out.error,
        `The downloaded ${ASSET} does not match the release's SHA256SUMS`,
      );
      assertStringIncludes(out.error, "nothing was changed.");
      assertEquals(await Deno.readTextFile(mpm), OLD);
      assertEquals(await entries(bin), ["mpm"]);
    });

    await t.step("a binary that does not run is refused; the old one stays", async () => {
      await release(served, "#!/bin/sh\nexit 126\n");
      const out = await upgrade(mpm, server.base);
      assertEquals(out.code, 1);
      assertStringIncludes(
        out.error,
        `The downloaded ${ASSET} does not run on this machine (it exited 126)`,
      );
      assertStringIncludes(out.error, "mpm was left as it was.");
      assertEquals(await Deno.readTextFile(mpm), OLD);
      assertEquals(await entries(bin), ["mpm"]);
    });

    await t.step("--check says a newer one is out and changes nothing", async () => {
      await release(served, NEW);
      const out = await upgrade(mpm, server.base, "--check");
      assertEquals(out.code, 0, out.error);
      assertStringIncludes(out.stdout, "A newer mpm is out: mpm 99.0.0 (build fresh)");
      assertStringIncludes(out.stdout, `(this is mpm ${VERSION} (`);
      assertEquals(await Deno.readTextFile(mpm), OLD);
      assertEquals(await entries(bin), ["mpm"]);
    });

    await t.step(
      "upgrade replaces it, executable, and says which version it was and is",
      async () => {
        const out = await upgrade(mpm, server.base);
        assertEquals(out.code, 0, out.error);
        assertStringIncludes(out.stdout, `Upgraded ${mpm}: mpm ${VERSION} (`);
        assertStringIncludes(out.stdout, "→ mpm 99.0.0 (build fresh).");
        assertEquals(await Deno.readTextFile(mpm), NEW);
        assertEquals((await Deno.stat(mpm)).mode! & 0o777, 0o755);
        assertEquals(await entries(bin), ["mpm"]);
      },
    );

    await t.step(
      "run again: the release is this very binary, up to date, as JSON too",
      async () => {
        const out = await upgrade(mpm, server.base, "--json");
        assertEquals(out.code, 0, out.error);
        const doc = JSON.parse(out.stdout);
        assertEquals([doc.path, doc.newer, doc.upgraded, doc.newest], [mpm, false, false, null]);
        assert(doc.was.startsWith(`mpm ${VERSION} (`), doc.was);
      },
    );

    await t.step("an older release is not installed over a newer mpm", async () => {
      await Deno.writeTextFile(mpm, OLD);
      await release(served, "#!/bin/sh\necho 'mpm 0.0.1 (build old, deno 2.0.0, target x)'\n# b\n");
      const out = await upgrade(mpm, server.base);
      assertEquals(out.code, 0, out.error);
      assertStringIncludes(out.stdout, "is up to date (the release is mpm 0.0.1 (build old))");
      assertEquals(await Deno.readTextFile(mpm), OLD);
    });
  },
});

Deno.test("mpm upgrade offline, or with no binary for this platform, says so in one sentence", async () => {
  await using tmp = await tempDir("mpm-upgrade-", { onDisk: true });
  const mpm = join(tmp.path, "mpm");
  await Deno.writeTextFile(mpm, OLD, { mode: 0o755 });
  // A port nothing listens on: a closed server.
  const closed = serve(tmp.path);
  const base = closed.base;
  await closed[Symbol.asyncDispose]();
  const offline = await upgrade(mpm, base);
  assertEquals(offline.code, 1);
  assertEquals(
    offline.error,
    `Could not download ${base}/SHA256SUMS (offline?); nothing was changed.`,
  );

  await Deno.writeTextFile(join(tmp.path, "SHA256SUMS"), `${"a".repeat(64)}  mpm-other-target\n`);
  await using server = serve(tmp.path);
  const missing = await upgrade(mpm, server.base, "--check");
  assertEquals(missing.code, 1);
  assertStringIncludes(missing.error, `lists no ${ASSET} in its SHA256SUMS; nothing was changed.`);
});

Deno.test("mpm upgrade from `deno run` or a package manager's install: nothing to replace", async () => {
  const fromDeno = await upgrade(Deno.execPath(), "http://127.0.0.1:9");
  assertEquals(fromDeno.code, 1);
  assertStringIncludes(
    fromDeno.error,
    "mpm runs here through `deno run`, so there is no mpm binary to replace",
  );
  const brew = await upgrade("/opt/homebrew/Cellar/mpm/0.1.0/bin/mpm", "http://127.0.0.1:9");
  assertStringIncludes(brew.error, "was installed by Homebrew (brew upgrade mpm)");
});

Deno.test({
  name: "a new binary still open for writing somewhere is run again, not refused at once",
  ignore: !POSIX,
  fn: async () => {
    await using dir = await tempDir("mpm-upgrade-busy-");
    const exe = join(dir.path, "mpm-new");
    await Deno.writeTextFile(exe, NEW, { mode: 0o755 });
    // Open for writing, as in a child this process was starting: the first run is refused
    // (ETXTBSY), and the file is closed before the next.
    const held = await Deno.open(exe, { write: true });
    const ran = runVersion(exe);
    held.close();
    assertEquals(await ran, { line: "mpm 99.0.0 (build fresh, deno 2.9.6, target x)" });
    // Held for good: refused in the end, in the system's words.
    const kept = await Deno.open(exe, { write: true });
    try {
      const refused = await runVersion(exe);
      assert("failed" in refused);
      assertStringIncludes(refused.failed, "Text file busy");
    } finally {
      kept.close();
    }
  },
});
