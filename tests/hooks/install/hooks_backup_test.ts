/** The settings backup `mpm hooks install` keeps holds no secret the settings file held. */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, withRepo } from "../../helpers.ts";
import { fakeClaude, listFiles } from "../hooks_helpers.ts";

const KEY = "sk-ant-api03-" + "Zq7Xw2Lk9Vb4Nm1Pc6Rt8Ys3".repeat(2);

Deno.test("mpm hooks install redacts env.ANTHROPIC_API_KEY in the settings backup", async () => {
  await using repo = await withRepo();
  const settings = `{
  "env": { "ANTHROPIC_API_KEY": "${KEY}", "SMTP_PASSWORD": "hunter2", "EDITOR": "vim" }
}
`;
  await repo.write(".claude/settings.local.json", settings);
  const bin = await fakeClaude(join(repo.home, ".."), "2.1.90");
  const run = await mpm(["hooks", "install"], {
    cwd: repo.path,
    env: { HOME: repo.home, PATH: `${bin}:${Deno.env.get("PATH")}` },
  });
  assertEquals(run.code, 0, run.stderr);
  const dir = join(repo.path, ".claude-mpm/backups/settings");
  const [backup] = await listFiles(dir);
  const text = await Deno.readTextFile(join(dir, backup));
  assertNotIncludes(text, KEY);
  assertNotIncludes(text, "hunter2");
  assertStringIncludes(text, `"EDITOR": "vim"`);
  assertEquals(Object.keys(JSON.parse(text).env), ["ANTHROPIC_API_KEY", "SMTP_PASSWORD", "EDITOR"]);
  // The settings file itself is the user's: its key is still there for Claude Code.
  const installed = await Deno.readTextFile(join(repo.path, ".claude/settings.local.json"));
  assertStringIncludes(installed, KEY);
});
