import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import { UsageError } from "../kernel/errors.ts";
import {
  excerpt,
  folded,
  matchingRecords,
  plainMatcher,
  regexMatcher,
  requiredText,
} from "./match.ts";

Deno.test("plain text matches in any case, as typed (no pattern characters)", () => {
  const m = plainMatcher("Stripe (webhook)");
  assertEquals(m.find("add the stripe (Webhook) handler"), [8, 24]);
  assertEquals(m.find("stripe webhook"), null);
  assertEquals(m.needle, "stripe (webhook)");
  // The needle reads as the text does inside a JSON string.
  assertEquals(plainMatcher('say "hi"\n').needle, 'say \\"hi\\"\\n');
});

Deno.test("a regular expression matches in any case; one that does not compile is refused", () => {
  assertEquals(regexMatcher("web.?hook").find("a WebHook here"), [2, 9]);
  const error = assertThrows(() => regexMatcher("(unclosed"));
  assert(error instanceof UsageError && error.exitCode === 2);
  assert(error.message.startsWith('"(unclosed" is not a regular expression'), error.message);
  assertEquals(error.message.split(". ").length, 1, "one sentence");
  assertThrows(() => regexMatcher("x*"), /matches empty text/);
  assert(assertThrows(() => plainMatcher("  ")) instanceof UsageError);
});

Deno.test("requiredText: the longest plain run every match holds, or null", () => {
  assertEquals(requiredText("retry (queue|loop)"), "retry ");
  assertEquals(requiredText("^say"), "say");
  // An optional atom leaves the run; one repeated keeps it, though not what follows.
  assertEquals(requiredText("webhooks? retry"), "webhook");
  assertEquals(requiredText("colou?r scheme"), "r scheme");
  assertEquals(requiredText("ab+cdefg"), "cdefg");
  assertEquals(requiredText("abcd{2,3}xy"), "abc");
  // Escaped marks are themselves; classes, escapes of letters and groups end a run.
  assertEquals(requiredText("charge\\(\\) and refund"), "charge() and refund");
  assertEquals(requiredText("\\bword\\b"), "word");
  assertEquals(requiredText("\\u{1F600}abc"), "abc");
  assertEquals(requiredText("\\p{Lu}xyz"), "xyz");
  assertEquals(requiredText("[(]abc[\\]]de"), "abc");
  assertEquals(requiredText("(?<n>ab)\\k<n>cde"), "cde");
  // Either side of an alternation may match alone; nothing inside a group is required.
  assertEquals(requiredText("stripe|webhook"), null);
  assertEquals(requiredText("(stripe|webhook)"), null);
  assertEquals(requiredText("a.b.c"), null);
  // An optional emoji drops whole, not half of it.
  assertEquals(requiredText("ab😀?"), null);
  assertEquals(requiredText("İstan?bul"), "İsta");
});

Deno.test("an excerpt is one line around the match, marked where the match is", () => {
  const text = "first line\nthen the Stripe webhook\n\nhandler is added";
  const m = plainMatcher("stripe webhook");
  const ex = excerpt(text, m.find(text)!);
  assertEquals(ex.text, "first line then the Stripe webhook handler is added");
  const [s, e] = ex.match;
  assertEquals(ex.text.slice(s, e), "Stripe webhook");
});

Deno.test("a long text is cut on both sides, with an ellipsis where it was", () => {
  const text = "a".repeat(500) + " needle " + "b".repeat(500);
  const ex = excerpt(text, plainMatcher("needle").find(text)!, 20);
  assert(ex.text.startsWith("…") && ex.text.endsWith("…"), ex.text);
  assertEquals(ex.text.slice(ex.match[0], ex.match[1]), "needle");
  assert(ex.text.length < 60, ex.text);
});

