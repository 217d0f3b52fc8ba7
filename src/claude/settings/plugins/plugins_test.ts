import { assertEquals } from "../../../../tests/assert.ts";
import { findMpmPlugin, type SettingsSource } from "./plugins.ts";

const ROOT = "/home/dev/shop";
const user = (enabledPlugins: unknown): SettingsSource => ({
  scope: "user",
  shown: "~/.claude/settings.json",
  text: JSON.stringify({ enabledPlugins }),
});
const local = (enabledPlugins: unknown): SettingsSource => ({
  scope: "local",
  shown: ".claude/settings.local.json",
  text: JSON.stringify({ enabledPlugins }),
});
const installed = (plugins: unknown) => JSON.stringify({ version: 2, plugins });
const userInstall = installed({
  "mpm@acme": [{ scope: "user", installPath: "/home/dev/.claude/plugins/cache/acme/mpm/1.0.0" }],
});

Deno.test("mpm's plugin enabled in the user settings and installed for the user", () => {
  assertEquals(findMpmPlugin([user({ "mpm@acme": true })], userInstall, ROOT), {
    id: "mpm@acme",
    enabledIn: "~/.claude/settings.json",
    installed: true,
  });
});

Deno.test("only true enables it; a later scope overrides an earlier one", () => {
  assertEquals(findMpmPlugin([user({ "mpm@acme": ["1.0.0"] })], userInstall, ROOT), null);
  assertEquals(
    findMpmPlugin([local({ "mpm@acme": false }), user({ "mpm@acme": true })], userInstall, ROOT),
    null,
  );
  assertEquals(
    findMpmPlugin([local({ "mpm@acme": true }), user({ "mpm@acme": false })], userInstall, ROOT)
      ?.enabledIn,
    ".claude/settings.local.json",
  );
  // Another plugin, or another name for one: not mpm's.
  assertEquals(
    findMpmPlugin([user({ "mpm-extras@acme": true, "x@mpm": true })], userInstall, ROOT),
    null,
  );
});

Deno.test("installed: for the user, for this project, or not at all", () => {
  const project = (projectPath: string) =>
    installed({ "mpm@acme": [{ scope: "project", installPath: "/c/mpm", projectPath }] });
  const enabled = [user({ "mpm@acme": true })];
  assertEquals(findMpmPlugin(enabled, project(ROOT), ROOT)?.installed, true);
  assertEquals(findMpmPlugin(enabled, project("/elsewhere"), ROOT)?.installed, false);
  assertEquals(findMpmPlugin(enabled, undefined, ROOT)?.installed, false);
  assertEquals(findMpmPlugin(enabled, "not json", ROOT)?.installed, false);
  // Version 1 of the file: one object per plugin, for the user.
  const v1 = JSON.stringify({ version: 1, plugins: { "mpm@acme": { version: "1.0.0" } } });
  assertEquals(findMpmPlugin(enabled, v1, ROOT)?.installed, true);
});

Deno.test("settings that do not parse say nothing", () => {
  const broken: SettingsSource = { scope: "project", shown: ".claude/settings.json", text: "{" };
  assertEquals(findMpmPlugin([broken, { ...broken, text: undefined }], userInstall, ROOT), null);
});
