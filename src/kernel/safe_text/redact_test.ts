import {
  assert,
  assertEquals,
  assertNotIncludes,
  assertStringIncludes,
} from "../../../tests/assert.ts";
import { MAX_DEPTH, redact, redactDeep, TOO_DEEP } from "./redact.ts";
import { secretRules } from "./secret_rules.ts";

interface Case {
  kind: string;
  /** Text holding a secret as it would show up in a log, a commit message or a config. */
  example: string;
  /** The part that must not survive. */
  secret: string;
  /** Text that looks close but is not a secret: it must come back unchanged. */
  nearMiss: string;
}

// Every value below is made up; each has the shape of the real thing.
const CASES: Case[] = [
  {
    kind: "private-key",
    example: "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7xQ0b2fXkq9Lm3\n" +
      "Zp4Tn8d1Vb0ZrKc=\n-----END RSA PRIVATE KEY-----\ndone",
    secret: "MIIEowIBAAKCAQEA7xQ0b2fXkq9Lm3",
    nearMiss: "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC\n-----END PUBLIC KEY-----",
  },
  {
    kind: "github-token",
    example: "export GH=ghp_16C7e42F292c6912E7710c838347Ae178B4a && gh pr list",
    secret: "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    nearMiss: "classic tokens start with ghp_ and fine-grained ones with github_pat_",
  },
  {
    kind: "github-token",
    example:
      "token github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab",
    secret: "github_pat_11ABCDEFG0abcdefghijkl",
    nearMiss: "set github_pat_expiry in the org settings",
  },
  {
    kind: "gitlab-token",
    example: "GITLAB=glpat-xY3z9AbCdEfGhIjKlMnO",
    secret: "glpat-xY3z9AbCdEfGhIjKlMnO",
    nearMiss: "a glpat-short prefix",
  },
  {
    kind: "npm-token",
    example: "//registry.npmjs.org/:_authToken npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    secret: "npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    nearMiss: "npm_config_cache=/tmp/npm",
  },
  {
    kind: "slack-webhook",
    example:
      "notify https://hooks.slack.com/services/T024BE7LD/B01ABCDEF12/aBcDeFgHiJkLmNoPqRsTuVwX",
    secret: "T024BE7LD/B01ABCDEF12/aBcDeFgHiJkLmNoPqRsTuVwX",
    nearMiss: "see https://api.slack.com/messaging/webhooks",
  },
  {
    kind: "slack-token",
    example: "SLACK_BOT=xoxb-2048-123456789012-AbCdEfGhIjKlMnOpQrStUvWx",
    secret: "xoxb-2048-123456789012-AbCdEfGhIjKlMnOpQrStUvWx",
    nearMiss: "xoxo-hugs from the team",
  },
  {
    kind: "stripe-key",
    example: "Stripe rejected sk_live_51HqLyjWDarjtT1zdp7dcXYZ (rotated?)",
    secret: "sk_live_51HqLyjWDarjtT1zdp7dcXYZ",
    nearMiss: "publishable pk_live_51HqLyjWDarjtT1zdp7dcXYZ is public; so is the word sk_live_",
  },
  {
    kind: "stripe-key",
    example: "restricted rk_test_4eC39HqLyjWDarjtT1zdp7dc",
    secret: "rk_test_4eC39HqLyjWDarjtT1zdp7dc",
    nearMiss: "use rk_test_ keys in CI",
  },
  {
    kind: "stripe-webhook-secret",
    example: "webhook secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    nearMiss: "whsec_ values come from the dashboard",
  },
  {
    kind: "anthropic-key",
    example: "ANTHROPIC=sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz_0123456789-abcdefAA",
    secret: "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz",
    nearMiss: "sk-ant-short is not a key",
  },
  {
    kind: "openai-key",
    example: "openai.api_key('sk-proj-Ab3dEf6hIj9lMn0pQr5tUv8xYz1234abcd')",
    secret: "sk-proj-Ab3dEf6hIj9lMn0pQr5tUv8xYz1234abcd",
    nearMiss: "a sk-learn-compatible-estimators-list and a risk-assessment-framework-doc",
  },
  {
    kind: "aws-access-key-id",
    example: "aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE",
    secret: "AKIAIOSFODNN7EXAMPLE",
    nearMiss: "ids start with AKIA; AKIAIOSFODNN7EXAMPL is one character short",
  },
  {
    kind: "aws-access-key-id",
    example: "temporary ASIAY34FZKBOKMUTVV7A expired",
    secret: "ASIAY34FZKBOKMUTVV7A",
    nearMiss: "ASIA is a continent",
  },
  {
    kind: "aws-secret-key",
    example: "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    nearMiss: "aws_secret_access_key is read from ~/.aws/credentials",
  },
  {
    kind: "google-api-key",
    example: "maps?key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    secret: "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    nearMiss: "AIza keys belong to Google Cloud",
  },
  {
    kind: "jwt",
    example: "cookie session=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
      "eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    secret: "eyJzdWIiOiIxMjM0NTY3ODkwIn0",
    nearMiss: "the header eyJhbGciOiJIUzI1NiJ9 alone, and version 1.22.333",
  },
  {
    kind: "url-credentials",
    example: "DATABASE_URL=postgres://admin:s3cr@t!@db.internal:5432/app",
    secret: "s3cr@t!",
    nearMiss: "https://example.com:8443/path?q=1 and ssh://git@github.com/org/repo.git",
  },
  {
    kind: "url-credentials",
    example: "git clone https://a1b2c3d4e5f6a7b8c9d0e1f2@github.com/org/repo.git",
    secret: "a1b2c3d4e5f6a7b8c9d0e1f2",
    nearMiss: "git clone https://deploy@example.com/org/repo.git",
  },
  {
    kind: "authorization",
    example: 'curl -H "Authorization: Basic dXNlcjpwYXNzd29yZA==" https://api.example.com',
    secret: "dXNlcjpwYXNzd29yZA==",
    nearMiss: "the Authorization header is required",
  },
  {
    kind: "bearer-token",
    example: "sent Bearer 4f8a9c1e7b4d4e2a9c1f2b7e to the proxy",
    secret: "4f8a9c1e7b4d4e2a9c1f2b7e",
    nearMiss: "Bearer tokens expire after an hour; bearer authentication is standard",
  },
  {
    kind: "secret",
    example:
      'config: password=hunter2 {"api_key": "k-93jd0"} passwd: \'x9\' CLIENT_SECRET="abc def"',
    secret: "hunter2",
    nearMiss:
      "input_tokens: 3000, max_tokens=1024, token_count: 3, tokenizer=fast, password reset: done, if (password == null), apiKey = process.env.API_KEY, token: ${{ secrets.GITHUB_TOKEN }}",
  },
];

