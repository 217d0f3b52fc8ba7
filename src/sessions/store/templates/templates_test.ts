import { assertEquals, assertStringIncludes, assertThrows } from "../../../../tests/assert.ts";
import { UsageError } from "../../../kernel/errors.ts";
import {
  checkTemplateName,
  fillTemplate,
  parseTemplate,
  parseVars,
  seedFrom,
  starterTemplate,
  templateVariables,
  unusedVars,
} from "./templates.ts";

const now = new Date("2026-01-02T03:04:05Z");

const TEXT = `---
description: "Ship a thing"
---
<!-- {{ignored}} in a comment -->
# Template: Shipping ({{what}})

Intro text is not a todo.

## Setup Phase
- [ ] Plan {{what}}
* [x] Already done
  + [ ] Nested {{ owner }}

## Notes
- Keep {{what}} small
plain note line
`;

Deno.test("parseTemplate reads the description from front matter, else the first heading", () => {
  assertEquals(parseTemplate(TEXT).description, "Ship a thing");
  assertEquals(
    parseTemplate("# Template: Feature Development\n- [ ] x\n").description,
    "Feature Development",
  );
  assertEquals(parseTemplate("- [ ] x\n").description, "");
});

Deno.test("variables are found in order, outside comments and front matter", () => {
  assertEquals(templateVariables(TEXT), ["what", "owner"]);
  assertEquals(unusedVars(TEXT, { what: "x", typo: "y" }), ["typo"]);
});

Deno.test("a missing variable is an error naming every missing one", () => {
  const error = assertThrows(() => fillTemplate("ship", TEXT, {}));
  assertEquals(error instanceof UsageError, true);
  assertStringIncludes(error.message, "what, owner");
  assertStringIncludes(error.message, "--var what=");
  assertThrows(() => fillTemplate("ship", TEXT, { what: "x" }), /owner/);
});

Deno.test("filled checklist items become todos with phases; Notes become notes", () => {
  const filled = fillTemplate("ship", TEXT, { what: "v2 {{owner}}", owner: "ana" });
  const seed = seedFrom(filled, now);
  assertEquals(seed.todos.map((t) => [t.content, t.status, t.phase]), [
    ["Plan v2 {{owner}}", "pending", "Setup Phase"],
    ["Already done", "completed", "Setup Phase"],
    ["Nested ana", "pending", "Setup Phase"],
  ]);
  assertEquals(seed.notes, ["Keep v2 {{owner}} small", "plain note line"]);
});

Deno.test("--var parsing: KEY=VALUE, '=' allowed in values, one line only", () => {
  assertEquals(parseVars(["a=1", "b=x=y", "a=1"]), { a: "1", b: "x=y" });
  for (const bad of ["novalue", "=x", "1a=x", "a b=x"]) {
    assertEquals(assertThrows(() => parseVars([bad])) instanceof UsageError, true, bad);
  }
  assertThrows(() => parseVars(["a=line\nbreak"]));
});

Deno.test("--var refuses an empty value and a variable given two values, naming it", () => {
  for (const empty of ["what=", "what=   "]) {
    const error = assertThrows(() => parseVars(["owner=ana", empty]));
    assertEquals(error instanceof UsageError, true, empty);
    assertStringIncludes(error.message, "--var what has no value");
  }
  const twice = assertThrows(() => parseVars(["what=a", "what=b"]));
  assertEquals(twice instanceof UsageError, true);
  assertEquals(twice.message, '--var what was given twice ("a" and "b"); give it once.');
});

Deno.test("template names are plain", () => {
  for (const good of ["feature", "code-review", "v1.2_x"]) {
    assertEquals(checkTemplateName(good), good);
  }
  for (const bad of ["", "../x", "a/b", ".hidden", "x.md", "a b", "-x"]) {
    assertThrows(() => checkTemplateName(bad), undefined);
  }
});

Deno.test("the starter template is itself a valid template", () => {
  const text = starterTemplate("release");
  assertEquals(templateVariables(text), ["what"]);
  const seed = seedFrom(fillTemplate("release", text, { what: "1.0" }), now);
  assertEquals(seed.todos.length > 3, true);
  assertEquals(seed.notes, ["Keep the scope to 1.0."]);
});
