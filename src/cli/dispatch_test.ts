import { assertEquals, assertRejects, assertStringIncludes } from "../../tests/assert.ts";
import { UsageError } from "../kernel/errors.ts";
import type { Command, Parsed } from "./command.ts";
import { helpText, reflow } from "./command.ts";
import { dispatch } from "./dispatch.ts";
import type { Env } from "./env.ts";

const env: Env = {
  cwd: "/",
  vars: {},
  now: () => new Date(0),
  warn: () => {},
  isTTY: false,
  stderrIsTTY: false,
  color: false,
  readStdin: () => Promise.resolve(""),
  execPath: "deno",
  mainModule: "main.ts",
};

const said = (what: string) => (_: Env, parsed: Parsed) =>
  Promise.resolve({ stdout: `${what} ${JSON.stringify(parsed.args)}` });

const show: Command = {
  name: "show",
  summary: "Show.",
  args: [{ name: "ID", optional: true, description: "One." }],
  run: said("show"),
};

function root(withArgs: boolean): Command {
  const doc: Command = {
    name: "doc",
    summary: "A command with subcommands that also runs on its own.",
    ...(withArgs ? { args: [{ name: "SESSION", optional: true, description: "A session." }] } : {}),
    flags: [{ name: "json", description: "JSON." }],
    subcommands: [show],
    run: said("doc"),
  };
  return { name: "mpm", summary: "mpm", subcommands: [doc] };
}

Deno.test("a command with its own arguments takes a word that names no subcommand as one", async () => {
  const tree = root(true);
  assertEquals((await dispatch(tree, env, ["doc", "show", "x"])).stdout, 'show ["x"]');
  assertEquals((await dispatch(tree, env, ["doc", "0"])).stdout, 'doc ["0"]');
  assertEquals((await dispatch(tree, env, ["doc", "--json", "0"])).stdout, 'doc ["0"]');
  assertEquals((await dispatch(tree, env, ["doc"])).stdout, "doc []");
  // Without arguments of its own, an unknown word is still no command.
  const error = await assertRejects(
    () => dispatch(root(false), env, ["doc", "0"]),
    /is not a command/,
  );
  assertEquals(error instanceof UsageError, true);
});

Deno.test("its --help shows both forms", () => {
  const text = helpText(root(true).subcommands![0], "mpm doc");
  assertStringIncludes(
    text,
    "Usage: mpm doc <show> [options]\n       mpm doc [SESSION] [options]\n",
  );
});

Deno.test("a help's prose is re-wrapped to the width; an indented or bulleted paragraph is kept", () => {
  const prose = "one two three\nfour five six seven\neight";
  assertEquals(reflow(prose, 14), "one two three\nfour five six\nseven eight");
  const kept = "Examples:\n  mpm a\n  mpm b";
  assertEquals(
    reflow(`${prose}\n\n${kept}`, 40),
    `one two three four five six seven eight\n\n${kept}`,
  );
  assertEquals(reflow("- [ ] first\n- [ ] second", 5), "- [ ] first\n- [ ] second");
  // A word longer than the width stands on a line of its own, uncut.
  assertEquals(
    reflow("a .claude-mpm/sessions/archive b", 10),
    "a\n.claude-mpm/sessions/archive\nb",
  );
});
