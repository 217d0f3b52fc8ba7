import { assertEquals } from "../../tests/assert.ts";
import { didYouMean, editDistance, nearest } from "./suggest.ts";

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
  assertEquals(nearest("stat", commands), "start");
  assertEquals(nearest("statu", commands), "status");
  assertEquals(nearest("ad", ["add", "done"]), "add");
  // Too far from anything, or too short to guess from.
  assertEquals(nearest("deploy", commands), undefined);
  assertEquals(nearest("x", commands), undefined);
  assertEquals(nearest("--sumary", ["--summary", "--json", "--help"]), "--summary");
  assertEquals(didYouMean("pasue", commands), 'Did you mean "pause"? ');
  assertEquals(didYouMean("zzzzzz", commands), "");
});
