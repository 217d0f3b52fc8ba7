/**
 * Session templates: the shipped ones, the project's own, `--var` filling, and the errors.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { ok, ROOT, withRepo } from "../../helpers.ts";
import { SHIPPED_TEMPLATES } from "../../../src/sessions/store/templates/template_store.ts";
import {
  fillTemplate,
  parseTemplate,
  seedFrom,
  templateVariables,
} from "../../../src/sessions/store/templates/templates.ts";

Deno.test("every shipped template has a description, phases, todos and is embedded as written", async () => {
  assertEquals(Object.keys(SHIPPED_TEMPLATES).sort(), [
    "bugfix",
    "code-review",
    "feature",
    "hotfix",
    "refactor",
  ]);
  for (const [name, text] of Object.entries(SHIPPED_TEMPLATES)) {
    assertEquals(text, await Deno.readTextFile(join(ROOT, "templates", `${name}.md`)));
    assert(parseTemplate(text).description.length > 10, name);
    const vars = Object.fromEntries(templateVariables(text).map((v) => [v, "X"]));
    const seed = seedFrom(fillTemplate(name, text, vars), new Date());
    assert(seed.todos.length >= 8, `${name}: ${seed.todos.length} todos`);
    assert(seed.todos.every((t) => t.phase), name);
    assert(new Set(seed.todos.map((t) => t.phase)).size >= 3, name);
  }
});

Deno.test("mpm template list shows the shipped templates; show prints one exactly", async () => {
  await using repo = await withRepo();
  const list = JSON.parse((await ok(repo, "template", "list", "--json")).stdout);
  assertEquals(list.map((t: { name: string }) => t.name), [
    "bugfix",
    "code-review",
    "feature",
    "hotfix",
    "refactor",
  ]);
  assert(list.every((t: { origin: string }) => t.origin === "shipped"));
  assertEquals(list.find((t: { name: string }) => t.name === "feature").variables, ["feature"]);
  assertStringIncludes((await ok(repo, "template")).stdout, "Urgent production fix");
  const shown = await ok(repo, "template", "show", "hotfix");
  assertEquals(shown.stdout, await Deno.readTextFile(join(ROOT, "templates/hotfix.md")));
  assertStringIncludes(shown.stderr, "--var issue=");
  assertEquals((await repo.run("template", "show", "nope")).code, 3);
  assertEquals((await repo.run("template", "show", "../etc/passwd")).code, 2);
});

Deno.test("mpm start --template fills --var and turns the checklist into todos", async () => {
  await using repo = await withRepo();
  const out = await ok(
    repo,
    "start",
    "--template",
    "feature",
    "--var",
    "feature=User notifications",
    "--task",
    "Notify users",
  );
  assertStringIncludes(out.stdout, "Setup Phase");
  const st = JSON.parse((await ok(repo, "status", "--json")).stdout);
  assertEquals(st.active.name, "feature");
  assertEquals(st.active.template, "feature");
  assertEquals(st.active.todos.length, 16);
  assertEquals(st.active.todos[0].content, "Create feature branch for User notifications");
  assertEquals(st.active.todos[0].phase, "Setup Phase");
  assertEquals(st.active.todos[15].phase, "Completion Phase");
  const paused = JSON.parse((await ok(repo, "pause", "--json", "--no-prune-worktrees")).stdout);
  const record = JSON.parse(await Deno.readTextFile(paused.files.json));
  assertEquals(record.mpm.template, "feature");
  assertEquals(record.todos.active.length, 16);
});

Deno.test("a missing --var is exit 2 naming every missing variable; nothing starts", async () => {
  await using repo = await withRepo();
  await Deno.mkdir(join(repo.path, ".claude-mpm/templates"), { recursive: true });
  await Deno.writeTextFile(
    join(repo.path, ".claude-mpm/templates/two.md"),
    "# Template: Two\n- [ ] {{first}} and {{second}}\n",
  );
  const result = await repo.run("start", "--template", "two", "--var", "first=1");
  assertEquals(result.code, 2);
  assertStringIncludes(result.stderr, "second");
  const none = await repo.run("start", "--template", "two");
  assertEquals(none.code, 2);
  assertStringIncludes(none.stderr, "first, second");
  assertEquals((await repo.run("start", "--template", "missing-one")).code, 3);
  assertEquals((await repo.run("start", "--template", "two", "--var", "bad")).code, 2);
  const st = JSON.parse((await ok(repo, "status", "--json")).stdout);
  assertEquals(st.active, null);
  const typo = await ok(
    repo,
    "start",
    "-t",
    "two",
    "--var",
    "first=a",
    "--var",
    "second=b",
    "--var",
    "thrid=c",
  );
  assertStringIncludes(typo.stderr, "thrid");
});

Deno.test("mpm template new writes a 0600 starter, never overwrites, and the project's own wins", async () => {
  await using repo = await withRepo();
  const created = await ok(repo, "template", "new", "release");
  assertStringIncludes(created.stdout, ".claude-mpm/templates/release.md");
  const path = join(repo.path, ".claude-mpm/templates/release.md");
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  const text = await Deno.readTextFile(path);
  await Deno.writeTextFile(path, text + "- [ ] my extra step\n");
  const again = await repo.run("template", "new", "release");
  assertEquals(again.code, 1);
  assertStringIncludes(again.stderr, "already exists");
  assertStringIncludes(await Deno.readTextFile(path), "my extra step");
  assertEquals((await repo.run("template", "new", "a/b")).code, 2);

  await ok(repo, "template", "new", "feature", "--from", "bugfix");
  const list = JSON.parse((await ok(repo, "template", "list", "--json")).stdout);
  const feature = list.find((t: { name: string }) => t.name === "feature");
  assertEquals(feature.origin, "project");
  assertEquals(feature.overrides_shipped, true);
  assertEquals(list.find((t: { name: string }) => t.name === "release").origin, "project");
  await ok(repo, "start", "--template", "feature", "--var", "bug=crash on save");
  const st = JSON.parse((await ok(repo, "status", "--json")).stdout);
  assertEquals(st.active.todos[0].content, "Reproduce crash on save reliably");
  assertEquals(st.active.notes, ["Keep the fix small; refactor separately."]);
});

Deno.test("mpm template new NAME of a shipped template starts from that template", async () => {
  await using repo = await withRepo();
  const created = await ok(repo, "template", "new", "hotfix");
  assertStringIncludes(created.stdout, "--var issue=…");
  const path = join(repo.path, ".claude-mpm/templates/hotfix.md");
  assertEquals(await Deno.readTextFile(path), SHIPPED_TEMPLATES.hotfix);
  const shown = await ok(repo, "template", "show", "hotfix");
  assertStringIncludes(shown.stderr, "# From .claude-mpm/templates/hotfix.md");
  await Deno.writeTextFile(join(repo.path, ".claude-mpm/templates/bare.md"), "- [ ] one\n");
  const list = await ok(repo, "template", "list");
  assertStringIncludes(list.stdout, "  bare         (project)\n");
  // A name is a file name and never redacted: one that looks like a key is refused.
  const secret = await repo.run("template", "new", "AKIAIOSFODNN7EXAMPLE");
  assertEquals(secret.code, 2);
  assertStringIncludes(secret.stderr, "looks like a secret");
  assertEquals(
    await Deno.stat(join(repo.path, ".claude-mpm/templates/AKIAIOSFODNN7EXAMPLE.md"))
      .catch(() => null),
    null,
  );
});

Deno.test("mpm branch --template seeds the child's todos", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await ok(repo, "branch", "review", "--template", "code-review", "--var", "pr=#123");
  const st = JSON.parse((await ok(repo, "status", "--json")).stdout);
  assertEquals(st.active.template, "code-review");
  assertEquals(st.active.todos[0].content, "Read the description and linked issue of #123");
});

Deno.test("a binary or empty template is refused as damaged (exit 4) in one sentence naming the file", async () => {
  await using repo = await withRepo();
  const folder = join(repo.path, ".claude-mpm/templates");
  await Deno.mkdir(folder, { recursive: true });
  await Deno.writeFile(join(folder, "image.md"), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1]));
  await Deno.writeTextFile(join(folder, "blank.md"), " \n\n\t\n");
  const binary = await repo.run("start", "A", "--template", "image");
  assertEquals(binary.code, 4, "a damaged file, not bad usage");
  assertStringIncludes(binary.stderr, "The template .claude-mpm/templates/image.md is not text");
  const empty = await repo.run("start", "A", "--template", "blank");
  assertEquals(empty.code, 4);
  assertStringIncludes(empty.stderr, "The template .claude-mpm/templates/blank.md is empty.");
  const status = JSON.parse((await ok(repo, "status", "--json")).stdout);
  assertEquals(status.active, null, "a refused template starts nothing");
});

Deno.test("a template's text reaches the terminal without escapes; show and start show it redacted", async () => {
  await using repo = await withRepo();
  const folder = join(repo.path, ".claude-mpm/templates");
  await Deno.mkdir(folder, { recursive: true });
  const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
  await Deno.writeTextFile(
    join(folder, "esc.md"),
    "---\ndescription: evil \x1b[2J\x1b]0;PWN\x07 d\n---\n" +
      `- [ ] do \x1b[2J {{x}} ${token}\n\n## Notes\n\nwatch \x1b[31mout\u202e ${token}\n`,
  );
  // deno-lint-ignore no-control-regex
  const controls = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/;
  const list = (await ok(repo, "template", "list")).stdout;
  assert(!controls.test(list), JSON.stringify(list));
  assertStringIncludes(list, "evil d (project)");
  const shown = (await ok(repo, "template", "show", "esc")).stdout;
  assert(!controls.test(shown), JSON.stringify(shown));
  assertNotIncludes(shown, token);
  assertStringIncludes(shown, "- [ ] do  {{x}} [REDACTED:github-token]");
  const shownJson = JSON.parse((await ok(repo, "template", "show", "esc", "--json")).stdout);
  assertNotIncludes(shownJson.text, token);
  const started = (await ok(repo, "start", "W", "-t", "esc", "--var", "x=v")).stdout;
  assert(!controls.test(started), JSON.stringify(started));
  assertNotIncludes(started, token);
  assertStringIncludes(started, "do  v [REDACTED:github-token]");
  assertStringIncludes(started, "Note: watch out [REDACTED:github-token]");
  const status = JSON.parse((await ok(repo, "status", "--json")).stdout);
  assertEquals(status.active.todos[0].content, "do \x1b[2J v [REDACTED:github-token]");
});

const KEY_FILE = "- [ ] x\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n" +
  "-----END OPENSSH PRIVATE KEY-----\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

Deno.test("a template that leads out of the project through a link is refused wherever templates are read", async (t) => {
  await using repo = await withRepo();
  const outside = join(repo.home, "outside");
  await Deno.mkdir(outside, { recursive: true });
  await Deno.writeTextFile(join(outside, "key.md"), KEY_FILE);
  const folder = join(repo.path, ".claude-mpm/templates");

  const refusedEverywhere = async () => {
    const list = await ok(repo, "template", "list");
    assertStringIncludes(list.stdout, "key          ✗ refused (project)");
    assertStringIncludes(list.stdout, "hotfix");
    assertStringIncludes(list.stderr, "Refusing to read the template .claude-mpm/templates/key.md");
    const listed = JSON.parse((await ok(repo, "template", "list", "--json")).stdout);
    const key = listed.find((l: { name: string }) => l.name === "key");
    assertEquals(key.file, ".claude-mpm/templates/key.md");
    assertStringIncludes(key.error, "outside the project");
    for (const args of [["template", "show", "key"], ["start", "A", "-t", "key"]]) {
      const out = await repo.run(...args);
      assertEquals(out.code, 1, args.join(" "));
      assertStringIncludes(out.stderr, "outside the project");
      assertStringIncludes(out.stderr, "Remove the link");
      assertNotIncludes(out.stdout + out.stderr, "wJalrXUtnFEMI");
    }
    assertEquals(JSON.parse((await ok(repo, "status", "--json")).stdout).active, null);
  };

  await t.step("the templates folder a link out of the project", async () => {
    await Deno.mkdir(join(repo.path, ".claude-mpm"), { recursive: true });
    await Deno.symlink(outside, folder);
    await refusedEverywhere();
    await Deno.remove(folder);
  });
  await t.step("one template file a link out of the project", async () => {
    await Deno.mkdir(folder, { recursive: true });
    await Deno.symlink(join(outside, "key.md"), join(folder, "key.md"));
    await refusedEverywhere();
    await Deno.remove(join(folder, "key.md"));
  });
  await t.step("a link that stays inside the project is followed, and shown redacted", async () => {
    await Deno.writeTextFile(join(repo.path, "key.md"), KEY_FILE);
    await Deno.symlink(join("..", "..", "key.md"), join(folder, "key.md"));
    const shown = (await ok(repo, "template", "show", "key")).stdout;
    assertStringIncludes(shown, "[REDACTED:private-key]");
    assertStringIncludes(shown, "aws_secret_access_key = [REDACTED:aws-secret-key]");
    assertNotIncludes(shown, "wJalrXUtnFEMI");
  });
});

Deno.test("one unreadable project template leaves the list whole and is named", async () => {
  await using repo = await withRepo();
  const folder = join(repo.path, ".claude-mpm/templates");
  await Deno.mkdir(folder, { recursive: true });
  await Deno.writeFile(join(folder, "bin.md"), new Uint8Array([0, 1, 0x62, 0x69, 0x6e, 0xff]));
  await Deno.writeTextFile(join(folder, "mine.md"), "- [ ] one\n");
  const list = await ok(repo, "template", "list");
  assertStringIncludes(list.stdout, "  bin          ✗ refused (project)\n");
  assertStringIncludes(list.stdout, "  mine         (project)\n");
  assertStringIncludes(list.stdout, "  refactor ");
  assertStringIncludes(list.stderr, "The template .claude-mpm/templates/bin.md is not text");
  const listed = JSON.parse((await ok(repo, "template", "list", "--json")).stdout);
  assertEquals(listed.length, 7);
  assertEquals(listed[0], {
    name: "bin",
    origin: "project",
    description: null,
    variables: [],
    file: ".claude-mpm/templates/bin.md",
    error: "The template .claude-mpm/templates/bin.md is not text; a template is a markdown " +
      "checklist.",
  });
  assertEquals((await repo.run("template", "show", "bin")).code, 4);
  assertEquals((await repo.run("start", "A", "-t", "bin")).code, 4);
});
