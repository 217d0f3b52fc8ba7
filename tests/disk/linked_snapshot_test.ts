/**
 * A snapshot's file (its `.json` or its `.sha256`) that is a symbolic link is never read through,
 * wherever it leads: a cloned repository can commit one pointing out of the project. The store
 * refuses it where it reads snapshots, so every command says the same: `list` marks it invalid,
 * `show` and `resume` exit 4 naming it as a link, `search` leaves it out.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { ok, okJson, withRepo } from "../helpers.ts";

const LINK = "is a symbolic link";

Deno.test({
  name: "a snapshot file linking outside .claude-mpm is refused by list, show, resume and search",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using repo = await withRepo();
    await ok(repo, "pause", "-s", "inside words", "--no-prune-worktrees");
    await ok(repo, "pause", "-s", "outside words", "--no-prune-worktrees");
    const [newest, older] = (await okJson(repo, "list", "--json")).map(
      (entry: { session_id: string }) => entry.session_id,
    );
    // The newest record moved out of the project, a link left in its place: its checksum
    // (a regular file) still matches what the link leads to.
    const sessions = join(repo.path, ".claude-mpm", "sessions");
    const outside = join(repo.home, "outside.json");
    await Deno.rename(join(sessions, `${newest}.json`), outside);
    await Deno.symlink(outside, join(sessions, `${newest}.json`));

    const list = await ok(repo, "list");
    assertStringIncludes(list.stdout, "inside words");
    assertNotIncludes(list.stdout, "outside words");
    assertStringIncludes(list.stdout, `${newest}.json ${LINK}`);
    const listed = await okJson(repo, "list", "--json");
    const invalid = listed.find((entry: { session_id: string }) => entry.session_id === newest);
    assertEquals(invalid.state, "invalid");
    assertStringIncludes(invalid.error, LINK);

    for (const args of [["show", newest], ["resume", newest, "--no-changes"]]) {
      const run = await repo.run(...args);
      assertEquals(run.code, 4, `${args.join(" ")}: ${run.stdout}${run.stderr}`);
      assertNotIncludes(run.stdout, "outside words", args.join(" "));
      assertStringIncludes(run.stderr, `${newest}.json ${LINK}`, args.join(" "));
      assertStringIncludes(run.stderr, "Remove the link", args.join(" "));
    }
    const search = await repo.run("search", "outside words");
    assertNotIncludes(search.stdout, "outside words\u00bb");
    assertStringIncludes(search.stderr, `${newest} was not searched`);

    // The older one reads, unless its checksum is the link.
    const show = await ok(repo, "show", older);
    assertStringIncludes(show.stdout, "inside words");
    const checksum = join(sessions, `${older}.json.sha256`);
    await Deno.rename(checksum, join(repo.home, "outside.sha256"));
    await Deno.symlink(join(repo.home, "outside.sha256"), checksum);
    const linked = await repo.run("show", older);
    assertEquals(linked.code, 4, linked.stdout + linked.stderr);
    assertStringIncludes(linked.stderr, `${older}.json.sha256 ${LINK}`);
  },
});
