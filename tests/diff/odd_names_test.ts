/**
 * `mpm diff` and `mpm revert` on files whose names a plain reading of git's output loses: one
 * with a line break in its name, and one named in bytes that are not UTF-8 (0xff 0xe9, as a
 * Latin-1 system writes "ÿé"). Each is shown, on one line, quoted as git quotes it; the first is
 * reverted, the second refused by name, changing nothing, since mpm cannot write that name.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, okJson, type Repo, stashes, withRepo } from "../helpers.ts";

/** Runs a shell script in the repository: the only way to make a name that is not UTF-8. */
async function sh(repo: Repo, script: string): Promise<string> {
  const out = await new Deno.Command("sh", { args: ["-c", script], cwd: repo.path }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

/** The 0xff 0xe9 name, as sh's printf writes it. */
const LATIN = `"$(printf '\\377\\351')"`;

/** Lines of mpm's text output that mention `name`. */
const linesWith = (text: string, name: string) => text.split("\n").filter((l) => l.includes(name));

Deno.test("a file whose name holds a line break is shown quoted on one line and reverted", async (t) => {
  await using repo = await withRepo();
  await repo.commit("files", { "kept\nname.txt": "one\n", "plain.txt": "plain\n" });
  const key = (await okJson(repo, "start", "odd", "--json")).key as string;
  await repo.write("kept\nname.txt", "one\ntwo\n");
  await repo.write("new\nfile.txt", "new\n");

  await t.step("the active session's diff lists both, by their exact names", async () => {
    const diff = await okJson(repo, "diff", "--json");
    assertEquals(diff.files.map((f: { path: string; status: string }) => [f.path, f.status]), [
      ["kept\nname.txt", "modified"],
      ["new\nfile.txt", "added"],
    ], JSON.stringify(diff));
    assertEquals(diff.unknown, []);
    assertEquals(diff.files[0].added, 1);
    const text = (await ok(repo, "diff")).stdout;
    assertStringIncludes(text, '"a/kept\\nname.txt"');
    assertStringIncludes(text, "+two");
    const stat = (await ok(repo, "diff", "--stat")).stdout;
    assertStringIncludes(stat, "changed 2 files");
    assertEquals(linesWith(stat, "new\\nfile.txt").length, 1, stat);
  });

  await t.step("after a pause, the mark holds them too", async () => {
    await ok(repo, "pause", "-s", "halfway");
    const diff = await okJson(repo, "diff", key, "--json");
    assertEquals(diff.files.map((f: { path: string }) => f.path), [
      "kept\nname.txt",
      "new\nfile.txt",
    ]);
    await ok(repo, "resume");
  });

  await t.step("mpm revert names them on one line each, and puts them back", async () => {
    const dry = (await ok(repo, "revert", "--dry-run")).stdout;
    assertEquals(linesWith(dry, '"kept\\nname.txt"').length, 1, dry);
    assertEquals(linesWith(dry, '"new\\nfile.txt"').length, 1, dry);
    // One named after `--`, as a shell passes it ($'kept\nname.txt').
    const one = await okJson(repo, "revert", "--json", "--", "kept\nname.txt");
    assertEquals(one.files.map((f: { path: string }) => f.path), ["kept\nname.txt"]);
    assertEquals(await repo.read("kept\nname.txt"), "one\n");
    assertEquals(await repo.read("new\nfile.txt"), "new\n");
    await ok(repo, "revert");
    assertEquals(await repo.read("new\nfile.txt").catch(() => null), null);
    assertEquals(await stashes(repo), [`mpm revert: ${key}`, `mpm revert: ${key}`]);
    await repo.git("stash", "pop", "-q");
    assertEquals(await repo.read("new\nfile.txt"), "new\n");
  });
});

Deno.test("a file named in bytes that are not UTF-8 is shown in octal; revert refuses it", async (t) => {
  await using repo = await withRepo();
  await sh(repo, `printf 'latin\\n' > ${LATIN} && git add -A && git commit -q -m latin`);
  const key = (await okJson(repo, "start", "latin", "--json")).key as string;
  await sh(repo, `printf 'latin, edited\\n' > ${LATIN} && printf 'new\\n' > "$(printf 'n\\351')"`);
  await repo.write("plain.txt", "plain\n");

  await t.step("the active session's diff shows both, escaped, and the plain file", async () => {
    const diff = await okJson(repo, "diff", "--json");
    assertEquals(diff.files.map((f: { path: string; status: string }) => [f.path, f.status]), [
      ['"n\\351"', "added"],
      ["plain.txt", "added"],
      ['"\\377\\351"', "modified"],
    ], JSON.stringify(diff));
    assertEquals(diff.files[2].added, 1);
    assertStringIncludes(diff.patch, '"b/\\377\\351"');
    assert(!diff.patch.includes("\ufffd"), diff.patch);
    const text = (await ok(repo, "diff")).stdout;
    assertStringIncludes(text, '"a/\\377\\351"');
    assertStringIncludes(text, "+latin, edited");
    assert(!text.includes("\ufffd"), text);
  });

  await t.step("after a pause, the mark holds them by their own bytes", async () => {
    await ok(repo, "pause", "-s", "halfway");
    const diff = await okJson(repo, "diff", key, "--json");
    assertEquals(diff.files.map((f: { path: string }) => f.path), [
      '"n\\351"',
      "plain.txt",
      '"\\377\\351"',
    ]);
    await ok(repo, "resume");
  });

  await t.step("revert refuses, changing nothing and writing no other name", async () => {
    const before = await sh(repo, "ls | od -c");
    const refused = await repo.run("revert");
    assertEquals(refused.code, 1, refused.stderr);
    assertStringIncludes(
      refused.stderr,
      '"n\\351" and "\\377\\351" are named in bytes that are not UTF-8, which mpm revert ' +
        "cannot restore exactly, so it leaves every file as it is.",
    );
    assertStringIncludes(refused.stderr, "git checkout -- <path>");
    assertEquals(await sh(repo, "ls | od -c"), before);
    assertEquals(await sh(repo, `cat ${LATIN}`), "latin, edited\n");
    assertEquals(await stashes(repo), []);
    // The other files can still be reverted by name.
    await ok(repo, "revert", "--", "plain.txt");
    assertEquals(await repo.read("plain.txt").catch(() => null), null);
    assertEquals(await sh(repo, `cat ${LATIN}`), "latin, edited\n");
    assert(await Deno.lstat(join(repo.path, "README.md")));
  });
});
