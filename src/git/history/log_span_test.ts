import { assertEquals } from "../../../tests/assert.ts";
import { withRepo } from "../../../tests/helpers.ts";
import { commitsBetween, parseSpanLog } from "./log_span.ts";

Deno.test("git log -z --numstat: renames, binaries and several commits", () => {
  const out = "\x1eaaa\0Ann\x002026-11-24T10:00:00+02:00\0refs/heads/feat\0third\0\n1\t0\td.txt\0" +
    "\x1ebbb\0Bob\x002026-11-24T09:00:00+00:00\0main\0second: rename\0\n1\t0\t\0a.txt\0b.txt\0-\t-\tlogo.png\0";
  assertEquals(parseSpanLog(out), [
    {
      sha: "aaa",
      author: "Ann",
      date: "2026-11-24T10:00:00+02:00",
      ref: "feat",
      subject: "third",
      files: [{ path: "d.txt", added: 1, removed: 0 }],
    },
    {
      sha: "bbb",
      author: "Bob",
      date: "2026-11-24T09:00:00+00:00",
      ref: "main",
      subject: "second: rename",
      files: [{ path: "b.txt", from: "a.txt", added: 1, removed: 0 }, {
        path: "logo.png",
        added: null,
        removed: null,
      }],
    },
  ]);
});

Deno.test("commits between two times, from every local branch, with their files", async () => {
  await using repo = await withRepo();
  const before = new Date(Date.now() - 60_000);
  await repo.commit("on main", { "a.txt": "a\n" });
  await repo.git("switch", "-q", "-c", "side");
  await repo.commit("on side", { "b.txt": "b\nb\n" });
  await repo.git("switch", "-q", "main");
  const commits = await commitsBetween(repo.path, before, new Date(Date.now() + 60_000));
  // All three share one second, where git's order is its own: compared as a set.
  assertEquals(
    commits?.map((c) => [c.subject, c.ref, c.files.map((f) => `${f.path}+${f.added}`)]).sort(),
    [
      ["Initial commit", "main", ["README.md+1"]],
      ["on main", "main", ["a.txt+1"]],
      ["on side", "side", ["b.txt+2"]],
    ],
  );
  assertEquals(await commitsBetween(repo.path, new Date(0), new Date(86_400_000)), []);
});
