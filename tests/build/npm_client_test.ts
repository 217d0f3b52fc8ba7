/**
 * The real clients' shared install (tests/npm_client.ts), without npm: a failed install is
 * believed for an hour, a machine without a build skips at once, an installed client is found
 * without asking npm, and npm's failure reads as its own sentence.
 */
import { join } from "node:path";
import { assertEquals } from "../assert.ts";
import { tempDir } from "../helpers.ts";
import { findOrInstall, type NpmClient, npmReason } from "../npm_client.ts";

/** A client whose program is never installed, or at `have` once it is. */
function client(cache: string, have?: string): NpmClient & { asked: string[] } {
  const asked: string[] = [];
  return {
    label: "Some CLI",
    package: "@example/some-cli",
    cache,
    builtHere: true,
    asked,
    installed: (prefix) => {
      asked.push(prefix);
      return Promise.resolve(have);
    },
  };
}

const entries = async (dir: string) =>
  (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();

Deno.test("a failed install is believed: the next test file skips with its reason, no npm", async () => {
  await using dir = await tempDir();
  const reason = "npm could not install @example/some-cli@1.2.3 (No matching version).";
  await Deno.writeTextFile(join(dir.path, "1.2.3.failed"), reason + "\n");
  const some = client(dir.path);
  assertEquals(await findOrInstall(some, "1.2.3"), { skip: reason });
  assertEquals(some.asked, [join(dir.path, "1.2.3")]);
  // No staging folder: npm was never started.
  assertEquals(await entries(dir.path), ["1.2.3.failed"]);
});

Deno.test("a machine with no build of the client skips at once, naming it", async () => {
  await using dir = await tempDir();
  const some = { ...client(dir.path), builtHere: false };
  assertEquals(await findOrInstall(some, "1.2.3"), {
    skip: `Some CLI has no native build for ${Deno.build.os} ${Deno.build.arch}.`,
  });
  assertEquals(await entries(dir.path), []);
});

Deno.test("an installed client is found in its version's folder, npm never asked", async () => {
  await using dir = await tempDir();
  const some = client(dir.path, "/somewhere/bin/some");
  assertEquals(await findOrInstall(some, "1.2.3"), "/somewhere/bin/some");
  assertEquals(some.asked, [join(dir.path, "1.2.3")]);
});

Deno.test("npm's failure reads as its own sentence, without its prefixes and key lines", () => {
  const out = (stderr: string, code = 1) => ({
    success: false,
    code,
    signal: null,
    stdout: new Uint8Array(),
    stderr: new TextEncoder().encode(stderr),
  });
  assertEquals(
    npmReason(out(
      "npm warn config x\nnpm error code ETARGET\nnpm error notarget No matching version found.\n",
    )),
    "No matching version found.",
  );
  assertEquals(npmReason(out("", 7)), "npm exited with code 7");
  assertEquals(npmReason(undefined), "npm did not finish in time");
});
