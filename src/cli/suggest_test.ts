import { assertEquals } from "../../tests/assert.ts";
import { didYouMean, editDistance, suggestions } from "./suggest.ts";

Deno.test("editDistance counts a swap of neighbours as one edit", () => {
  assertEquals(editDistance("pasue", "pause"), 1);
  assertEquals(editDistance("sumary", "summary"), 1);
  assertEquals(editDistance("", "abc"), 3);
  assertEquals(editDistance("kitten", "sitting"), 3);
  assertEquals(editDistance("same", "same"), 0);
});

Deno.test("suggestions: the first is a close name, a prefix, or none", () => {
  const commands = ["pause", "resume", "list", "show", "status", "start", "sync"];
  assertEquals(suggestions("pasue", commands)[0], "pause");
  assertEquals(suggestions("resme", commands)[0], "resume");
  assertEquals(suggestions("stauts", commands)[0], "status");
  assertEquals(suggestions("Pause", commands)[0], "pause");
  assertEquals(suggestions("stat", commands)[0], "status");
  assertEquals(suggestions("statu", commands)[0], "status");
  assertEquals(suggestions("ad", ["add", "done"])[0], "add");
  // Too far from anything, or too short to guess from.
  assertEquals(suggestions("deploy", commands)[0], undefined);
  assertEquals(suggestions("x", commands)[0], undefined);
  assertEquals(suggestions("--sumary", ["--summary", "--json", "--help"])[0], "--summary");
  assertEquals(didYouMean("pasue", commands), 'Did you mean "pause"? ');
  assertEquals(didYouMean("zzzzzz", commands), "");
});

Deno.test("suggestions: what the word begins comes first, then what is near by edits", () => {
  const commands = ["pause", "resume", "list", "show", "status", "start", "sync"];
  // `stat` is one edit from `start`, but it is how `status` begins.
  assertEquals(suggestions("stat", commands), ["status", "start"]);
  assertEquals(didYouMean("stat", commands), 'Did you mean "status" or "start"? ');
  assertEquals(suggestions("sta", commands), ["status", "start"]);
  assertEquals(suggestions("pasue", commands), ["pause"]);
  // Dashes are not letters: `--s` is too short to begin anything.
  assertEquals(suggestions("--s", ["--summary", "--since"]), []);
  assertEquals(suggestions("--sum", ["--summary", "--since"]), ["--summary"]);
  assertEquals(
    didYouMean("res", ["reset", "resume", "restore", "rescan"]),
    'Did you mean "reset", "resume" or "restore"? ',
  );
});
