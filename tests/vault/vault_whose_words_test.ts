/**
 * Whose words a conversation holds, right both ways, across machines: the person works on machine
 * A and pushes; a teammate (another git email, another HOME) works and pushes; on machine B (the
 * person's other machine: the same git email, its own HOME and key) `mpm sync pull`, then
 * `mpm resume --conversation` restores A's conversation and the person goes on with it there.
 * The turns written on B are the person's own (`mpm search`, its JSON, and `mpm mcp`); A's are
 * told as from the person's other machine; the teammate's stay the teammate's.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { baseEnv, configureRepo, git, repoAt, tempDir, withClones, withRepo } from "../helpers.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { emptyManifest } from "../../src/vault/records/manifest.ts";
import { copyOrigin, readManifest, writeManifest } from "../../src/vault/records/store.ts";
import {
  claudeEnds,
  claudeStarts,
  conversationIn,
  fakeClaude,
  promptLine,
  runner,
  transcriptPath,
} from "./vault_helpers.ts";
import { connect } from "../mcp/mcp_helpers.ts";
import { signAlike } from "../board/identity_helpers.ts";

const ON_A = "af3aa435-0000-4000-8000-00000000000a";
const TEAMMATE = "af3aa435-0000-4000-8000-00000000000c";

const A_WORDS = "zebrafish on machine A";
const B_WORDS = "zebrafish on machine B";
const T_WORDS = "zebrafish from the teammate";

interface JsonHit {
  kind: string;
  excerpt: string;
  claude_session: string | null;
  imported_from?: string;
}

Deno.test("the person's turns written on B into A's restored conversation are theirs; a teammate's stay theirs", async () => {
  await using clones = await withClones();
  await using scratch = await tempDir();
  const { a, b, remote } = clones;
  const path = await fakeClaude(scratch.path);
  const onA = runner(a, { PATH: path });
  const onB = runner(b, { PATH: path });
  // A and B are the person's two machines: their pushes are signed with one key.
  await signAlike(a, b);

  // The teammate: a third clone, its own HOME and git email.
  const t = repoAt(join(scratch.path, "t"), join(scratch.path, "home-t"), async () => {});
  await Deno.mkdir(t.home, { recursive: true });
  await git(scratch.path, "clone", "-q", remote, t.path);
  await configureRepo(t.path, "Tess", "tess@example.com");
  const onT = runner(t, { PATH: path, GIT_AUTHOR_EMAIL: "tess@example.com" });

  await onA.ok(["start", "webhooks"]);
  await claudeStarts(a, ON_A, await conversationIn(a, scratch.path, ON_A), {
    extraLines: [promptLine(ON_A, A_WORDS)],
  });
  await claudeEnds(a, ON_A);
  await onA.ok(["sync", "push"]);

  await onT.ok(["sync", "pull"]);
  await onT.ok(["start", "teammate work"]);
  await claudeStarts(t, TEAMMATE, await conversationIn(t, scratch.path, TEAMMATE), {
    extraLines: [promptLine(TEAMMATE, T_WORDS)],
  });
  await claudeEnds(t, TEAMMATE, { GIT_AUTHOR_EMAIL: "tess@example.com" });
  await onT.ok(["sync", "push"]);

  // B: the person's other machine takes A's work up, conversation and all, and goes on.
  await onB.ok(["sync", "pull"]);
  await onB.ok(["resume", "--conversation"]);
  const restored = transcriptPath(b, ON_A);
  assert(await Deno.stat(restored).then(() => true, () => false), "A's conversation is on B");
  await Deno.writeTextFile(restored, promptLine(ON_A, B_WORDS) + "\n", { append: true });
  await claudeEnds(b, ON_A);

  const found = JSON.parse((await onB.ok(["search", "zebrafish", "--json"])).stdout);
  const hit = (words: string): JsonHit => {
    const one = found.hits.find((h: JsonHit) => h.excerpt.includes(words));
    assert(one, `${words}: ${JSON.stringify(found.hits)}`);
    return one;
  };
  assertEquals(hit(B_WORDS).imported_from, undefined, "written here: the person's own");
  assertEquals(hit(A_WORDS).imported_from, "origin");
  assertEquals(hit(T_WORDS).imported_from, "origin");

  const text = (await onB.ok(["search", "zebrafish"])).stdout.split("\n");
  // The excerpt marks the match (« »): its line is found by the words after it.
  const after = (words: string) => words.replace("zebrafish", "»");
  const whose = (words: string) => text[text.findIndex((l) => l.includes(after(words))) - 1] ?? "";
  assert(!whose(B_WORDS).includes("not yours"), text.join("\n"));
  assertStringIncludes(
    whose(A_WORDS),
    "from another machine, pulled from origin, signed with your key",
  );
  assertStringIncludes(whose(T_WORDS), "not yours: a teammate's, from origin");

  await using mcp = await connect(b);
  const answer = (await mcp.call("search", { query: "zebrafish" })).text.split("\n");
  const told = (words: string) =>
    answer[answer.findIndex((l) => l.includes(after(words))) - 1] ?? "";
  assertStringIncludes(told(B_WORDS), "this machine's transcript (the person)");
  assertStringIncludes(told(A_WORDS), "a transcript from another machine (pulled from origin");
  assertStringIncludes(told(T_WORDS), "a teammate's transcript (pulled from origin)");
  assertStringIncludes(told(T_WORDS), "not the person's words");

  // The replay of the work on B, read from the vault's copy once Claude Code's is gone, tells the
  // same: the turn written on B is the person's, not the sender's.
  await Deno.remove(restored);
  const replay = (await onB.ok(["replay", "--json"])).stdout.trim().split("\n")
    .map((line) => JSON.parse(line) as { text?: string; imported_from?: string });
  const onMachineB = replay.find((event) => event.text === B_WORDS);
  assert(onMachineB, JSON.stringify(replay));
  assertEquals(onMachineB.imported_from, undefined, "written on B: the person's own");
});

Deno.test("copyOrigin by entry: after the restore and after all the sender's entries is this machine's, and only in a copy sealed here", async () => {
  await using repo = await withRepo();
  useMachineKeyFrom(baseEnv(repo.home));
  const paths = projectPaths(repo.path);
  await Deno.mkdir(paths.vault, { recursive: true });
  const copy = emptyManifest(ON_A, "2026-05-01T00:00:00.000Z");
  copy.imported = { from: "origin", at: "2026-05-01T00:00:00.000Z", sender: "x@example.com" };
  copy.restored = "2026-05-02T00:00:00.000Z";
  // The sender dated an entry ahead of the restore: up to it, every entry stays the sender's.
  copy.restored_after = "2026-06-01T00:00:00.000Z";
  await writeManifest(paths, copy);
  const sealed = (await readManifest(paths, ON_A))!;
  assertEquals(copyOrigin(sealed), "origin", "the copy as a whole began as the sender's");
  assertEquals(copyOrigin(sealed, "2026-05-01T12:00:00.000Z"), "origin");
  assertEquals(copyOrigin(sealed, "2026-05-20T00:00:00.000Z"), "origin");
  assertEquals(copyOrigin(sealed, null), "origin");
  assertEquals(copyOrigin(sealed, "2026-06-02T00:00:00.000Z"), undefined);

  // A restore note missing `restored_after`: nothing is known to be written here.
  const { restored_after: _, ...bare } = copy;
  await writeManifest(paths, bare);
  assertEquals(
    copyOrigin((await readManifest(paths, ON_A))!, "2026-06-02T00:00:00.000Z"),
    "origin",
  );

  // The same record unsealed (a clone committed it): its own notes say nothing.
  const file = join(paths.vault, `${ON_A}.json`);
  const { seal: __, ...unsealed } = JSON.parse(await Deno.readTextFile(file));
  await Deno.writeTextFile(file, JSON.stringify({ ...unsealed, restored_after: null }));
  assertEquals(
    copyOrigin((await readManifest(paths, ON_A))!, "2026-06-02T00:00:00.000Z"),
    "origin",
  );
});
