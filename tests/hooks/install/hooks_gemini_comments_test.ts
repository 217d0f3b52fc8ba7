/**
 * Gemini CLI reads its settings with comments allowed (strip-json-comments), so a person's
 * settings.json may hold them: `mpm hooks install --agent gemini` edits such a file in place and
 * uninstall takes mpm's part out, every comment kept; `mpm doctor` reads it as Gemini does.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes } from "../../assert.ts";
import { ok, okJson, type Repo, withRepo } from "../../helpers.ts";
import { withoutComments } from "../../../src/claude/settings/config/json_text.ts";

const COMMENTS = ["// my look", "/* the theme\n     I like */", "// keep this one too"];

/** A person's settings: comments above, between and after their members. */
const THEIRS = `{
  ${COMMENTS[0]}
  "ui": { "theme": "GitHub" }, ${COMMENTS[1]}
  ${COMMENTS[2]}
  "general": { "vimMode": true }
}
`;

async function settingsAt(repo: Repo, text: string): Promise<string> {
  const folder = join(repo.home, ".gemini");
  await Deno.mkdir(folder, { recursive: true });
  const path = join(folder, "settings.json");
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("gemini settings with comments: install edits in place, uninstall gives the bytes back", async () => {
  await using repo = await withRepo();
  const path = await settingsAt(repo, THEIRS);
  await ok(repo, "hooks", "install", "--agent", "gemini");
  const installed = await Deno.readTextFile(path);
  for (const comment of COMMENTS) assertEquals(installed.includes(comment), true, comment);
  const read = JSON.parse(withoutComments(installed));
  assertEquals(Object.keys(read.hooks), ["SessionStart", "AfterAgent", "SessionEnd"]);
  assertEquals(Object.keys(read.mcpServers), ["mpm"]);
  assertEquals([read.ui.theme, read.general.vimMode], ["GitHub", true]);
  const doctor = await okJson(repo, "doctor", "--json");
  const hooks = doctor.checks.filter((c: { id: string }) => c.id === "gemini-hooks");
  assertEquals(hooks.map((c: { status: string }) => c.status), ["ok"], JSON.stringify(hooks));

  await ok(repo, "hooks", "uninstall", "--agent", "gemini");
  assertEquals(await Deno.readTextFile(path), THEIRS);
});

Deno.test("gemini settings with comments beside mpm's containers: every comment stays", async () => {
  await using repo = await withRepo();
  const text = `{
  "mcpServers": { // none of mine yet
  },
  "hooks": {
    // mpm's go here
    "SessionStart": [] /* empty for now */
  }
}
`;
  const path = await settingsAt(repo, text);
  await ok(repo, "hooks", "install", "--agent", "gemini");
  const installed = await Deno.readTextFile(path);
  const comments = ["// none of mine yet", "// mpm's go here", "/* empty for now */"];
  for (const comment of comments) assertEquals(installed.includes(comment), true, installed);
  assertEquals(Object.keys(JSON.parse(withoutComments(installed)).mcpServers), ["mpm"]);

  await ok(repo, "hooks", "uninstall", "--agent", "gemini");
  const after = await Deno.readTextFile(path);
  for (const comment of comments) assertEquals(after.includes(comment), true, after);
  assertNotIncludes(after, "mpm hook");
  assertNotIncludes(after, "mpm mcp");
  // What Gemini reads is what it read before install.
  assertEquals(JSON.parse(withoutComments(after)), JSON.parse(withoutComments(text)));
});
