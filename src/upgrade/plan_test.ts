import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { UsageError } from "../kernel/errors.ts";
import { notReplaceable, releaseBase, releaseNamed, RELEASES, runByDeno } from "./plan.ts";

Deno.test("releaseNamed: the version GitHub's latest redirects through, else none", () => {
  const latest = "https://github.com/mpm-dev/mpm/releases/latest/download/SHA256SUMS";
  const tagged = "https://github.com/mpm-dev/mpm/releases/download/v0.4.0/SHA256SUMS";
  const storage = "https://release-assets.githubusercontent.com/github-production-release-asset" +
    "/1/abc?sp=r&response-content-disposition=attachment%3B%20filename%3DSHA256SUMS";
  assertEquals(releaseNamed([latest, tagged, storage]), "0.4.0");
  assertEquals(releaseNamed(["https://h/releases/download/v1.2.0-rc.1/SHA256SUMS"]), "1.2.0-rc.1");
  assertEquals(releaseNamed([latest, storage]), undefined);
  assertEquals(releaseNamed(["file:///tmp/release/SHA256SUMS"]), undefined);
  // Only the folder that holds the file names it, not a query or a folder higher up.
  assertEquals(releaseNamed(["https://h/v1.0.0/mirror/SHA256SUMS"]), undefined);
  assertEquals(releaseNamed(["https://h/f/SHA256SUMS?from=/v1.0.0/x"]), undefined);
});

Deno.test("runByDeno: the program is Deno, by its file name", () => {
  assertEquals(runByDeno("/home/me/.deno/bin/deno"), true);
  assertEquals(runByDeno("C:\\deno\\deno.exe"), true);
  assertEquals(runByDeno("/home/me/.local/bin/mpm"), false);
  assertEquals(notReplaceable("/home/me/.local/bin/mpm"), undefined);
});

Deno.test("releaseBase: MPM_INSTALL_BASE as a folder's address, else the latest release; no address refused", () => {
  assertEquals(releaseBase({}), RELEASES);
  assertEquals(releaseBase({ MPM_INSTALL_BASE: " " }), RELEASES);
  assertEquals(releaseBase({ MPM_INSTALL_BASE: "https://h/r/" }), "https://h/r");
  assertEquals(
    releaseBase({ MPM_INSTALL_BASE: "http://127.0.0.1:8/plain" }),
    "http://127.0.0.1:8/plain",
  );
  assertEquals(releaseBase({ MPM_INSTALL_BASE: "file:///tmp/release//" }), "file:///tmp/release");
  for (const base of ["not-a-url", "/tmp/release", "example.com/x", "ftp://h/x", "https://"]) {
    const error = assertThrows(() => releaseBase({ MPM_INSTALL_BASE: base }));
    assertEquals(error instanceof UsageError, true, base);
  }
});
