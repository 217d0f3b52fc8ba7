/**
 * docs/commands.md: every command's `--help`, generated from the declarations, so the reference
 * cannot drift from what mpm prints, each followed by what its help leaves out (`more`) and
 * what its `--json` prints (`json`).
 * `deno task docs` writes it; tests/cli/commands_doc_test.ts fails when the file is stale.
 *
 *   deno task docs            write docs/commands.md and docs/format.md's field tables
 *   deno task docs --check    exit 1 when either is not what the declarations give
 */
import { join } from "node:path";
import { type Command, helpText, loadTree } from "../src/cli/command.ts";
import { root } from "../src/commands.ts";
import { ROOT } from "./build/stamp.ts";
import { FORMAT_DOC, formatMarkdown } from "./format_doc.ts";

export const COMMANDS_DOC = join(ROOT, "docs", "commands.md");

/** Every command a person runs, depth first, with the words that run it (`mpm todo add`). */
export function walk(command: Command, path: string): { path: string; command: Command }[] {
  const visible = (command.subcommands ?? []).filter((sub) => !sub.name.startsWith("_"));
  return [
    { path, command },
    ...visible.flatMap((sub) => walk(sub, `${path} ${sub.name}`)),
  ];
}

/** The whole page: a contents list, then each command's help as mpm prints it. */
export async function commandsMarkdown(): Promise<string> {
  const entries = walk(await loadTree(root), "mpm");
  const anchor = (path: string) => path.replaceAll(" ", "-");
  const lines = [
    "# mpm's commands",
    "",
    "Every command's `--help`, as mpm prints it. Generated from the command declarations by",
    "`deno task docs`; do not edit by hand.",
    "",
    ...entries.slice(1).map(({ path, command }) =>
      `${"  ".repeat(path.split(" ").length - 2)}- [\`${path}\`](#${
        anchor(path)
      }): ${command.summary}`
    ),
  ];
  for (const { path, command } of entries) {
    lines.push("", `## ${path}`, "", '<a id="' + anchor(path) + '"></a>', "", "```text");
    lines.push(helpText(command, path).trimEnd(), "```");
    // What does not fit a screen of `--help` is read here.
    if (command.more) lines.push("", command.more.trim());
    if (command.json) lines.push("", "JSON output:", "", command.json.trim());
  }
  return lines.join("\n") + "\n";
}

if (import.meta.main) {
  // docs/format.md's field tables are made by the same task (scripts/format_doc.ts).
  const formatNow = await Deno.readTextFile(FORMAT_DOC);
  const formatWanted = await formatMarkdown(formatNow);
  const wanted = await commandsMarkdown();
  if (Deno.args.includes("--check")) {
    const current = await Deno.readTextFile(COMMANDS_DOC).catch(() => "");
    if (current !== wanted) console.error("docs/commands.md is stale: run `deno task docs`.");
    if (formatNow !== formatWanted) {
      console.error("docs/format.md's field tables are stale: run `deno task docs`.");
    }
    if (current !== wanted || formatNow !== formatWanted) Deno.exit(1);
  } else {
    await Deno.writeTextFile(COMMANDS_DOC, wanted);
    console.log(`Wrote ${COMMANDS_DOC}.`);
    if (formatNow !== formatWanted) {
      await Deno.writeTextFile(FORMAT_DOC, formatWanted);
      console.log(`Wrote ${FORMAT_DOC}.`);
    }
  }
}
