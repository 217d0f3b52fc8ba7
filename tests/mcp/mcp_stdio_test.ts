/**
 * `mpm mcp` as Claude Code runs it: the bundle as a process, JSON-RPC lines on its stdin. Only
 * JSON-RPC on stdout, an answer for every request (those under way when stdin closes included),
 * a malformed line gets JSON-RPC's error answer and a bad call an error result, and it goes on serving, and it exits 0 when stdin closes.
 */
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { dirname, join } from "node:path";
import {
  baseEnv,
  DENO_DIR,
  DENO_RUN,
  HANG_GUARD_MS,
  mpm,
  mpmProcessArgs,
  type Repo,
  testBundle,
  withRepo,
  writeMpmProgram,
} from "../helpers.ts";
import { root } from "../../src/commands.ts";

const request = (id: number, method: string, params: Record<string, unknown> = {}) =>
  JSON.stringify({ jsonrpc: "2.0", id, method, params });

const INITIALIZE = request(1, "initialize", {
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "test", version: "1" },
});

/**
 * `mpm mcp` as a process in `repo`, given `lines` on stdin, which then closes; killed if it has
 * not exited after the hang guard (a server that never ended would otherwise hold the test).
 */
async function serve(
  repo: Repo,
  lines: string[],
  denoArgs: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [bundle] = (await mpmProcessArgs()).slice(-1);
  const child = new Deno.Command(Deno.execPath(), {
    args: [...DENO_RUN, "--no-config", ...denoArgs, bundle, "mcp"],
    cwd: repo.path,
    env: { ...baseEnv(repo.home), DENO_DIR },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(lines.join("\n") + "\n"));
  await writer.close();
  const timer = setTimeout(() => child.kill("SIGKILL"), HANG_GUARD_MS);
  const out = await child.output();
  clearTimeout(timer);
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

interface Message {
  jsonrpc: string;
  id?: number | null;
  result?: { content?: { text: string }[]; isError?: boolean; [key: string]: unknown };
  error?: { message: string; code?: number };
}

Deno.test("mpm mcp over stdio: JSON-RPC only, every request answered, exits when stdin closes", async () => {
  await using repo = await withRepo();
  await repo.commit("First commit", { "a.txt": "a\n" });
  const paused = await repo.run("pause", "-s", "Kept the retry budget at three attempts");
  assertEquals(paused.code, 0, paused.stderr);

  const lines = [
    INITIALIZE,
    JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    request(2, "tools/list"),
    "this line is not JSON",
    JSON.stringify({ not: "a JSON-RPC message" }),
    request(3, "tools/call", { name: "search", arguments: { query: "retry budget" } }),
    request(4, "tools/call", { name: "show_session", arguments: { id: "no-such-session" } }),
    request(5, "tools/call", { name: "search", arguments: {} }),
    // Sent last, just before stdin closes: it is answered all the same.
    request(6, "tools/call", { name: "current_work", arguments: {} }),
  ];
  const { code, stdout, stderr } = await serve(repo, lines);

  assertEquals(code, 0, stderr);
  const messages = stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as Message);
  for (const message of messages) assertEquals(message.jsonrpc, "2.0");
  const byId = new Map(messages.filter((m) => m.id !== null).map((m) => [m.id, m]));
  assertEquals([...byId.keys()].sort(), [1, 2, 3, 4, 5, 6]);
  // The two lines that are not requests each get JSON-RPC's error answer, with no id.
  assertEquals(
    messages.filter((m) => m.id === null).map((m) => m.error?.code),
    [-32700, -32600],
  );
  assertEquals((byId.get(1)!.result!.serverInfo as { name: string }).name, "mpm");
  assertEquals((byId.get(2)!.result!.tools as unknown[]).length, 8);
  const found = byId.get(3)!.result!;
  assertEquals(found.isError, undefined);
  assertStringIncludes(found.content![0].text, "Kept the «retry budget» at three attempts");
  // This machine's own pause, told by its key (the run found the key file, as every command's).
  assertStringIncludes(found.content![0].text, "the person's own");
  assertEquals(byId.get(4)!.result!.isError, true);
  assertEquals(byId.get(4)!.result!.content![0].text.split("\n").length, 1);
  assertEquals(byId.get(5)!.result!.isError, true);
  assertStringIncludes(byId.get(5)!.result!.content![0].text, "Bad argument to search: query");
  assertStringIncludes(byId.get(6)!.result!.content![0].text, "Kept the retry budget");
  assert(!/\n\s+at /.test(stderr), stderr);
});

Deno.test("mpm mcp answers Claude Code's server/discover probe, sent before initialize, with Method not found", async () => {
  await using repo = await withRepo();
  // As Claude Code 2.1.330 opens a stdio server: the probe first, initialize once it is answered.
  const probe = JSON.stringify({
    jsonrpc: "2.0",
    id: "server-discover-probe-1",
    method: "server/discover",
    params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } },
  });
  const { code, stdout, stderr } = await serve(repo, [probe, INITIALIZE, request(2, "tools/list")]);
  assertEquals(code, 0, stderr);
  const messages = stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
  assertEquals(messages.length, 3, stdout);
  assertEquals(messages[0], {
    jsonrpc: "2.0",
    id: "server-discover-probe-1",
    error: { code: -32601, message: "Method not found" },
  });
  assertEquals(messages[1].result.serverInfo.name, "mpm");
  assertEquals(messages[2].result.tools.length, 8);
});

