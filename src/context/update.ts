/**
 * The blocks mpm keeps in a context file, between `<!-- mpm:begin NAME … -->` and its end marker:
 * `updateManaged` keeps every other byte; a missing block goes at its section's end or under a new
 * heading. Markers inside ``` fences are text. Pure.
 */
import { UsageError } from "../kernel/errors.ts";

export interface ManagedBlock {
  name: string;
  /** The section (a `## ` heading) the block belongs in when it has to be added. */
  section: string;
  /** The lines between the markers, without line endings. */
  lines: string[];
}

export const END_MARKER = "<!-- mpm:end -->";

/** The begin marker mpm writes; the words after the name are for the person reading it. */
export function beginMarker(name: string): string {
  return `<!-- mpm:begin ${name} (mpm context update rewrites the lines up to mpm:end) -->`;
}

const BEGIN = /^\s*<!--\s*mpm:begin\s+([A-Za-z0-9][A-Za-z0-9_-]*)(?:\s.*)?-->\s*$/;
const END = /^\s*<!--\s*mpm:end(?:\s.*)?-->\s*$/;
const FENCE = /^\s{0,3}(```|~~~)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

/** One line of the file: its text, and the ending that followed it ("" on an unterminated last line). */
interface Line {
  text: string;
  eol: "\r\n" | "\n" | "";
}

/** The file's lines; joining `text + eol` of all of them gives the file back byte for byte. */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf("\n", start);
    if (nl === -1) {
      lines.push({ text: text.slice(start), eol: "" });
      break;
    }
    const crlf = nl > start && text[nl - 1] === "\r";
    lines.push({ text: text.slice(start, crlf ? nl - 1 : nl), eol: crlf ? "\r\n" : "\n" });
    start = nl + 1;
  }
  return lines;
}

/** The line ending most lines of `text` use ("\n" for a file with none). */
export function lineEnding(text: string): "\r\n" | "\n" {
  const all = (text.match(/\n/g) ?? []).length;
  const crlf = (text.match(/\r\n/g) ?? []).length;
  return crlf > 0 && crlf * 2 >= all ? "\r\n" : "\n";
}

export interface FoundBlock {
  name: string;
  /** Line indexes (0-based) of the begin and end markers. */
  begin: number;
  end: number;
}

/** The marked blocks in order; unbalanced, nested or repeated markers are refused, not guessed. */
export function findBlocks(text: string, file = "the context file"): FoundBlock[] {
  const blocks: FoundBlock[] = [];
  let open: { name: string; begin: number } | undefined;
  let fence: string | undefined;
  splitLines(text).forEach((line, i) => {
    const fenceMatch = line.text.match(FENCE);
    if (fenceMatch) {
      if (fence === undefined) fence = fenceMatch[1];
      else if (fenceMatch[1] === fence) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    const begin = line.text.match(BEGIN);
    if (begin) {
      if (open) {
        throw markerError(
          file,
          `line ${i + 1} begins a block inside "${open.name}" (line ${open.begin + 1})`,
        );
      }
      if (blocks.some((b) => b.name === begin[1])) {
        throw markerError(file, `the block "${begin[1]}" appears twice (line ${i + 1})`);
      }
      open = { name: begin[1], begin: i };
    } else if (END.test(line.text)) {
      if (!open) throw markerError(file, `line ${i + 1} ends a block that never began`);
      blocks.push({ ...open, end: i });
      open = undefined;
    }
  });
  if (open) {
    throw markerError(
      file,
      `the block "${open.name}" (line ${open.begin + 1}) has no ${END_MARKER}`,
    );
  }
  return blocks;
}

function markerError(file: string, what: string): UsageError {
  return new UsageError(
    `mpm's markers in ${file} do not pair up: ${what}.`,
    `Fix the <!-- mpm:begin NAME --> / ${END_MARKER} lines by hand; nothing was changed.`,
  );
}

/** A line mpm writes between markers: one line, never a marker or fence (`<!--` → `&lt;!--`). */
export function safeLine(text: string): string {
  let line = text.replace(/\r\n|\r|\n/g, " ").replaceAll("<!--", "&lt;!--");
  if (FENCE.test(line)) line = line.replace(/^(\s*)([`~])/, "$1\\$2");
  return line;
}

/** `text` with each block's lines replaced, or the block added where it belongs. */
export function updateManaged(text: string, blocks: ManagedBlock[], file?: string): string {
  findBlocks(text, file); // markers that do not pair up are refused even with nothing to write
  let out = text;
  for (const block of blocks) out = updateOne(out, block, file);
  return out;
}

function updateOne(text: string, block: ManagedBlock, file?: string): string {
  const lines = splitLines(text);
  const eol = lineEnding(text);
  const found = findBlocks(text, file).find((b) => b.name === block.name);
  if (found) {
    // The block keeps the ending its own marker line has.
    const ending = lines[found.begin].eol || eol;
    const body = block.lines.map((line) => safeLine(line) + ending).join("");
    const before = lines.slice(0, found.begin + 1);
    const after = lines.slice(found.end);
    return join(before) + body + join(after);
  }
  const body = block.lines.map((line) => safeLine(line) + eol).join("");
  const marked = beginMarker(block.name) + eol + body + END_MARKER + eol;
  const at = sectionEnd(lines, block.section);
  if (at !== undefined) {
    // After the section's last line that has text: the block joins the section's content.
    const head = lines.slice(0, at);
    const last = head.at(-1);
    const glue = last && last.eol === "" ? eol : "";
    return join(head) + glue + marked + join(lines.slice(at));
  }
  const glue = text === "" ? "" : text.endsWith("\n") ? eol : eol + eol;
  return text + glue + `## ${block.section}` + eol + marked;
}

function join(lines: Line[]): string {
  return lines.map((line) => line.text + line.eol).join("");
}

/** Where a block added to section `title` goes: after its last non-blank line; undefined: none. */
function sectionEnd(lines: Line[], title: string): number | undefined {
  let fence: string | undefined;
  let start: number | undefined;
  let level = 0;
  let lastText: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].text;
    const fenceMatch = text.match(FENCE);
    if (fenceMatch) {
      if (fence === undefined) fence = fenceMatch[1];
      else if (fenceMatch[1] === fence) fence = undefined;
    }
    const heading = fence === undefined && !fenceMatch ? text.match(HEADING) : null;
    if (start === undefined) {
      if (heading && heading[2].toLowerCase() === title.toLowerCase()) {
        start = i;
        level = heading[1].length;
        lastText = i;
      }
      continue;
    }
    if (heading && heading[1].length <= level) break;
    if (text.trim() !== "") lastText = i;
  }
  return lastText === undefined ? undefined : lastText + 1;
}
