import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import {
  beginMarker,
  END_MARKER,
  findBlocks,
  lineEnding,
  type ManagedBlock,
  safeLine,
  splitLines,
  updateManaged,
} from "./update.ts";

const status = (lines: string[]): ManagedBlock => ({
  name: "status",
  section: "Current Work",
  lines,
});
const next = (lines: string[]): ManagedBlock => ({
  name: "next-session",
  section: "Next Session",
  lines,
});

/** The text outside every marked block (marker lines included), to compare byte for byte. */
function outside(text: string): string {
  const lines = splitLines(text);
  const inside = new Set<number>();
  for (const block of findBlocks(text)) {
    for (let i = block.begin + 1; i < block.end; i++) inside.add(i);
  }
  return lines.filter((_, i) => !inside.has(i)).map((l) => l.text + l.eol).join("");
}

/** A hand-edited file: odd spacing, trailing spaces, tabs, unicode, a fenced fake marker. */
const HAND = [
  "# My project  ",
  "",
  "## Current Work\t",
  "Feature: payments — ünïcødé 💳",
  "<!-- mpm:begin status  my own note here -->",
  "Status: old",
  "Branch: old-branch",
  "<!-- mpm:end -->",
  "Extra line the person wrote under the block.",
  "",
  "",
  "## Known Issues",
  "- [ ] a thing",
  "```",
  "<!-- mpm:begin next-session -->",
  "this is an example inside a fence",
  "<!-- mpm:end -->",
  "```",
  "",
  "## Next Session",
  "<!-- mpm:begin next-session -->",
  "Continue with:",
  "1. old step",
  "<!-- mpm:end -->",
  "trailing words   ",
].join("\n");

Deno.test("splitLines gives the file back byte for byte", () => {
  for (const text of ["", "a", "a\n", "a\r\nb", "\n\n", "a\rb\r\n", HAND]) {
    assertEquals(splitLines(text).map((l) => l.text + l.eol).join(""), text);
  }
});

Deno.test("update: only the lines between the markers change; every other byte stays", () => {
  const out = updateManaged(HAND, [status(["Status: active", "Branch: main"]), next(["1. new"])]);
  assertEquals(outside(out), outside(HAND));
  assert(
    out.includes(
      "<!-- mpm:begin status  my own note here -->\nStatus: active\nBranch: main\n<!-- mpm:end -->",
    ),
  );
  assert(out.includes("Continue with:\n1. new") === false);
  assert(
    out.includes("<!-- mpm:begin next-session -->\n1. new\n<!-- mpm:end -->\ntrailing words   "),
  );
  // The fenced example is text, not a block: untouched.
  assert(out.includes("this is an example inside a fence"));
  assert(!out.endsWith("\n"), "a file without a final newline keeps it that way");
});

Deno.test("update twice gives the same text as once (idempotent)", () => {
  const blocks = [status(["Status: active"]), next(["1. a", "2. b"])];
  const once = updateManaged(HAND, blocks);
  assertEquals(updateManaged(once, blocks), once);
});

Deno.test("update of a CRLF file keeps CRLF everywhere, new lines too", () => {
  const crlf = HAND.replaceAll("\n", "\r\n") + "\r\n";
  const out = updateManaged(crlf, [status(["Status: active", "Branch: main"]), next(["1. x"])]);
  assertEquals(outside(out), outside(crlf));
  assertEquals(out.replaceAll("\r\n", "").includes("\n"), false, "no bare LF was written");
  assert(out.includes("Status: active\r\nBranch: main\r\n<!-- mpm:end -->\r\n"));
});

Deno.test("a CRLF block in an LF file keeps its own ending", () => {
  const text = `## Current Work\r\n<!-- mpm:begin status -->\r\nold\r\n<!-- mpm:end -->\r\nrest\n`;
  const out = updateManaged(text, [status(["new"])]);
  assertEquals(
    out,
    `## Current Work\r\n<!-- mpm:begin status -->\r\nnew\r\n<!-- mpm:end -->\r\nrest\n`,
  );
});

Deno.test("lineEnding follows the majority", () => {
  assertEquals(lineEnding("a\r\nb\r\nc\n"), "\r\n");
  assertEquals(lineEnding("a\nb\nc\r\n"), "\n");
  assertEquals(lineEnding("no newline"), "\n");
});

