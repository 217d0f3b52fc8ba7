/**
 * A push keeps its answer for the next push against the vault as it looked before the push read
 * it: a copy that grows while a push is at work is sent by the next push, not answered away.
 */
import { join } from "node:path";
import { assertEquals } from "../../assert.ts";
import { copyTree, withClones } from "../../helpers.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { resolveRemote } from "../../../src/sync/remote/refs.ts";
import { pushSync } from "../../../src/sync/push.ts";
import {
  claudeEnds,
  claudeStarts,
  promptLine,
  REAL,
  REAL_ID,
  runner,
  vaultDir,
} from "../../vault/vault_helpers.ts";

Deno.test("a vault copy that grows during a push is sent by the next push", async () => {
  await using clones = await withClones();
  const { a } = clones;
  await runner(a).ok(["start", "payments"]);
  const session = await claudeStarts(a, REAL_ID, REAL);
  await claudeEnds(a, REAL_ID);

  // The copy as the push will read it, and as it is once the transcript grew.
  const [before, grown] = [join(a.home, "vault-before"), join(a.home, "vault-grown")];
  await copyTree(vaultDir(a), before);
  await Deno.writeTextFile(
    session.transcript,
    promptLine(REAL_ID, "and the refund emails") + "\n",
    {
      append: true,
    },
  );
  await runner(a).ok(["vault", "sync"]);
  await copyTree(vaultDir(a), grown);
  await Deno.remove(vaultDir(a), { recursive: true });
  await copyTree(before, vaultDir(a));

  // As a while later: the synced folders' last change is long past, so an answer is kept.
  const past = new Date(Date.now() - 3_600_000);
  for (const dir of ["sessions", "checkpoints"]) {
    await Deno.utime(join(a.path, ".claude-mpm", dir), past, past).catch(() => {});
  }
  useMachineKeyFrom({ HOME: a.home });
  const setup = await resolveRemote(a.path);
  // The copy grows once the push has read it, before it is sent.
  const growing = (line: string) => {
    if (!line.startsWith("Pushing")) return;
    for (const entry of Deno.readDirSync(grown)) {
      Deno.copyFileSync(join(grown, entry.name), join(vaultDir(a), entry.name));
    }
  };
  const first = await pushSync(a.path, setup, { progress: growing });
  assertEquals(first.transcripts.moved, [REAL_ID]);
  const next = await pushSync(a.path, setup);
  assertEquals(next.transcripts.moved, [REAL_ID]);
});
