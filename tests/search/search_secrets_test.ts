/**
 * `mpm search`, its `--json` and `mpm mcp`'s search tool never show a secret, however the query
 * meets it: a query that is the start of a token, of a URL with a password, of a JWT or of a
 * private key's body; an excerpt whose cut falls inside a token; a private key block read as a
 * whole. Secrets sit in the context file (never redacted on disk) and in an error record a clone
 * brought (written before mpm redacted it, say): what is shown is redacted before it is matched,
 * cut and marked.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, type Repo, withRepo } from "../helpers.ts";
import { connect } from "../mcp/mcp_helpers.ts";

const GITHUB = "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB";
const SLACK = "xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJklmn";
const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0." +
  "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
const AWS = "AKIAIOSFODNN7EXAMPLE";
const KEY = [
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEpAIBAAKCAQEA7bq3zW1xQ2Lr9c0dHkGf5sYt8uVw3nPj6mXa4Ee2KoR1iTz",
  "Hq9Lm2Vx8sWc3Rt7Yb1Nf6Gd0Ka5Pj4Ue9Zo2Ci8Bw3Ex7Qv1My6Tn0Js5Dl4Fh2",
  "-----END RSA PRIVATE KEY-----",
];

/** Pieces of each secret, longer than any query: none may be shown, whole or cut. */
const PIECES = [
  "ghp_abcdef",
  "xyz0123456789AB",
  "S3cretPassw0rd",
  "xoxb-1234",
  "GHIJklmn",
  "eyJhbGciOiJIUzI1",
  "dozjgNryP4J3",
  "IOSFODNN7",
  "MIIEpAIBAAKCAQEA7",
  "7bq3zW1xQ2",
  "Hq9Lm2Vx8s",
];

const QUERIES = ["ghp_", "postgres", "xoxb", "eyJhbGci", "AKIA", "cutzebra", "MIIEpAIBAAKCAQEA"];

const CONTEXT = [
  "# Context",
  `The deploy key is ${GITHUB} and the db url postgres://admin:S3cretPassw0rd!@db.example.com:5432/prod`,
  `slack ${SLACK} and jwt ${JWT}`,
  `aws ${AWS} in staging`,
  // The cut of an excerpt (220 characters on each side for mcp, 60 for the terminal) falls
  // inside the token.
  `cutzebra1 ${"w".repeat(200)} ${GITHUB} tail`,
  `cutzebra2 ${"w".repeat(40)} ${GITHUB} tail`,
  ...KEY,
  "after the key",
  "",
].join("\n");

/** An error record as a hand, or another tool, may have left it: not redacted. */
function rawErrorRecord(): string {
  return JSON.stringify({
    schema_version: 1,
    time: new Date().toISOString(),
    event: "PostToolUseFailure",
    claude_session_id: "0b8c1f7e-5d2a-4c3b-9e8f-1a2b3c4d5e6f",
    tool: "Bash",
    tool_input: { command: "psql postgres://admin:S3cretPassw0rd!@db.example.com/prod" },
    tool_use_id: null,
    error: `auth failed with ${GITHUB} and ${SLACK}`,
    error_details: null,
    is_interrupt: null,
    duration_ms: null,
    cwd: "/srv/app",
    git: null,
    recent_commits: [],
  });
}

async function project(): Promise<Repo> {
  const repo = await withRepo();
  await Deno.mkdir(join(repo.path, ".claude"), { recursive: true });
  await Deno.writeTextFile(join(repo.path, ".claude", "context.md"), CONTEXT);
  await ok(repo, "start", "deploy");
  await ok(repo, "pause", "-s", `leaked token ${GITHUB} and aws ${AWS}`);
  const errors = join(repo.path, ".claude-mpm", "errors");
  await Deno.mkdir(errors, { recursive: true });
  await Deno.writeTextFile(join(errors, "2026-01-01T00-00-00Z-bash.json"), rawErrorRecord());
  return repo;
}

function assertNoSecret(text: string, what: string): void {
  for (const piece of PIECES) {
    assertEquals(text.includes(piece), false, `${what} shows ${piece}:\n${text}`);
  }
}

Deno.test("search never shows a secret the query meets, on the terminal, in JSON or to mcp", async (t) => {
  await using repo = await project();

  await t.step("a query that is the start of a secret matches nothing of it", async () => {
    for (const query of QUERIES) {
      const terminal = (await ok(repo, "search", query, "--limit", "50")).stdout;
      assertNoSecret(terminal, `mpm search ${query}`);
      const json = (await ok(repo, "search", query, "--limit", "50", "--json")).stdout;
      assertNoSecret(json, `mpm search ${query} --json`);
    }
    const found = JSON.parse((await ok(repo, "search", "ghp_", "--json")).stdout);
    assertEquals(found.total, 0, "ghp_ is only inside tokens");
  });

  await t.step("the same text matched beside a secret shows it redacted", async () => {
    const shown = (await ok(repo, "search", "postgres", "--limit", "50")).stdout;
    assertStringIncludes(
      shown,
      "The deploy key is [REDACTED:github-token] and the db url «postgres»://admin:" +
        "[REDACTED:url-credentials]@db.example.com:5432/prod",
    );
    const failed = (await ok(repo, "search", "auth failed")).stdout;
    assertStringIncludes(
      failed,
      "«auth failed» with [REDACTED:github-token] and [REDACTED:slack-token]",
    );
    assertNoSecret(failed, "mpm search auth failed");
  });

  await t.step("an excerpt cut inside a token shows none of it", async () => {
    const shown = (await ok(repo, "search", "cutzebra")).stdout;
    // The cut now falls in the redaction's marker.
    assertStringIncludes(shown, "«cutzebra»2 " + "w".repeat(40) + " [REDACTED:github-…");
    assertNoSecret(shown, "mpm search cutzebra");
  });

  await t.step(
    "a private key's body is not a line of its own; the lines after keep their numbers",
    async () => {
      const found = JSON.parse((await ok(repo, "search", "after the key", "--json")).stdout);
      assertEquals(found.hits.map((h: { file: string }) => h.file), [".claude/context.md:11"]);
      const key = JSON.parse((await ok(repo, "search", "RSA PRIVATE", "--json")).stdout);
      assertEquals(key.total, 0, "the key's header is redacted with it");
    },
  );

  await t.step("mpm mcp's search tool, with its wider excerpt", async () => {
    await using mcp = await connect(repo);
    for (const query of [...QUERIES, "auth failed", "after the key"]) {
      const answer = await mcp.call("search", { query, limit: 50 });
      assertEquals(answer.error, false);
      assertNoSecret(answer.text, `mcp search ${query}`);
    }
    const cut = await mcp.call("search", { query: "cutzebra1" });
    assertStringIncludes(cut.text, "«cutzebra1» " + "w".repeat(200) + " [REDACTED:github-t…");
  });
});
