import { assertEquals } from "../../../tests/assert.ts";
import { scanToml, tomlProblem } from "./toml_scan.ts";

Deno.test("scanToml: what TOML takes passes (with 1.1's leniencies), nothing stricter", () => {
  const valid = [
    "",
    "a = 1\n",
    "\ufeffa = 1\r\nb = 2\r\n",
    "[a]\nb=1\n[a.c]\nd=2\n",
    "[[x]]\na=1\n[[x]]\na=2\n",
    "[[x]]\n[x.y]\nz=1\n[[x]]\n[x.y]\nz=2\n",
    "a = [\n 1, # c\n 2,\n]\n",
    'a = {b=1, c="x"}\n',
    's = """\nhello\\\n   world"""\n',
    "s = '''x'''''\n",
    "a = 1979-05-27 07:32:00\nb = 1979-05-27T07:32:00.999-07:00\n",
    "a = 1_000\nb = +inf\nc = 1e5\nd = 0x1F\ne = true\n",
    "a.b = 1\na.c = 2\n",
    "[ a . 'b' . \"c\" ]\nx=1\n",
    '[projects."/tmp/x"] # trusted\ntrust_level = "trusted"\n',
    'a = "\\u00e9\\e\\x41"\nb = {\n c = 1,\n}\nc = 07:32\n',
    // Quotes inside a multi-line string, and up to two against its end.
    'i = """\nSay "hi".\n"quoted"\n"""\nj = """"quoted""""\nk = """a"""""\n',
  ];
  assertEquals(valid.filter((text) => !scanToml(text).ok), []);
});

Deno.test("scanToml: a file Codex cannot read is named with its line, column and why", () => {
  const cases: [string, string][] = [
    ['model = "o3\n[broken\n', "line 1, column 12: a string is not closed"],
    ["[a\n", "line 1, column 3: a table's header is not closed"],
    ["a = 1\na = 2\n", "line 2, column 1: the key a is set twice"],
    ["[a]\n[a]\n", "line 2, column 1: the table [a] is defined twice"],
    ["a = 1 b = 2\n", "line 1, column 7: there is more on the line after its value or header"],
    ["a = [1 2]\n", "line 1, column 8: an array's values need a comma between them"],
    ["key = \n", "line 1, column 7: a value is missing"],
    ["a = True\n", "line 1, column 5: True is not a TOML value"],
    ['a = "\\q"\n', "line 1, column 6: a string has an escape TOML does not know"],
    ["# \u0001\n", "line 1, column 3: a comment holds a control character"],
    ["x = '''\nnever closed\n", "line 3, column 1: a string is not closed"],
  ];
  assertEquals(cases.map(([text]) => tomlProblem(text)), cases.map(([, why]) => why));
});

Deno.test("scanToml: statements span their lines; a table in a string is none", () => {
  const scan = scanToml('# c\n[a] # x\nb = """\n[c]\n"""\nd.e = [\n  1,\n]\n');
  if (!scan.ok) throw new Error(scan.why);
  assertEquals(
    scan.statements.map((s) => [s.kind, s.first, s.last, s.table.join("."), s.key?.join(".")]),
    [
      ["comment", 0, 0, "", undefined],
      ["table", 1, 1, "a", undefined],
      ["pair", 2, 4, "a", "b"],
      ["pair", 5, 7, "a", "d.e"],
    ],
  );
});
