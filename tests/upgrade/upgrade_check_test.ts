/**
 * `mpm upgrade --check` only asks, so it answers where mpm cannot replace itself too: run from
 * source (the program is Deno) or installed by a package manager, it says what the newest release
 * is and how to get it. Releases are served on 127.0.0.1: one laid out as GitHub's `latest`
 * redirects (through the tagged address, to a storage host that names no version), and a plain
 * folder (MPM_INSTALL_BASE of one's own), whose binary, a shell script, tells its version.
 */
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { endRun } from "../helpers.ts";
import { dispatch } from "../../src/commands.ts";
import type { Env } from "../../src/cli/env.ts";
import { assetFor, INSTALL_COMMAND } from "../../src/upgrade/plan.ts";
import { sha256Hex } from "../../src/kernel/hashing/checksum.ts";
import { VERSION } from "../../src/kernel/version.ts";

const ASSET = assetFor(Deno.build.target);
const NEW = "#!/bin/sh\necho 'mpm 99.0.0 (build fresh, deno 2.9.6, target x)'\n";
const POSIX = Deno.build.os !== "windows";

/**
 * A release on 127.0.0.1: `/latest/download/F` redirects to `/download/vTAG/F`, which redirects
 * to `/storage/F?signed`; `/plain/F` serves it straight. Every path asked is recorded.
 */
function serve(files: Record<string, string>, tag: string) {
  const asked: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    asked.push(url.pathname);
    const name = url.pathname.split("/").at(-1)!;
    if (url.pathname.startsWith("/latest/download/")) {
      return Response.redirect(new URL(`/download/v${tag}/${name}`, url), 302);
    }
    if (url.pathname.startsWith("/download/")) {
      return Response.redirect(new URL(`/storage/${name}?sig=1`, url), 302);
    }
    const body = files[name];
    return body === undefined ? new Response("not found", { status: 404 }) : new Response(body);
  });
  return {
    latest: `http://127.0.0.1:${server.addr.port}/latest/download`,
    plain: `http://127.0.0.1:${server.addr.port}/plain`,
    asked,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function release(binary: string): Record<string, string> {
  return { [ASSET]: binary, SHA256SUMS: `${sha256Hex(binary)}  ${ASSET}\n` };
}

async function upgrade(execPath: string, base: string, ...args: string[]) {
  const env: Env = {
    cwd: Deno.cwd(),
    vars: { MPM_INSTALL_BASE: base },
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
    return { code: result.exitCode ?? 0, stdout: result.stdout ?? "", error: "", hint: "" };
  } catch (error) {
    const e = error as Error & { exitCode?: number; hint?: string };
    return { code: e.exitCode ?? 1, stdout: "", error: e.message, hint: e.hint };
  } finally {
    endRun();
  }
}

Deno.test("upgrade --check from source names the newest release by its address, downloading no binary", async () => {
  await using server = serve(release(NEW), "99.0.0");
  const out = await upgrade(Deno.execPath(), server.latest, "--check");
  assertEquals(out.code, 0, out.error);
  assertStringIncludes(out.stdout, `A newer mpm is out: mpm 99.0.0 (this is mpm ${VERSION} (`);
  assertStringIncludes(
    out.stdout,
    "mpm runs here through `deno run`, so there is no mpm binary to replace; update the source " +
      `(git pull), or install the binary: ${INSTALL_COMMAND}`,
  );
  assertEquals(server.asked, [
    "/latest/download/SHA256SUMS",
    "/download/v99.0.0/SHA256SUMS",
    "/storage/SHA256SUMS",
  ]);

  const json = await upgrade(Deno.execPath(), server.latest, "--check", "--json");
  const doc = JSON.parse(json.stdout);
  assertEquals(
    [doc.path, doc.newest, doc.newer, doc.upgraded, doc.replaceable],
    [Deno.execPath(), "mpm 99.0.0", true, false, false],
  );

  // Without --check it still refuses: there is nothing here to replace.
  const refused = await upgrade(Deno.execPath(), server.latest);
  assertEquals(refused.code, 1);
  assertStringIncludes(refused.error, "mpm runs here through `deno run`");
});

Deno.test("upgrade --check from source: the release of this very version is up to date", async () => {
  await using server = serve(release(NEW), VERSION);
  const out = await upgrade(Deno.execPath(), server.latest, "--check");
  assertEquals(out.code, 0, out.error);
  assertStringIncludes(out.stdout, `is up to date (the release is mpm ${VERSION}).`);
});

Deno.test({
  name: "upgrade --check from source against a release that names no version runs its binary aside",
  ignore: !POSIX,
  fn: async () => {
    await using server = serve(release(NEW), "0.0.0");
    const out = await upgrade(Deno.execPath(), server.plain, "--check");
    assertEquals(out.code, 0, out.error);
    assertStringIncludes(out.stdout, "A newer mpm is out: mpm 99.0.0 (build fresh) (this is");
    assertStringIncludes(out.stdout, "or install the binary:");
    assertEquals(server.asked, ["/plain/SHA256SUMS", `/plain/${ASSET}`]);

    // A binary that does not match its checksum is not run at all.
    await using tampered = serve({ ...release(NEW), [ASSET]: NEW + "# x\n" }, "0.0.0");
    const bad = await upgrade(Deno.execPath(), tampered.plain, "--check");
    assertEquals(bad.code, 4, bad.error);
    assertStringIncludes(bad.error, "does not match the release's SHA256SUMS");
  },
});

Deno.test("upgrade --check of a package manager's mpm says the newest release and whose upgrade it is", async () => {
  await using server = serve(release(NEW), "99.0.0");
  const brew = "/opt/homebrew/Cellar/mpm/0.1.0/bin/mpm";
  const out = await upgrade(brew, server.latest, "--check");
  assertEquals(out.code, 0, out.error);
  assertStringIncludes(out.stdout, "A newer mpm is out: mpm 99.0.0");
  assertStringIncludes(out.stdout, "was installed by Homebrew (brew upgrade mpm)");
  assert(!out.stdout.includes("curl"), out.stdout);
});

Deno.test("upgrade --check offline says to run the check again, not the upgrade", async () => {
  // Nothing listens on port 1: the download fails as it does offline.
  const out = await upgrade(Deno.execPath(), "http://127.0.0.1:1/plain", "--check");
  assertEquals(out.code, 1, out.stdout);
  assertStringIncludes(out.error, "Could not download");
  assertStringIncludes(out.hint ?? "", "run `mpm upgrade --check` again.");
});

Deno.test("upgrade --check with a MPM_INSTALL_BASE that is no address says so (exit 2), asking nothing", async () => {
  for (const base of ["not-a-url", "github.com/mpm-dev/mpm/releases", "ftp://host/mpm"]) {
    const out = await upgrade(Deno.execPath(), base, "--check");
    assertEquals(out.code, 2, `${base}: ${out.error}`);
    assertStringIncludes(out.error, `MPM_INSTALL_BASE is not an address mpm can download from:`);
    assertStringIncludes(out.error, JSON.stringify(base));
    assertStringIncludes(out.hint ?? "", "https://");
  }
});
