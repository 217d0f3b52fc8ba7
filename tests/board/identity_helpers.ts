/**
 * Two clones of one bare remote, each run under a git identity of the test's choosing, signing
 * with ssh keys made here or with nothing: what tests of whose a pulled record is share.
 */
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { assert, assertEquals } from "../assert.ts";
import { endRun, mpm, type Repo, runProcess, type RunResult } from "../helpers.ts";
import { payload } from "../hooks/hooks_helpers.ts";
import { envOf } from "../mcp/mcp_helpers.ts";
import { mcpServer } from "../../src/mcp/server.ts";

/** A person at one clone: the git identity mpm runs under there. */
export interface Who {
  repo: Repo;
  name: string;
  email: string;
}

const HOUR = 3_600_000;
/** The clock of the story: each step an hour after the one before, ending an hour ago. */
const START = Date.now() - 6 * HOUR;
const at = (hours: number) => () => new Date(START + hours * HOUR);

export function identity(who: Who): Record<string, string> {
  return {
    HOME: who.repo.home,
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
  };
}

/** mpm `args` as `who`, `hours` into the story, whatever it exits with. */
export function tryRun(who: Who, hours: number, ...args: string[]): Promise<RunResult> {
  return mpm(args, { cwd: who.repo.path, env: identity(who), now: at(hours) });
}

/** mpm `args` as `who`, `hours` into the story: its stdout; the test fails unless it exits 0. */
export async function run(who: Who, hours: number, ...args: string[]): Promise<string> {
  const result = await tryRun(who, hours, ...args);
  assertEquals(result.code, 0, `mpm ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** What SessionStart tells Claude at `who`'s clone. */
export async function sessionStart(who: Who): Promise<string> {
  const result = await mpm(["hook", "session-start"], {
    cwd: who.repo.path,
    env: identity(who),
    stdin: payload("session-start-startup.json", who.repo),
  });
  assertEquals(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).hookSpecificOutput.additionalContext;
}

/** The text of `mpm mcp`'s tool `name` at `who`'s clone. */
export async function callTool(who: Who, name: string): Promise<string> {
  const env = envOf(who.repo);
  Object.assign(env.vars, identity(who));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await mcpServer(env).connect(serverSide);
  const client = new Client({ name: "test", version: "1" });
  await client.connect(clientSide);
  try {
    const result = await client.callTool({ name, arguments: {} });
    assert(result.isError !== true, JSON.stringify(result));
    return (result.content as { text: string }[])[0].text;
  } finally {
    await client.close();
    endRun();
  }
}

/** An ssh key pair made in `folder`: the private key's path and the public key's line. */
export async function sshKey(folder: string, name: string): Promise<{ path: string; pub: string }> {
  const path = join(folder, name);
  const made = await runProcess(
    "ssh-keygen",
    ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path],
    { cwd: folder },
  );
  assertEquals(made.code, 0, made.stderr);
  return { path, pub: (await Deno.readTextFile(`${path}.pub`)).trim() };
}

/** Makes `repo` sign with `key` (git's own ssh signing), or sign with nothing. */
export async function signWith(repo: Repo, key: { path: string } | null): Promise<void> {
  if (key === null) {
    await repo.git("config", "--unset", "user.signingkey").catch(() => "");
    return;
  }
  await repo.git("config", "gpg.format", "ssh");
  await repo.git("config", "user.signingkey", `${key.path}.pub`);
}

/**
 * One person's machines: every repo signs with one ssh key made beside the first, so what one
 * pushes is the person's own on the others (an email alone proves nothing).
 */
export async function signAlike(...repos: Repo[]): Promise<void> {
  const key = await sshKey(join(repos[0].path, ".."), "person-key");
  for (const repo of repos) await signWith(repo, key);
}
