import { join } from "node:path";
import { assertEquals, assertRejects } from "../../../tests/assert.ts";
import { withRepo } from "../../../tests/helpers.ts";
import { commitSessionFiles } from "./commit.ts";
import { ensureExcluded } from "../run/exclude.ts";

const SESSION = ".claude-mpm/sessions/session-20250101-000000.json";
const CHECKSUM = `${SESSION}.sha256`;

Deno.test("commitSessionFiles commits only the session files; the user's staged change stays staged", async () => {
  await using repo = await withRepo();
  await ensureExcluded(repo.path);
  await repo.write("README.md", "# staged by the user\n");
  await repo.git("add", "README.md");
  await repo.write("notes.txt", "untracked\n");
  await repo.write(SESSION, "{}\n");
  await repo.write(CHECKSUM, "abc  session.json\n");
  await repo.write(".claude-mpm/state.json", "{}\n");
  const sha = await commitSessionFiles(
    repo.path,
    [SESSION, join(repo.path, CHECKSUM)],
    "mpm: pause",
  );
  assertEquals(sha, (await repo.git("rev-parse", "HEAD")).trim());
  assertEquals(
    await repo.git("show", "--format=%s", "--name-only", "HEAD"),
    `mpm: pause\n\n${SESSION}\n${CHECKSUM}\n`,
  );
  assertEquals(await repo.git("diff", "--cached", "--name-only"), "README.md\n");
  assertEquals(await repo.git("show", ":README.md"), "# staged by the user\n");
  assertEquals(await repo.git("status", "--porcelain"), "M  README.md\n?? notes.txt\n");
});

Deno.test("commitSessionFiles returns null when the files are already committed as they are", async () => {
  await using repo = await withRepo();
  await repo.write(SESSION, "{}\n");
  const first = await commitSessionFiles(repo.path, [SESSION], "mpm: pause");
  assertEquals(await commitSessionFiles(repo.path, [SESSION], "mpm: pause again"), null);
  assertEquals((await repo.git("rev-parse", "HEAD")).trim(), first);
  assertEquals(await commitSessionFiles(repo.path, [], "nothing"), null);
});

Deno.test("commitSessionFiles in a repository with no commit yet", async () => {
  await using repo = await withRepo({ commit: false });
  await ensureExcluded(repo.path);
  await repo.write("app.ts", "staged\n");
  await repo.git("add", "app.ts");
  await repo.write(SESSION, "{}\n");
  const sha = await commitSessionFiles(repo.path, [SESSION], "mpm: first pause");
  assertEquals(sha, (await repo.git("rev-parse", "HEAD")).trim());
  assertEquals(await repo.git("ls-tree", "-r", "--name-only", "HEAD"), `${SESSION}\n`);
  assertEquals(await repo.git("status", "--porcelain"), "A  app.ts\n");
});

Deno.test("commitSessionFiles reads file names literally, never as globs", async () => {
  await using repo = await withRepo();
  await repo.write(".claude-mpm/[ab].json", "glob-looking name\n");
  await repo.write(".claude-mpm/a.json", "must stay out\n");
  await commitSessionFiles(repo.path, [".claude-mpm/[ab].json"], "mpm: literal");
  assertEquals(
    await repo.git("show", "--format=", "--name-only", "HEAD"),
    ".claude-mpm/[ab].json\n",
  );
});

Deno.test("commitSessionFiles that fails puts the index back: its files unstaged, the user's as they were", async () => {
  await using repo = await withRepo();
  await ensureExcluded(repo.path);
  await repo.write("README.md", "# staged by the user\n");
  await repo.git("add", "README.md");
  // A file of the same name the user had force-added themselves stays staged as they had it.
  await repo.write(CHECKSUM, "the user's\n");
  await repo.git("add", "-f", CHECKSUM);
  await repo.write(CHECKSUM, "abc  session.json\n");
  await repo.write(SESSION, "{}\n");
  // prepare-commit-msg runs even with --no-verify: a commit that fails after the add.
  await repo.write(".git/hooks/prepare-commit-msg", "#!/bin/sh\nexit 1\n");
  await Deno.chmod(join(repo.path, ".git/hooks/prepare-commit-msg"), 0o755);
  const index = await repo.git("ls-files", "--stage");
  await assertRejects(
    () => commitSessionFiles(repo.path, [SESSION, CHECKSUM], "mpm: pause"),
    /^git commit failed/,
  );
  assertEquals(await repo.git("ls-files", "--stage"), index);
  assertEquals(await repo.git("show", `:${CHECKSUM}`), "the user's\n");
  assertEquals(await repo.git("status", "--porcelain"), `AM ${CHECKSUM}\nM  README.md\n`);
});
