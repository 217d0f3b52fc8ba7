import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { COMMANDS_DOC, commandsMarkdown } from "../../scripts/commands_doc.ts";
import { helpText, loadTree } from "../../src/cli/command.ts";
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
