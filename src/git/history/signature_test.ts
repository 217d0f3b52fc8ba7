import { assert, assertEquals } from "../../../tests/assert.ts";
import { withRepo } from "../../../tests/helpers.ts";
import { join } from "../../kernel/path.ts";
import { useGitEnvFrom } from "../run/run.ts";
import { fingerprintOf, readSigners, signedBy } from "./signature.ts";

Deno.test("a public key's fingerprint is ssh-keygen's and git's", () => {
  const line =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINrv0D3Ic+8Hj2SEkUtiRI4aiKzzdxNg4N0NAPz7PgAF one";
  assertEquals(fingerprintOf(line), "SHA256:wagKKfiNXax9UvcAunrH/dtzhf+LvNNGvj0gnQK2bPg");
  assertEquals(fingerprintOf("not a key"), null);
});

Deno.test("verified only for a good signature whose principal is the claimed email", () => {
  assertEquals(signedBy("G", "SHA256:k", "bob@x.com", "bob@x.com"), {
    key: "SHA256:k",
    verified: true,
  });
  assertEquals(signedBy("G", "SHA256:k", "eve@x.com", "bob@x.com"), {
    key: "SHA256:k",
    verified: false,
  });
  assertEquals(signedBy("U", "SHA256:k", "", "bob@x.com"), { key: "SHA256:k", verified: false });
  assertEquals(signedBy("B", "SHA256:k", "bob@x.com", "bob@x.com"), { key: null, verified: false });
  assertEquals(signedBy("N", "", "", "bob@x.com"), { key: null, verified: false });
});

Deno.test("a good gpg signature is no signature: neither a key nor verified", () => {
  // gpg's %GK is a key id and %GS its user id: a uid of the bare email would otherwise verify.
  assertEquals(signedBy("G", "4AEE18F83AFDEB23", "bob@x.com", "bob@x.com"), {
    key: null,
    verified: false,
  });
  assertEquals(signedBy("U", "4AEE18F83AFDEB23", "Bob <bob@x.com>", "bob@x.com"), {
    key: null,
    verified: false,
  });
});

Deno.test("the signers are read with one git process, a home-relative signers file as git reads it", async () => {
  await using repo = await withRepo();
  const home = await Deno.makeTempDir({ dir: join(repo.path, "..") });
  await Deno.writeTextFile(join(home, "signers"), "bob@example.com ssh-ed25519 AAAA\n");
  const trace = join(home, "trace");
  useGitEnvFrom({ ...Deno.env.toObject(), HOME: home, GIT_TRACE: trace });
  try {
    await repo.git("config", "gpg.format", "ssh");
    await repo.git("config", "gpg.ssh.allowedSignersFile", join(home, "signers"));
    const absolute = await readSigners(repo.path);
    await repo.git("config", "gpg.ssh.allowedSignersFile", "~/signers");
    await Deno.remove(trace).catch(() => {});
    const relative = await readSigners(repo.path);
    const gits = (await Deno.readTextFile(trace)).split("\n")
      .filter((line) => line.includes("trace: built-in: git")).length;
    assertEquals(gits, 1);
    assertEquals(relative, absolute);
    assertEquals(relative.config, []);
    // Another form git expands is git's to say: here it names no file, so none is used.
    await repo.git("config", "gpg.ssh.allowedSignersFile", "~no-such-user-here/signers");
    const other = await readSigners(repo.path);
    assert(other.config.includes("gpg.ssh.allowedSignersFile=/dev/null"), other.config.join(" "));
  } finally {
    useGitEnvFrom(undefined);
  }
});
