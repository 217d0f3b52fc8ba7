/**
 * `mpm sync` carries the vault's copies with their snapshots: B replays and searches a Claude
 * session A had, whose transcript B never had; a copy that grew travels again; a damaged copy on
 * the remote is refused (exit 4) and nothing of it is imported.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { git, type Repo, runProcess, withClones } from "../helpers.ts";
import {
  claudeEnds,
  claudeStarts,
  manifest,
  promptLine,
  REAL,
  REAL_ID,
  runner,
} from "./vault_helpers.ts";

// deno-lint-ignore no-explicit-any
async function json(repo: Repo, ...args: string[]): Promise<any> {
  return JSON.parse((await runner(repo).ok([...args, "--json"])).stdout);
}

Deno.test("mpm sync carries a vaulted transcript with its snapshots, verified on import", async (t) => {
  await using clones = await withClones();
  const { a, b } = clones;
  await runner(a).ok(["start", "payments"]);
  const session = await claudeStarts(a, REAL_ID, REAL);
  await claudeEnds(a, REAL_ID);

  await t.step("A pushes its snapshot and the copy; B pulls both", async () => {
    const pushed = await json(a, "sync", "push");
    assertEquals(pushed.transcripts.moved, [REAL_ID]);
    const pulled = await json(b, "sync", "pull");
    assertEquals(pulled.transcripts.moved, [REAL_ID]);
    const copy = await manifest(b, REAL_ID);
    assertEquals(copy.imported.from, "origin");
    assertEquals(copy.files.length, 2, "the subagent's transcript came too");
  });

  await t.step("B replays and searches a session whose transcript it never had", async () => {
    const lines = (await runner(b).ok(["replay", "--json"])).stdout.trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    const prompts = lines.filter((l) => l.kind === "prompt").map((l) => l.text);
    assert(
      prompts.includes("Add a payment module with charge and refund, then run the tests."),
      prompts.join("\n"),
    );
    const found = await json(b, "search", "payment module");
    assert(found.total > 0, JSON.stringify(found));
    assertEquals(found.hits[0].open.startsWith("mpm replay s-"), true, found.hits[0].open);
  });

  await t.step(
    "the transcript grows on A: the longer copy travels again and replaces B's",
    async () => {
      await Deno.writeTextFile(
        session.transcript,
        promptLine(REAL_ID, "and the refund emails") + "\n",
        {
          append: true,
        },
      );
      await runner(a).ok(["pause", "-s", "emails next"]);
      assertEquals((await json(a, "sync", "push")).transcripts.moved, [REAL_ID]);
      assertEquals((await json(b, "sync", "pull")).transcripts.moved, [REAL_ID]);
      assertEquals((await json(b, "search", "refund emails")).total, 1);
      // Never in B's Claude Code: told as pulled, not as "gone".
      const listed = (await runner(b).ok(["vault", "list"])).stdout;
      assertStringIncludes(listed, "pulled from origin, not in Claude Code here");
      assertNotIncludes(listed, "gone from Claude Code");
      assertEquals((await json(a, "sync", "push")).transcripts.moved, [], "nothing more to send");
    },
  );

  await t.step(
    "a copy damaged on the remote is refused, and nothing of it is imported",
    async () => {
      const c = b; // B loses its copy, then pulls a damaged one
      await Deno.remove(join(c.path, ".claude-mpm", "vault"), { recursive: true });
      // Flip a byte of the transcript blob in the remote's ref, keeping the tree otherwise whole.
      await git(a.path, "fetch", "-q", "origin", "+refs/mpm/sessions:refs/mpm/check");
      const listing = (await git(a.path, "ls-tree", "-r", "refs/mpm/check")).trim().split("\n");
      const data = listing.find((l) => l.endsWith(`vault/${REAL_ID}.0.jsonl.gz`))!;
      const sha = data.split(/\s+/)[2];
      const bytes = new Uint8Array(
        await new Deno.Command("git", {
          args: ["cat-file", "blob", sha],
          cwd: a.path,
          stdout: "piped",
        }).output()
          .then((o) => o.stdout),
      );
      bytes[20] ^= 0xff;
      const file = join(a.path, "..", "damaged.gz");
      await Deno.writeFile(file, bytes);
      const bad = (await git(a.path, "hash-object", "-w", file)).trim();
      const vaultTree = listing.filter((l) => l.includes("\tvault/")).map((l) =>
        l.replace(sha, bad).replace("\tvault/", "\t")
      );
      const vault = (await gitStdin(a.path, ["mktree"], vaultTree.join("\n") + "\n")).trim();
      const top = (await git(a.path, "ls-tree", "refs/mpm/check")).trim().split("\n")
        .map((l) => l.endsWith("\tvault") ? l.replace(/tree [0-9a-f]+/, `tree ${vault}`) : l);
      const tree = (await gitStdin(a.path, ["mktree"], top.join("\n") + "\n")).trim();
      const commit =
        (await git(a.path, "commit-tree", tree, "-p", "refs/mpm/check", "-m", "damaged")).trim();
      await git(a.path, "push", "-q", "origin", `${commit}:refs/mpm/sessions`);

      const pulled = await runner(c).run(["sync", "pull", "--json"]);
      assertEquals(pulled.code, 4);
      const report = JSON.parse(pulled.stdout);
      assertEquals(report.transcripts.moved, []);
      assertStringIncludes(report.transcripts.refused[0].reason, "does not match its checksums");
      assertEquals((await json(c, "vault", "list")).length, 0);
    },
  );
});

async function gitStdin(cwd: string, args: string[], stdin: string): Promise<string> {
  const out = await runProcess("git", args, { cwd, stdin });
  if (out.code !== 0) throw new Error(out.stderr);
  return out.stdout;
}
