import { assert, assertEquals } from "../../../../tests/assert.ts";
import { withRepo } from "../../../../tests/helpers.ts";
import { projectPaths } from "../../../disk/paths.ts";
import { changeState, forgetReads, sessionReads } from "./state_store.ts";

Deno.test("sessionReads reads the state, the listing and each snapshot once per process", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("pause", "-s", "Once")).code, 0);
  const paths = projectPaths(repo.path);
  forgetReads(paths);
  const reads = sessionReads(paths);
  assert(sessionReads(projectPaths(repo.path)) === reads);
  assert(reads.state() === reads.state());
  assert(reads.entries() === reads.entries());
  const [entry] = (await reads.entries()).slice(0, 1);
  assert(reads.snapshot(entry) === reads.snapshot({ ...entry }));
  assertEquals((await reads.snapshot(entry)).conversation.summary, "Once");
});

Deno.test("what the process read is forgotten when it changes the state", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("start", "Before")).code, 0);
  const paths = projectPaths(repo.path);
  forgetReads(paths);
  const before = sessionReads(paths);
  assertEquals((await before.state()).active?.name, "Before");
  await changeState(paths, "test", (state) => {
    state.active!.name = "After";
    return Promise.resolve({ state, result: undefined });
  });
  const after = sessionReads(paths);
  assert(after !== before);
  assertEquals((await after.state()).active?.name, "After");
});

Deno.test("what the process read is forgotten when it writes a snapshot", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("pause", "-s", "First")).code, 0);
  const paths = projectPaths(repo.path);
  forgetReads(paths);
  assertEquals((await sessionReads(paths).entries()).length, 1);
  // The command runs in this process (withRepo's run), through the store's writer.
  assertEquals((await repo.run("pause", "-s", "Second")).code, 0);
  assertEquals((await sessionReads(paths).entries()).length, 2);
});