Deno.test("every kind in these cases is still a rule's kind", () => {
  // Each rule's own example is in secret_rules_test.ts; these are the hand-written classics.
  const kinds = new Set(secretRules().map((rule) => rule.kind));
  for (const { kind } of CASES) assert(kinds.has(kind), `no rule for ${kind}`);
});

for (const c of CASES) {
  Deno.test(`redact ${c.kind}: ${c.example.slice(0, 40).replaceAll("\n", " ")}`, () => {
    const out = redact(c.example);
    assertNotIncludes(out, c.secret);
    assertStringIncludes(out, `[REDACTED:${c.kind}]`);
    assertEquals(redact(out), out, "redacting twice changes nothing");
    assertEquals(redact(c.nearMiss), c.nearMiss);
  });
}

Deno.test("redact keeps the name of an assigned secret and its quotes", () => {
  assertEquals(
    redact('password=hunter2 {"api_key": "k-93jd0"} passwd: \'x9\' CLIENT_SECRET="abc def"'),
    'password=[REDACTED:secret] {"api_key": "[REDACTED:secret]"} passwd: \'[REDACTED:secret]\' ' +
      'CLIENT_SECRET="[REDACTED:secret]"',
  );
  assertEquals(
    redact("--access-token=tok123 x-api-key: 0f0f"),
    "--access-token=[REDACTED:secret] x-api-key: [REDACTED:secret]",
  );
  assertEquals(
    redact("postgres://admin:pw@db/app"),
    "postgres://admin:[REDACTED:url-credentials]@db/app",
  );
});

