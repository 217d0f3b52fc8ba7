/**
 * Redaction cost: a generated 50 MB Claude Code transcript (JSONL: prompts, answers, tool calls and
 * their output, with a secret every few hundred lines) redacted whole and line by line, and what
 * loading the rules costs a fresh process. `deno run --allow-all scripts/bench/transcripts/bench_redact.ts`
 * prints the figures; `redactBenches()` returns them as rows for `deno task bench`.
 *
 * MPM_BENCH_REDACT_MB sets the size (default 50).
 */
import process from "node:process";
import type { Row } from "../bench_lib.ts";

const MB = Number(Deno.env.get("MPM_BENCH_REDACT_MB") ?? 50);

/** A small deterministic generator (mulberry32), so every run redacts the same text. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";

const PROSE = [
  "I'll look at the failing test first and then fix the token refresh in the client.",
  "The key change is in src/sessions/capture/pause.ts where the snapshot is written atomically.",
  "Run `deno task test` again; the password reset flow now passes on Linux and macOS.",
  "Let me check the git log for the commit that introduced the regression.",
  "| file | lines | status |\n| --- | --- | --- |\n| src/main.ts | 120 | changed |",
  "The API returns 401 when the bearer header is missing, so we retry once with a new token.",
  "See https://docs.example.com/guide/install#requirements for the supported versions.",
  "Use `npm install --save-dev typescript` and then `npx tsc --noEmit` to type check.",
  "The secret sauce here is caching the parsed config; keys are sorted before hashing.",
  "Session session-20251107-182249 was paused on branch feature/payments-retry.",
];

const CODE = [
  "const apiKey = process.env.API_KEY;\nif (!apiKey) throw new Error('missing key');",
  "export function hash(input: string): string {\n  return createHash('sha256').update(input).digest('hex');\n}",
  "for (const [key, value] of Object.entries(config)) {\n  out[key.toLowerCase()] = value;\n}",
  'const token = await getToken({ scope: "repo", ttl: 3600 });',
  "git log --oneline -5\n3f2a9c1 Fix the retry loop\n8d9a0c1 Add the password field to the form",
  "mkdir -p build && cp -r src/* build/ && docker run -p 8080:80 app",
  'import { z } from "zod";\nconst Schema = z.object({ id: z.string().uuid(), name: z.string() });',
  "SGVsbG8gd29ybGQsIHRoaXMgaXMgYmFzZTY0IGVuY29kZWQgdGV4dCBmb3IgdGVzdGluZw==",
];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

function chars(rand: () => number, alphabet: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

/** Secrets as they show up in a session: pasted into a prompt, echoed by a command, in a file. */
function secret(rand: () => number): string {
  const shapes = [
    () => `export GITHUB_TOKEN=ghp_${chars(rand, ALNUM, 36)}`,
    () => `git remote set-url origin https://oauth2:glpat-${chars(rand, ALNUM, 20)}@gitlab.com/x/y`,
    () =>
      `SLACK_BOT_TOKEN=xoxb-${chars(rand, HEX, 12)}-${chars(rand, HEX, 12)}-${
        chars(rand, ALNUM, 24)
      }`,
    () => `aws_access_key_id = AKIA${chars(rand, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
    () => `OPENAI_API_KEY=sk-proj-${chars(rand, ALNUM, 48)}`,
    () => `//registry.npmjs.org/:_authToken=npm_${chars(rand, ALNUM, 36)}`,
    () => `DATABASE_URL=postgres://app:${chars(rand, ALNUM, 16)}@db.internal:5432/app`,
    () => `mysql -u root -p${chars(rand, ALNUM, 12)} app < dump.sql`,
    () => `curl -u admin:${chars(rand, ALNUM, 14)} https://ci.example.com/api/json`,
    () => `Authorization: Bearer ${chars(rand, ALNUM, 40)}`,
    () => `deployed with dop_v1_${chars(rand, HEX, 64)} yesterday`,
    () => `SHOPIFY_TOKEN=shpat_${chars(rand, HEX, 32)}`,
    () => `hf_${chars(rand, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 34)}`,
    () => `PGPASSWORD=${chars(rand, ALNUM, 12)} psql -h localhost`,
  ];
  return pick(rand, shapes)();
}

