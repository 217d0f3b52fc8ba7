import { assertEquals } from "../../../tests/assert.ts";
import { fingerprintOf, signedBy } from "./signature.ts";

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
