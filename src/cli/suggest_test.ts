import { assertEquals } from "../../tests/assert.ts";
import { didYouMean, editDistance, nearest, suggestions } from "./suggest.ts";

Deno.test("editDistance counts a swap of neighbours as one edit", () => {
  assertEquals(editDistance("pasue", "pause"), 1);
  assertEquals(editDistance("sumary", "summary"), 1);
  assertEquals(editDistance("", "abc"), 3);
  assertEquals(editDistance("kitten", "sitting"), 3);
  assertEquals(editDistance("same", "same"), 0);
});

Deno.test("nearest: a close name, a prefix, or none", () => {
  const commands = ["pause", "resume", "list", "show", "status", "start", "sync"];
  assertEquals(nearest("pasue", commands), "pause");
  assertEquals(nearest("resme", commands), "resume");
  assertEquals(nearest("stauts", commands), "status");
  assertEquals(nearest("Pause", commands), "pause");
  assertEquals(nearest("stat", commands), "status");
  assertEquals(nearest("statu", commands), "status");
  assertEquals(nearest("ad", ["add", "done"]), "add");
  // Too far from anything, or too short to guess from.
  assertEquals(nearest("deploy", commands), undefined);
  assertEquals(nearest("x", commands), undefined);
  assertEquals(nearest("--sumary", ["--summary", "--json", "--help"]), "--summary");
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