Deno.test("missing markers: the block is inserted at the end of its section, nothing else moves", () => {
  const text = "# P\n\n## Current Work\nFeature: x\n\n\n## Next Session\nmy own list\n";
  const out = updateManaged(text, [status(["Status: active"]), next(["1. step"])]);
  const statusBlock = `${beginMarker("status")}\nStatus: active\n${END_MARKER}\n`;
  const nextBlock = `${beginMarker("next-session")}\n1. step\n${END_MARKER}\n`;
  assertEquals(
    out,
    `# P\n\n## Current Work\nFeature: x\n${statusBlock}\n\n## Next Session\nmy own list\n${nextBlock}`,
  );
  // Removing what was inserted gives the original back.
  assertEquals(out.replace(statusBlock, "").replace(nextBlock, ""), text);
});

Deno.test("missing markers and no section: appended under a new heading at the end", () => {
  const text = "# Notes\nsome words";
  const out = updateManaged(text, [status(["Status: active"])]);
  assertEquals(
    out,
    `# Notes\nsome words\n\n## Current Work\n${
      beginMarker("status")
    }\nStatus: active\n${END_MARKER}\n`,
  );
  assert(out.startsWith(text));
  assertEquals(
    updateManaged("", [status(["S"])]),
    `## Current Work\n${beginMarker("status")}\nS\n${END_MARKER}\n`,
  );
});

Deno.test("missing markers in a CRLF file: the added block uses CRLF", () => {
  const text = "## Current Work\r\nFeature: x\r\n";
  const out = updateManaged(text, [status(["Status: active"])]);
  assertEquals(
    out,
    `## Current Work\r\nFeature: x\r\n${
      beginMarker("status")
    }\r\nStatus: active\r\n${END_MARKER}\r\n`,
  );
});

Deno.test("a section whose last line has no newline gets one before the block", () => {
  const out = updateManaged("## Next Session\n1. mine", [next(["1. step"])]);
  assertEquals(
    out,
    `## Next Session\n1. mine\n${beginMarker("next-session")}\n1. step\n${END_MARKER}\n`,
  );
});

Deno.test("a heading inside a fence is not the section", () => {
  const text = "```\n## Current Work\n```\n";
  const out = updateManaged(text, [status(["S"])]);
  assert(out.startsWith(text + "\n## Current Work\n"), out);
});

Deno.test("markers that do not pair up are refused, naming the line", () => {
  assertThrows(() => updateManaged("<!-- mpm:begin status -->\nx\n", [status(["S"])]), /has no/);
  assertThrows(
    () => updateManaged("x\n<!-- mpm:end -->\n", [status(["S"])]),
    /line 2 ends a block/,
  );
  assertThrows(
    () => updateManaged("<!-- mpm:begin status -->\n<!-- mpm:begin next-session -->\n", []),
    /line 2 begins a block inside "status"/,
  );
  const twice =
    "<!-- mpm:begin status -->\n<!-- mpm:end -->\n<!-- mpm:begin status -->\n<!-- mpm:end -->\n";
  assertThrows(() => updateManaged(twice, [status(["S"])]), /appears twice/);
});

Deno.test("blocks mpm does not know are left alone", () => {
  const text = "<!-- mpm:begin other -->\nkeep me\n<!-- mpm:end -->\n";
  const out = updateManaged(text, [status(["S"])]);
  assert(out.startsWith(text));
});

Deno.test("a written line can never end the block or open a fence", () => {
  assertEquals(safeLine("a\nb\r\nc"), "a b c");
  assertEquals(safeLine("x <!-- mpm:end --> y"), "x &lt;!-- mpm:end --> y");
  assertEquals(safeLine("```js"), "\\```js");
  const text = "## Next Session\n<!-- mpm:begin next-session -->\n<!-- mpm:end -->\nmine\n";
  const out = updateManaged(text, [next(["<!-- mpm:end -->", "```"])]);
  assertEquals(findBlocks(out).length, 1);
  assert(out.endsWith("<!-- mpm:end -->\nmine\n"));
  assertEquals(updateManaged(out, [next(["1. ok"])]), updateManaged(text, [next(["1. ok"])]));
});

Deno.test("a BOM and unusual whitespace around the markers survive", () => {
  const text = "\uFEFF## Current Work\n  <!--  mpm:begin status -->  \nold\n\t<!-- mpm:end  -->\n";
  const out = updateManaged(text, [status(["new"])]);
  assertEquals(
    out,
    "\uFEFF## Current Work\n  <!--  mpm:begin status -->  \nnew\n\t<!-- mpm:end  -->\n",
  );
});
