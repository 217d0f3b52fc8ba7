/**
 * `mpm mcp` lives as long as Claude Code does: a machine key another process makes after the
 * server looked for one (and found none) is found by the next tool call, though a run remembers
 * that it has none (src/disk/machine_key.ts).
 */
import { join } from "node:path";
import { assertEquals } from "../assert.ts";
import { okJson, withRepo } from "../helpers.ts";
import { connect } from "./mcp_helpers.ts";
import { machineKey } from "../../src/disk/machine_key.ts";

Deno.test("a machine key made while the server runs is found by its next call", async () => {
  await using repo = await withRepo();
  await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", "Mine: the ledger");
  const file = join(repo.home, ".local", "state", "mpm", "machine.json");
  const text = await Deno.readTextFile(file);
  await Deno.remove(file);
  await using mcp = await connect(repo);
  assertEquals((await mcp.call("list_recent", { limit: 5 })).error, false);
  assertEquals(machineKey(), null);
  // Another process makes the key.
  await Deno.writeTextFile(file, text);
  assertEquals((await mcp.call("list_recent", { limit: 5 })).error, false);
  assertEquals(machineKey(), JSON.parse(text).key);
});