/** About `bytes` of JSONL shaped like a Claude Code transcript. */
export function transcript(bytes: number, seed = 1): string {
  const rand = random(seed);
  const lines: string[] = [];
  let size = 0;
  let n = 0;
  while (size < bytes) {
    n++;
    const parts: string[] = [];
    const count = 1 + Math.floor(rand() * 6);
    for (let i = 0; i < count; i++) parts.push(rand() < 0.5 ? pick(rand, PROSE) : pick(rand, CODE));
    if (n % 300 === 0) parts.push(secret(rand));
    const kind = pick(rand, ["user", "assistant", "tool_result"] as const);
    const record = {
      type: kind === "tool_result" ? "user" : kind,
      uuid: [8, 4, 4, 4, 12].map((length) => chars(rand, HEX, length)).join("-"),
      timestamp: new Date(1_760_000_000_000 + n * 1000).toISOString(),
      sessionId: "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11",
      cwd: "/home/dev/projects/payments",
      message: kind === "tool_result"
        ? { role: "user", content: [{ type: "tool_result", content: parts.join("\n") }] }
        : { role: kind, content: parts.join("\n\n") },
    };
    const line = JSON.stringify(record);
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n") + "\n";
}

interface StartUp {
  importMs: number;
  importCpu: number;
  firstMs: number;
  firstCpu: number;
}

/**
 * Loading the rules in a fresh process, and its first redaction (the rule table and the
 * prefilter are built then): the median of five processes, with their CPU time.
 */
async function startUpCost(): Promise<StartUp> {
  const url = new URL("../../../src/kernel/safe_text/redact.ts", import.meta.url).href;
  const code = `import process from "node:process";
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const c0 = cpu(), t0 = performance.now();
const m = await import(${JSON.stringify(url)});
const c1 = cpu(), t1 = performance.now();
m.redact("deployed with ghp_${"a1".repeat(18)} yesterday");
const c2 = cpu(), t2 = performance.now();
console.log(JSON.stringify({
  importMs: t1 - t0, importCpu: c1 - c0, firstMs: t2 - t1, firstCpu: c2 - c1,
}));`;
  const runs: StartUp[] = [];
  for (let i = 0; i < 5; i++) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    runs.push(JSON.parse(new TextDecoder().decode(out.stdout)));
  }
  const mid = (key: keyof StartUp) =>
    runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  return {
    importMs: mid("importMs"),
    importCpu: mid("importCpu"),
    firstMs: mid("firstMs"),
    firstCpu: mid("firstCpu"),
  };
}

/**
 * The result, the time it took, and the CPU time as a rounded figure: on a shared machine the
 * CPU time says more about the code than the clock does.
 */
function timed<T>(fn: () => T): [T, number, string] {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return [result, ms, ((used.user + used.system) / 1000).toFixed(0)];
}

export async function redactBenches(): Promise<Row[]> {
  const startUp = await startUpCost();
  const { redact } = await import("../../../src/kernel/safe_text/redact.ts");
  const text = transcript(MB * 1024 * 1024);
  const size = `${(text.length / 1024 / 1024).toFixed(0)} MB`;

  const [whole, wholeMs, wholeCpu] = timed(() => redact(text));
  const lines = text.split("\n");
  const [byLine, linesMs, linesCpu] = timed(() => lines.map(redact).join("\n"));

  const found = whole.match(/\[REDACTED:/g)?.length ?? 0;
  if (byLine !== whole) console.warn("note: line-by-line output differs from the whole text's");
  return [
    {
      name: `redact: load the rules, fresh process (${startUp.importCpu.toFixed(1)} ms CPU)`,
      ms: startUp.importMs,
    },
    {
      name: `redact: first call, builds the table (${startUp.firstCpu.toFixed(1)} ms CPU)`,
      ms: startUp.firstMs,
    },
    {
      name: `redact: ${size} transcript, whole (${found} secrets; ${wholeCpu} ms CPU)`,
      ms: wholeMs,
    },
    {
      name: `redact: ${size} transcript, ${lines.length} lines one by one (${linesCpu} ms CPU)`,
      ms: linesMs,
    },
  ];
}

if (import.meta.main) {
  for (const row of await redactBenches()) {
    console.log(`${row.ms.toFixed(1).padStart(10)} ms  ${row.name}`);
  }
}