Deno.test("matchingRecords parses only the index lines the text is in, and checks each", () => {
  const records = [
    { t: "2026-11-01T00:00:00.000Z", k: "p", f: 0, x: 'Add the "stripe" webhook' },
    { t: "2026-11-02T00:00:00.000Z", k: "a", f: 0, x: "Done: the STRIPE webhook is in." },
    { t: "2026-11-03T00:00:00.000Z", k: "p", f: 0, x: "stripe\nwebhook, on two lines" },
  ];
  const index = records.map((r) => JSON.stringify(r)).join("\n") + "\nnot json stripe\n";
  assertEquals(
    matchingRecords(index, plainMatcher("stripe webhook")).map((f) => f.record.t),
    ["2026-11-02T00:00:00.000Z"],
  );
  assertEquals(matchingRecords(index, plainMatcher('"stripe"')).length, 1);
  assertEquals(matchingRecords(index, plainMatcher("stripe\nwebhook")).length, 1);
  assertEquals(matchingRecords(index, regexMatcher("stripe\\W+webhook")).length, 3);
  // The time and kind fields are not text: "2026" is in every line, in none of the texts.
  assertEquals(matchingRecords(index, plainMatcher("2026")), []);
});

Deno.test("case folds across letters whose lower case is longer or differs: İstanbul is istanbul", () => {
  const text = 'Flights to İSTANBUL and "İstanbul" hotels';
  const plain = plainMatcher("istanbul");
  assertEquals(plain.find(text), [11, 19]);
  assertEquals(plainMatcher("İstanbul").find("via istanbul"), [4, 12]);
  assertEquals(regexMatcher("i̇?stanbul").find("İstanbul"), [0, 8]);
  assertEquals(regexMatcher("İstan").find("to istanbul"), [3, 8]);
  assertEquals(plainMatcher("οδοσ").find("ΟΔΟΣ"), [0, 4], "final sigma as sigma");
  // An index line holding it is found by the quick look, and its record by the match.
  const index = JSON.stringify({ t: null, k: "p", f: 0, x: text }) + "\n";
  const [one] = matchingRecords(index, plain);
  assertEquals(text.slice(...one.match), "İSTANBUL");
  assertEquals(matchingRecords(index, plainMatcher("İstanbul")).length, 1);
});

Deno.test("folded keeps every character's length, so a match's offsets are the text's", () => {
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    if (folded(c).length !== c.length) throw new Error(`U+${cp.toString(16)} changes length`);
  }
  assertEquals(folded("İSTANBUL ſ µ"), "istanbul s μ");
});

Deno.test("a refused pattern is said back on one bounded line", () => {
  const error = assertThrows(() => regexMatcher(`(${"a".repeat(100_000)}\n`));
  assert(error.message.startsWith('"(aaa'), error.message.slice(0, 20));
  assert(error.message.length < 400, `${error.message.length} characters`);
  assertEquals(error.message.includes("\n"), false);
});

Deno.test("requiredText: every text a pattern matches holds it, over generated patterns", () => {
  let state = 0x2545f491;
  const pick = <T>(from: readonly T[]): T => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return from[(state >>> 0) % from.length];
  };
  const atoms = ["a", "b", "c", "A", "ſ", "K", "İ", "ß", "ς", "😀", " ", "\\.", "\\(", ".", "[ab]"]
    .concat(["(a|bc)", "\\d", "\\b", "\\u0041", "\\x61", "(?:ab)", "(?=a)", "[\\]a]", "\\p{L}"]);
  const quantifiers = ["", "", "", "", "?", "*", "+", "{2}", "{0,2}", "+?"];
  const letters = ["a", "b", "c", "A", "s", "ſ", "k", "K", "i", "İ", "ß", "ẞ", "σ", "ς", "Σ", "😀"]
    .concat([" ", ".", "(", "]", "1"]);
  let tested = 0;
  for (let i = 0; i < 10000; i++) {
    const pattern = Array.from({ length: 3 + i % 4 }, () => pick(atoms) + pick(quantifiers)).join(
      "",
    );
    let re: RegExp;
    try {
      re = new RegExp(pattern.replace(/\u0130/g, "i"), "iu");
    } catch {
      continue;
    }
    const required = requiredText(pattern);
    if (required === null) continue;
    for (let k = 0; k < 20; k++) {
      const around = Array.from({ length: k % 7 }, () => pick(letters)).join("");
      const text = folded(k % 2 ? around : `${around}${required}${pick(letters)}`);
      if (!re.test(text)) continue;
      tested++;
      assert(text.includes(folded(required)), `${pattern} matched ${text} without ${required}`);
    }
  }
  assert(tested > 500, `${tested} matches tested`);
});
