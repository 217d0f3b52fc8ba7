import { assertEquals } from "../../../tests/assert.ts";
import { withRepo } from "../../../tests/helpers.ts";
import { readHistorySince, recentCommits } from "./history.ts";
import { historyIfUnmoved, lastCommits } from "./head_facts.ts";
import { readStatus } from "../tree/status.ts";

Deno.test("historyIfUnmoved: what readHistorySince says when HEAD is the paused commit", async () => {
  await using repo = await withRepo();
  await repo.commit("second", { "a.txt": "a\n" });
  const head = (await readStatus(repo.path))!.head;
  assertEquals(historyIfUnmoved(head, head), await readHistorySince(repo.path, head));
});

Deno.test("historyIfUnmoved: no commit at the pause nor now", async () => {
  await using repo = await withRepo({ commit: false });
  const head = (await readStatus(repo.path))!.head;
  assertEquals(head, null);
  assertEquals(historyIfUnmoved(null, head), await readHistorySince(repo.path, null));
});

Deno.test("historyIfUnmoved: a moved HEAD or a short id is left to git", async () => {
  await using repo = await withRepo();
  const paused = (await repo.git("rev-parse", "HEAD")).trim();
  const head = await repo.commit("after the pause");
  assertEquals(historyIfUnmoved(paused, head), undefined);
  assertEquals(historyIfUnmoved(head.slice(0, 12), head), undefined);
  assertEquals(historyIfUnmoved(null, head), undefined);
});

Deno.test("lastCommits: recentCommits's list, in one git process", async () => {
  await using repo = await withRepo();
  await repo.commit("two", { "b.txt": "b\n" });
  await repo.commit("three: ünïcødé", { "c.txt": "c\n" });
  assertEquals(await lastCommits(repo.path, 2), await recentCommits(repo.path, 2));
  assertEquals(await lastCommits(repo.path, 10), await recentCommits(repo.path, 10));
});
