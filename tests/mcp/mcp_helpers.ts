/** `mpm mcp`'s server in the test's own process, a client of the SDK connected to it in memory. */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { baseEnv, endRun, type Repo } from "../helpers.ts";
import type { Env } from "../../src/cli/env.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { useGitEnvFrom } from "../../src/git/run/run.ts";
import { mcpServer } from "../../src/mcp/server.ts";

/** The Env `mpm mcp` would run with in `repo` (what dispatch sets for a run, set here). */
export function envOf(repo: Repo): Env {
  const vars = baseEnv(repo.home);
  useMachineKeyFrom(vars);
  useGitEnvFrom(vars);
  return quietEnv(repo.path, vars);
}

/** An Env with no terminal and nothing on stdin, as Claude Code starts `mpm mcp`. */
export function quietEnv(cwd: string, vars: Record<string, string>): Env {
  return {
    cwd,
    vars,
    now: () => new Date(),
    warn: () => {},
    isTTY: false,
    stderrIsTTY: false,
    color: false,
    readStdin: () => Promise.resolve(""),
    execPath: Deno.execPath(),
    mainModule: "file:///main.ts",
  };
}

export interface Connected extends AsyncDisposable {
  client: Client;
  call: (name: string, args?: Record<string, unknown>) => Promise<{ text: string; error: boolean }>;
}

export async function connect(repo: Repo): Promise<Connected> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = mcpServer(envOf(repo));
  await server.connect(serverSide);
  const client = new Client({ name: "test", version: "1" });
  await client.connect(clientSide);
  return {
    client,
    call: async (name, args = {}) => {
      const result = await client.callTool({ name, arguments: args });
      const [first] = result.content as { type: string; text: string }[];
      return { text: first.text, error: result.isError === true };
    },
    [Symbol.asyncDispose]: async () => {
      await client.close();
      endRun();
    },
  };
}
