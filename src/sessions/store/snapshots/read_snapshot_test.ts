import { join } from "node:path";
import { assertEquals } from "../../../../tests/assert.ts";
import { ok, okJson, withRepo } from "../../../../tests/helpers.ts";
import { projectPaths } from "../../../disk/paths.ts";
import { latestText, updateLatest } from "./read_snapshot.ts";

Deno.test("LATEST-SESSION.txt names the newest snapshot that reads, never a newer damaged one", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "first", "--no-prune-worktrees");
  await ok(repo, "pause", "-s", "second", "--no-prune-worktrees");
  const [newest, older] = (await okJson(repo, "list", "--json")).map(
    (entry: { session_id: string }) => entry.session_id,
  );
  const paths = projectPaths(repo.path);
  // The newest no longer matches its checksum: no session to go back to.
  await Deno.writeTextFile(join(paths.sessions, `${newest}.json.sha256`), `${"0".repeat(64)}  x\n`);
  assertEquals(await latestText(paths), { newest: older, text: `${older}\n` });
  assertEquals(await updateLatest(paths), older);
  assertEquals(await Deno.readTextFile(paths.latest), `${older}\n`);
  // `mpm prune` rewrites it through the store: the same answer.
  await Deno.writeTextFile(paths.latest, `${newest}\n`);
  const pruned = await okJson(repo, "prune", "--json");
  assertEquals(pruned.latest, older);
  assertEquals(await Deno.readTextFile(paths.latest), `${older}\n`);
  // None reads: nothing to name, and the file goes.
  await Deno.writeTextFile(join(paths.sessions, `${older}.json.sha256`), `${"0".repeat(64)}  x\n`);
  assertEquals(await latestText(paths), { newest: undefined, text: null });
});
