import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { type Command, parsePlain } from "./command.ts";
import { parseCommand } from "./parse.ts";
import { UsageError } from "../kernel/errors.ts";

const pause: Command = {
  name: "pause",
  summary: "",
  args: [{ name: "WORD", description: "", optional: true }],
  flags: [
    { name: "summary", short: "s", value: "TEXT", description: "" },
    { name: "accomplished", short: "a", value: "TEXT", multiple: true, description: "" },
    { name: "json", description: "" },
    { name: "quiet", short: "q", description: "" },
    { name: "color", negatable: true, description: "" },
    { name: "limit", value: "N", description: "" },
  ],
};

const parse = (...argv: string[]) => parseCommand(pause, argv, "mpm pause");
/** The one sentence a mistake gets: always a UsageError (exit 2). */
function refusal(...argv: string[]): string {
  const error = assertThrows(() => parse(...argv));
  assertEquals(error instanceof UsageError, true, error.message);
  return error.message;
}

Deno.test("values: separate, glued with =, short, short glued; switches grouped", () => {
  assertEquals(parse("--summary", "a b", "--json").flags, { summary: "a b", json: true });
  assertEquals(parse("--summary=x=y").flags, { summary: "x=y" });
  assertEquals(parse("-s", "x", "-q").flags, { summary: "x", quiet: true });
  assertEquals(parse("-sx").flags, { summary: "x" });
  assertEquals(parse("-qs", "x").flags, { quiet: true, summary: "x" });
  assertEquals(parse("--limit=-1").flags, { limit: "-1" });
});

Deno.test("a negative number is a value or a word, never an option", () => {
  assertEquals(parse("--limit", "-3").flags, { limit: "-3" });
  assertEquals(parse("-s", "-0.5").flags, { summary: "-0.5" });
  assertEquals(parse("-1").args, ["-1"]);
  assertEquals(
    refusal("--limit", "-3x"),
    'Option --limit needs a value; to give one that starts with "-", write --limit=VALUE.',
  );
});

Deno.test("words: anywhere, a lone - is one, and everything after --", () => {
  assertEquals(parse("w", "--json").args, ["w"]);
  assertEquals(parse("-").args, ["-"]);
  assertEquals(parse("--json", "--", "--summary").args, ["--summary"]);
  assertEquals(parse("--json", "--", "--summary").flags, { json: true });
});

Deno.test("a repeatable option collects its values; a single one given twice is refused", () => {
  assertEquals(parse("-a", "one", "--accomplished", "two").flags, { accomplished: ["one", "two"] });
  assertEquals(parse("-s", "a", "-s", "a").flags, { summary: "a" });
  assertEquals(
    refusal("-s", "a", "-s", "b"),
    '--summary takes one value and was given twice ("a" and "b"); give it once.',
  );
});

Deno.test("--no-NAME only for a switch that says so", () => {
  assertEquals(parse("--no-color").flags, { color: false });
  assertEquals(refusal("--no-json"), "`--no-json` is not an option of `mpm pause`.");
  assertEquals(refusal("--no-summary"), "Unknown option --no-summary.");
});

Deno.test("mistakes are one sentence each", () => {
  assertEquals(refusal("--bogus"), "Unknown option --bogus.");
  assertEquals(refusal("--bogus=1"), "Unknown option --bogus.");
  assertEquals(refusal("-x"), "Unknown option -x.");
  assertEquals(refusal("-s"), "Option -s, --summary needs a value.");
  assertEquals(refusal("--limit"), "Option --limit needs a value.");
  assertEquals(
    refusal("-s", "-x"),
    'Option -s needs a value; to give one that starts with "-", write --summary=VALUE.',
  );
  assertEquals(refusal("--json=yes"), "Option --json does not take a value.");
  assertEquals(refusal("a", "b"), '`mpm pause` got an unexpected argument: "b".');
});

Deno.test("--help skips the count of arguments", () => {
  assertEquals(parse("a", "b", "--help"), { flags: { help: true }, args: ["a", "b"] });
});

Deno.test("two options that choose different outputs are refused; ones that agree are not", () => {
  const show: Command = {
    name: "show",
    summary: "",
    flags: [
      { name: "format", short: "f", value: "FORMAT", description: "" },
      { name: "json", description: "" },
      { name: "jsonl", description: "" },
      { name: "html", value: "FILE", description: "" },
    ],
  };
  const parse = (...argv: string[]) => parseCommand(show, argv, "mpm show");
  for (
    const [argv, message] of [
      [["-f", "yaml", "--json"], "--json and --format yaml are two different outputs"],
      [["--json", "--html", "a.html"], "--json and --html are two different outputs"],
      [["--jsonl", "--json"], "--json and --jsonl are two different outputs"],
    ]
  ) {
    const error = assertThrows(() => parse(...argv));
    assertEquals(error instanceof UsageError, true, error.message);
    assertEquals(error.message, `${message}; choose one.`);
  }
  assertEquals(parse("--format", "json", "--json").flags, { format: "json", json: true });
  assertEquals(parse("-f", "md").flags, { format: "md" });
  assertEquals(parse("--json").flags, { json: true });
});

Deno.test("the plain parse takes words and declared switches, and gives what the parser gives", () => {
  const listing: Command = {
    ...pause,
    flags: [
      ...pause.flags!,
      { name: "html", description: "" },
      { name: "tag", multiple: true, description: "" },
      { name: "all", aliases: ["--every"], description: "" },
    ],
  };
  const outcome = (run: () => unknown) => {
    try {
      return { parsed: run() };
    } catch (error) {
      return { refused: `${error instanceof UsageError} ${(error as Error).message}` };
    }
  };
  const taken = [
    [],
    ["w"],
    ["--json"],
    ["w", "--json"],
    ["--json", "--quiet", "--json"],
    [
      "--color",
    ],
    ["--json", "--html"],
    ["a", "b"],
    ["--all", "w", "x"],
  ];
  const left = [
    ["--help"],
    ["-q"],
    ["--no-color"],
    ["--every"],
    ["--tag"],
    ["--limit", "3"],
    [
      "--bogus",
    ],
    ["--json=1"],
    ["--summary"],
    ["-"],
    ["--"],
    ["w", "--", "--json"],
    ["--json", "-h"],
  ];
  for (const argv of [...taken, ...left]) {
    const plain = outcome(() => parsePlain(listing, argv, "mpm x"));
    assertEquals(plain.parsed === undefined && !plain.refused, left.includes(argv), argv.join(" "));
    if (left.includes(argv)) continue;
    assertEquals(plain, outcome(() => parseCommand(listing, argv, "mpm x")), argv.join(" "));
  }
});
