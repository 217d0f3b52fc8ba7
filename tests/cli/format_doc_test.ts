/**
 * docs/format.md's field tables are made from the record declarations (scripts/format_doc.ts):
 * the committed page is what they give, and a field's meaning is its doc comment.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import {
  fieldComments,
  fieldRows,
  fieldTable,
  FORMAT_DOC,
  formatMarkdown,
} from "../../scripts/format_doc.ts";
import {
  int,
  nullable,
  object,
  oneOf,
  optional,
  string,
  withDefault,
} from "../../src/kernel/check.ts";

Deno.test("docs/format.md's field tables are what the declarations give (run `deno task docs`)", async () => {
  const committed = await Deno.readTextFile(FORMAT_DOC);
  assert(
    committed === await formatMarkdown(committed),
    "docs/format.md is stale: run `deno task docs`",
  );
});

Deno.test("docs/format.md has a table of the snapshot's fields, each with its meaning", async () => {
  const page = await Deno.readTextFile(FORMAT_DOC);
  assertMatch(page, /<!-- fields src\/kernel\/snapshot.ts snapshotCheck -->\n\n\| Field +\|/);
  assertMatch(page, /\| `git_context.status.renamed\[\].from` +\| string +\|/);
  assertMatch(page, /\| `mpm.state` +\| `"paused"`, `"branched"`.*\| `paused` \(`mpm pause`/);
});

Deno.test("a table stale against its declaration is made again between its markers", async () => {
  const page =
    "story\n<!-- fields src/kernel/snapshot.ts todoCheck -->\nold\n<!-- end fields -->\nmore\n";
  const made = await formatMarkdown(page);
  assertMatch(made, /^story\n\n<!-- fields src\/kernel\/snapshot.ts todoCheck -->\n\n\| Field +\|/);
  assert(made.endsWith("<!-- end fields -->\n\nmore\n"));
  assertMatch(made, /\| `content` +\| string +\| The todo's words. +\|/);
});

const SOURCE = `
const other = 1;
export const fooCheck = object({
  /** The first. */
  a: string({ pattern: /^[{(]x$/ }),
  // not a doc comment
  b: int(),
  /**
   * The nested one, over
   * two lines.
   */
  "c": object({
    /** Deep: "quoted, with a brace {". */
    d: withDefault(nullable(string()), null),
  }, "keep"),
}, "keep");
const after = object({ /** Not this one. */ e: string() }, "strip");
`;

Deno.test("fieldComments reads each field's doc comment by its dotted path", () => {
  assertEquals(
    Object.fromEntries(fieldComments(SOURCE, "fooCheck")),
    {
      a: "The first.",
      c: "The nested one, over two lines.",
      "c.d": 'Deep: "quoted, with a brace {".',
    },
  );
  assertEquals(fieldComments(SOURCE, "missingCheck").size, 0);
});

Deno.test("fieldRows says what each check accepts, nested fields after their object", () => {
  const check = object({
    a: string(),
    b: optional(oneOf(["x", "y"])),
    c: withDefault(nullable(object({ d: int() }, "strip")), null),
  }, "keep");
  const rows = fieldRows(check, (path) => path === "c.d" ? "D | E" : undefined);
  assertEquals(rows.map((row) => [row.path, row.type, row.meaning]), [
    ["a", "string", ""],
    ["b", '`"x"`, `"y"`; optional', ""],
    ["c", "object or null; default `null`", ""],
    ["c.d", "integer", "D | E"],
  ]);
  assertStringIncludes(fieldTable(rows), "| `c.d` | integer | D \\| E |");
});

Deno.test("fieldComments names the declaration a field's value is", () => {
  const refs = new Map<string, string>();
  fieldComments(
    `const barCheck = object({\n  /** Items. */\n  items: array(itemCheck),\n  n: int(),\n}, "keep");`,
    "barCheck",
    refs,
  );
  assertEquals(Object.fromEntries(refs), { items: "itemCheck" });
});
