/**
 * Redaction measured over a corpus of secrets written in prose (tests/fixtures/redaction/): a
 * value of every vendor-token shape of gitleaks' default rules, and a value of every vendor-key
 * rule's shape after the vendor's word ("the airtable key is …"). At least 95 % of each must go;
 * ordinary text — prose that names vendors, code, commit ids, checksums, ids — must stay as it is.
 */
import { assert, assertEquals } from "../../../tests/assert.ts";
import { redact } from "./redact.ts";

interface Sample {
  rule: string;
  token: string;
  text: string;
}

const FIXTURES = new URL("../../../tests/fixtures/redaction/", import.meta.url);
const corpus: { tokens: Sample[]; named: Sample[] } = JSON.parse(
  await Deno.readTextFile(new URL("vendor_tokens.json", FIXTURES)),
);

/** The samples whose secret is still readable after redaction. */
function kept(samples: Sample[]): string[] {
  return samples
    .filter((sample) => {
      const out = redact(sample.text);
      return out.includes(sample.token) || !out.includes("[REDACTED:");
    })
    .map((sample) => sample.rule);
}

for (const part of ["tokens", "named"] as const) {
  Deno.test(`redaction catches at least 95 % of the ${part} corpus written in prose`, () => {
    const samples = corpus[part];
    assert(samples.length > 90, `the ${part} corpus has ${samples.length} samples`);
    const missed = kept(samples);
    const caught = (samples.length - missed.length) / samples.length;
    assert(caught >= 0.95, `${(caught * 100).toFixed(1)} % caught; kept: ${missed.join(", ")}`);
  });
}

Deno.test("a secret in prose keeps its sentence: only the value is replaced", () => {
  assertEquals(
    redact("the airtable key is k2d9s8f7g6h5j4k3l."),
    "the airtable key is [REDACTED:airtable-api-key].",
  );
  assertEquals(
    redact("Adobe token for staging: 6dca6432e45d933e13650d1882bd5e69"),
    "Adobe token for staging: [REDACTED:adobe-client-id]",
  );
});

Deno.test("ordinary text is left as it is: prose naming vendors, code, commit ids, checksums", async () => {
  const text = await Deno.readTextFile(new URL("ordinary.txt", FIXTURES));
  for (const line of text.split("\n")) assertEquals(redact(line), line);
});