Deno.test("redact leaves git shas, ids and ordinary prose alone", () => {
  const text = "commit: 3f2a9c1e7b4d4e2a9c1f2b7e8d9a0c11deadbeef\n" +
    "session_id: 3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11 on feature/payments\n" +
    "Fixed the token refresh; the secret sauce is caching. Key: value pairs stay.";
  assertEquals(redact(text), text);
});

Deno.test("redact hides the secret in the recorded PostToolUseFailure error", async () => {
  const payload = JSON.parse(
    await Deno.readTextFile(
      new URL(
        "../../../tests/fixtures/claude-code/payloads/post-tool-use-failure.json",
        import.meta.url,
      ),
    ),
  );
  const clean = redactDeep(payload);
  assertNotIncludes(JSON.stringify(clean), "sk_live_51HqLyjWDarjtT1zdp7dcXYZ");
  assertStringIncludes(clean.error, "STRIPE_SECRET_KEY=[REDACTED:stripe-key] was not accepted");
  assertEquals(clean.tool_input, payload.tool_input);
});

Deno.test("redactDeep walks objects and arrays, and does not change its input", () => {
  const input = {
    summary: "pushed with ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    todos: [{ content: "rotate AKIAIOSFODNN7EXAMPLE", status: "pending" }],
    env: { DB_PASSWORD: "correct horse", DB_USER: "app", PORT: 5432, TOKEN_FILE: "/run/token" },
    nothing: null,
    ok: true,
  };
  const copy = structuredClone(input);
  const out = redactDeep(input);
  assertEquals(out, {
    summary: "pushed with [REDACTED:github-token]",
    todos: [{ content: "rotate [REDACTED:aws-access-key-id]", status: "pending" }],
    env: { DB_PASSWORD: "[REDACTED:secret]", DB_USER: "app", PORT: 5432, TOKEN_FILE: "/run/token" },
    nothing: null,
    ok: true,
  });
  assertEquals(input, copy);
  const proto = redactDeep(JSON.parse('{"__proto__": {"password": "x"}}'));
  assertEquals(Object.getPrototypeOf(proto), Object.prototype);
  assertEquals(Object.keys(proto), ["__proto__"]);
});

Deno.test("redact handles a megabyte of hostile input in linear time", () => {
  // Inputs built to make a backtracking pattern explode: long runs with no terminator.
  const inputs = [
    "-----BEGIN PRIVATE KEY-----".repeat(40_000),
    "https://".repeat(130_000),
    "x://a:" + "b".repeat(1_000_000),
    ('token = "' + "b".repeat(100)).repeat(10_000),
    "sk-" + "a".repeat(1_000_000),
    "password=".repeat(110_000),
    "a:".repeat(500_000),
    "Bearer " + "a".repeat(1_000_000),
    ("lorem ipsum dolor sit amet, password reset " + "0123456789abcdef".repeat(4) + " ").repeat(
      10_000,
    ),
  ];
  const started = performance.now();
  for (const input of inputs) redact(input);
  const elapsed = performance.now() - started;
  // Linear passes take under a second, a few on a loaded machine; a quadratic one takes hours.
  // The bound tells a hang from a slow machine, not speed (deno task bench measures that).
  assert(elapsed < 60_000, `redaction of 9 MB took ${elapsed.toFixed(0)} ms`);
});

Deno.test("redactDeep cuts what nests deeper than MAX_DEPTH instead of overflowing the stack", () => {
  let deep: unknown = "ghp_" + "a1".repeat(18);
  for (let i = 0; i < 5_000; i++) deep = { inner: deep };
  let out = redactDeep(deep) as Record<string, unknown>;
  for (let i = 0; i < MAX_DEPTH; i++) out = out.inner as Record<string, unknown>;
  assertEquals(out as unknown, TOO_DEEP);
  const shallow = redactDeep({ a: [{ b: "token=hunter2hunter2" }] });
  assertEquals(JSON.stringify(shallow).includes("hunter2"), false);
});