Deno.test("mpm doctor starts the server `mpm hooks install` registered, and names its tools", async () => {
  await using repo = await withRepo();
  const program = await writeMpmProgram(join(repo.home, "mpm"));
  assertEquals((await repo.run("hooks", "install")).code, 0);
  const out = await mpm(["doctor", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_BIN: program },
  });
  const checks = JSON.parse(out.stdout).checks as { id: string; status: string; message: string }[];
  const mcp = checks.find((check) => check.id === "mcp");
  assertEquals(mcp?.status, "ok", JSON.stringify(mcp));
  assertStringIncludes(
    mcp!.message,
    "answers with 8 tools: search, current_work, show_session, show_handoff, list_recent, team_work",
  );
});

Deno.test("mpm mcp: a line over 10 MiB gets JSON-RPC's error with its id, and the next request is answered", async () => {
  await using repo = await withRepo();
  const huge = request(7, "tools/call", {
    name: "search",
    arguments: { query: "x".repeat(11 * 1024 * 1024) },
  });
  const { code, stdout, stderr } = await serve(repo, [
    INITIALIZE,
    huge,
    request(8, "tools/list"),
    request(9, "tools/call", { name: "current_work", arguments: {} }),
  ]);
  assertEquals(code, 0, stderr);
  const messages = stdout.trimEnd().split("\n")
    .map((line) => JSON.parse(line) as Message);
  assertEquals(messages.map((m) => m.id), [1, 7, 8, 9]);
  assertEquals(messages[1].error?.code, -32600);
  assertStringIncludes(messages[1].error!.message, "longer than 10 MiB");
  assertEquals((messages[2].result!.tools as unknown[]).length, 8);
  assertEquals(messages[3].result!.isError, undefined);
});

Deno.test("mpm mcp answers initialize and tools/list without loading the command line", async () => {
  // On disk: with a --deny flag the run no longer has all leave, and Deno then refuses any path
  // under /dev, the suite's memory TMPDIR (/dev/shm) included.
  await using repo = await withRepo({ onDisk: true });
  // The bundle's chunk that holds the command registry (src/commands.ts), found by the root's
  // summary: a chunk is imported by a computed name, which needs leave to read it, so a run that
  // loaded the command line would fail here. The client waits for these two answers before its
  // first turn, and loading every command's declaration held them up.
  const chunks = join(dirname(await testBundle()), "mpm-chunks");
  const holding: string[] = [];
  for await (const file of Deno.readDir(chunks)) {
    const text = await Deno.readTextFile(join(chunks, file.name));
    if (text.includes(root.summary)) holding.push(join(chunks, file.name));
  }
  assertEquals(holding.length, 1, holding.join(", "));
  const { code, stdout, stderr } = await serve(
    repo,
    [INITIALIZE, request(2, "tools/list")],
    [`--deny-read=${holding[0]}`],
  );
  assertEquals(code, 0, stderr);
  const messages = stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as Message);
  assertEquals(messages.map((m) => m.id), [1, 2]);
  assertEquals((messages[0].result!.serverInfo as { name: string }).name, "mpm");
  assertEquals((messages[1].result!.tools as unknown[]).length, 8);
  assertEquals(stderr, "");
});
