import { assertEquals } from "../../tests/assert.ts";
import { checksumLine, parseChecksumLine, sha256Hex } from "./checksum.ts";

Deno.test("sha256Hex matches the known digest of 'abc'", () => {
  assertEquals(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("checksumLine is in sha256sum -c format and parses back", () => {
  const line = checksumLine("abc", "session-20250101-000000.json");
  assertEquals(line.endsWith("  session-20250101-000000.json\n"), true);
  assertEquals(parseChecksumLine(line)?.name, "session-20250101-000000.json");
  assertEquals(parseChecksumLine("not a checksum"), undefined);
});
