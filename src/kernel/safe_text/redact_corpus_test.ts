/**
 * Redaction measured over a corpus of secrets written in prose (tests/fixtures/redaction/): a
 * value of every vendor-token shape of gitleaks' default rules (and, where gitleaks matches a
 * prefix in any case, that value with the prefix in capitals), and a value of every vendor-key
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

const shapes: { tokens: Sample[]; case_variants: Sample[] } = JSON.parse(
  await Deno.readTextFile(new URL("gitleaks_shapes.json", FIXTURES)),
);

function atLeast95(samples: Sample[], what: string, least = 90): void {
  assert(samples.length > least, `the ${what} corpus has ${samples.length} samples`);
  const missed = kept(samples);
  const caught = (samples.length - missed.length) / samples.length;
  assert(caught >= 0.95, `${(caught * 100).toFixed(1)} % caught; kept: ${missed.join(", ")}`);
}

for (const part of ["tokens", "named"] as const) {
  Deno.test(`redaction catches at least 95 % of the ${part} corpus written in prose`, () => {
    atLeast95(corpus[part], part);
  });
}

Deno.test("redaction catches at least 95 % of gitleaks' vendor token shapes in prose, either case", () => {
  atLeast95(shapes.tokens, "gitleaks shapes");
});

Deno.test("redaction catches a token whose prefix gitleaks matches in any case, in capitals too", () => {
  // `GLC_…`, `Npm_…`, `XOXE-…`: gitleaks' case-insensitive rules find them, so mpm must.
  atLeast95(shapes.case_variants, "gitleaks case variants", 20);
});

/**
 * A sample as a transcript holds it: its sentence in a log line's JSON, that line a string in a
 * tool's output, that output a string in the transcript's line — three levels of escaping.
 */
function nested(sample: Sample): Sample {
  const log = JSON.stringify({ level: "info", body: JSON.stringify({ msg: sample.text }) });
  const line = JSON.stringify({ type: "user", content: [{ type: "tool_result", content: log }] });
  return { ...sample, text: line };
}

/** The first letter of the secret written as a `\u` escape, the way some JSON writers do. */
function unicodeEscaped(sample: Sample): Sample {
  const json = JSON.stringify({ out: sample.text });
  const at = json.indexOf(sample.token);
  if (at === -1) return { ...sample, text: json }; // a token JSON writes with escapes of its own
  const code = sample.token.charCodeAt(0).toString(16).padStart(4, "0");
  return { ...sample, text: json.slice(0, at) + "\\u" + code + json.slice(at + 1) };
}

for (
  const [name, shape] of [["nested in JSON three deep", nested], [
    "\\u-escaped",
    unicodeEscaped,
  ]] as const
) {
  Deno.test(`redaction reads what escaped text means: every corpus ${name} is caught as in prose`, () => {
    atLeast95(corpus.tokens.map(shape), "tokens");
    atLeast95(corpus.named.map(shape), "named");
    atLeast95(shapes.tokens.map(shape), "gitleaks shapes");
    atLeast95(shapes.case_variants.map(shape), "gitleaks case variants", 20);
    for (const sample of [...corpus.tokens, ...corpus.named].map(shape)) {
      JSON.parse(redact(sample.text)); // a JSON line stays a JSON line
    }
  });
}

Deno.test("secrets escaped inside JSON strings go as they would unescaped", () => {
  const body = JSON.stringify({ user: "svc", password: "Zq7hunter2Secret" });
  const log = JSON.stringify({ level: "info", body });
  for (
    const text of [
      log,
      JSON.stringify({ content: log }),
      JSON.stringify({ x: JSON.stringify({ content: log }) }),
    ]
  ) {
    const out = redact(text);
    assert(!out.includes("Zq7hunter2Secret"), out);
    assert(out.includes("svc"), "only the value goes");
    JSON.parse(out);
  }
  const cases: [string, string][] = [
    [`{"Cookie": "sid=Q2h8vLx0pR7; theme=dark"}`, `{"Cookie": "[REDACTED:cookie]"}`],
    [`{"headers":{"cookie":"sid=Q2h8vLx0pR7"}}`, `{"headers":{"cookie":"[REDACTED:cookie]"}}`],
    [`{"Set-Cookie": "id=Q2h8vLx0pR7; Path=/"}`, `{"Set-Cookie": "[REDACTED:cookie]"}`],
    ["password:\n    hunter2hunter2", "password:\n    [REDACTED:secret]"],
    [
      JSON.stringify({ out: "db:\n  password:\n    hunter2hunter2\n  user: bob" }),
      JSON.stringify({ out: "db:\n  password:\n    [REDACTED:secret]\n  user: bob" }),
    ],
    [
      `{"out":"clone https:\\/\\/user:Zq7pass2Secret@git.example.com\\/r.git"}`,
      `{"out":"clone https://user:[REDACTED:url-credentials]@git.example.com/r.git"}`,
    ],
    [
      `{"out":"id \\u0041KIAQ3EGRN7VZK2XYB5M here"}`,
      `{"out":"id [REDACTED:aws-access-key-id] here"}`,
    ],
  ];
  for (const [text, expected] of cases) assertEquals(redact(text), expected);
});

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
