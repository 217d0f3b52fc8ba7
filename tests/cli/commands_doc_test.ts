import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { COMMANDS_DOC, commandsMarkdown, walk } from "../../scripts/commands_doc.ts";
import { descriptionLines, HELP_LINES, helpText, loadTree } from "../../src/cli/command.ts";
import { root } from "../../src/commands.ts";

Deno.test("docs/commands.md is what the declarations give (run `deno task docs`)", async () => {
  const committed = await Deno.readTextFile(COMMANDS_DOC);
  assert(committed === await commandsMarkdown(), "docs/commands.md is stale: run `deno task docs`");
});

Deno.test("docs/commands.md holds each command's --help word for word", async () => {
  const page = await commandsMarkdown();
  const tree = await loadTree(root);
  for (const command of tree.subcommands ?? []) {
    if (command.name.startsWith("_")) continue;
    assertStringIncludes(page, `## mpm ${command.name}\n`);
    assertStringIncludes(page, helpText(command, `mpm ${command.name}`).trimEnd());
  }
  assertEquals(page.includes("__complete"), false);
});

Deno.test("every command's --help says what it does in at most 10 lines", async () => {
  const long = walk(await loadTree(root), "mpm")
    .map(({ path, command }) => ({ path, lines: descriptionLines(command).length }))
    .filter(({ lines }) => lines > HELP_LINES)
    .map(({ path, lines }) => `${path} (${lines} lines)`);
  assertEquals(long, [], "move the rest of these into the declaration's `more`");
});

Deno.test("every line of every --help fits in 100 columns, and no sentence stops half way", async () => {
  const tree = await loadTree(root);
  const wide: string[] = [];
  for (const { path, command } of [{ path: "mpm", command: tree }, ...walk(tree, "mpm")]) {
    const help = helpText(command, path);
    for (const line of help.split("\n")) {
      if ([...line].length > 100) wide.push(`${path}: ${line}`);
    }
    // The prose before the options ends a sentence (a cut once left `"latest_agent":` hanging).
    const prose = descriptionLines(command).join("\n").trimEnd();
    assert(/[.)`"]$/.test(prose), `${path}'s help stops mid-sentence: …${prose.slice(-40)}`);
  }
  assertEquals(wide, []);
});

Deno.test("what a command's help leaves out, and its JSON, are in its section of docs/commands.md", async () => {
  const page = await commandsMarkdown();
  for (const { path, command } of walk(await loadTree(root), "mpm")) {
    const start = page.indexOf(`\n## ${path}\n`);
    const section = page.slice(start, page.indexOf("\n## ", start + 1));
    if (command.more) assertStringIncludes(section, command.more.trim());
    if (command.json) assertStringIncludes(section, `JSON output:\n\n${command.json.trim()}`);
  }
});
