import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../tests/assert.ts";
import {
  aliasText,
  frontmatter,
  SHIPPED_SKILLS,
  shippedSkill,
  shortDescription,
} from "./assets.ts";

const SKILLS = join(import.meta.dirname!, "..", "..", "skills");

/** The mpm subcommand each skill may run, and nothing else. */
const ALLOWED: Record<string, string> = {
  "mpm-pause": "Bash(mpm pause:*)",
  "mpm-resume": "Bash(mpm resume:*)",
  "mpm-handoff": "Bash(mpm handoff save:*)",
  "mpm-checkpoint": "Bash(mpm checkpoint save:*)",
  "mpm-branch": "Bash(mpm branch:*)",
  "mpm-return": "Bash(mpm return:*)",
  "mpm-status": "Bash(mpm status:*)",
  "mpm-session-pause": "Bash(mpm pause:*)",
  "mpm-session-resume": "Bash(mpm resume:*)",
};

Deno.test("the embedded skills are the files in skills/, LF only", () => {
  const folders = [...Deno.readDirSync(SKILLS)].map((entry) => entry.name).sort();
  const main = SHIPPED_SKILLS.filter((skill) => !skill.aliasOf);
  assertEquals(main.map((skill) => skill.name).sort(), folders);
  for (const skill of main) {
    assertEquals(skill.text, Deno.readTextFileSync(join(SKILLS, skill.name, "SKILL.md")));
    assert(!skill.text.includes("\r"), `${skill.name} has CR line endings`);
  }
});

Deno.test("each skill's frontmatter: its name, a description, user-invocable, only its mpm command", () => {
  assertEquals(SHIPPED_SKILLS.map((skill) => skill.name).sort(), Object.keys(ALLOWED).sort());
  for (const skill of SHIPPED_SKILLS) {
    const meta = frontmatter(skill.text);
    assertEquals(meta.name, skill.name);
    assertEquals(meta["user-invocable"], true, skill.name);
    assertEquals(meta["allowed-tools"], ALLOWED[skill.name], skill.name);
    assert(typeof meta.description === "string" && meta.description.length > 40, skill.name);
    // Claude Code cuts descriptions in its listing; the first sentence must stand alone.
    assert((meta.description as string).length <= 1024, skill.name);
    if (meta["argument-hint"] !== undefined) assertEquals(typeof meta["argument-hint"], "string");
  }
});

Deno.test("no skill body runs a shell command when Claude Code loads it", () => {
  for (const skill of SHIPPED_SKILLS) {
    // `!` followed by a backquoted command is executed by Claude Code as the skill loads.
    assert(!skill.text.includes("!`"), skill.name);
    // $ARGUMENTS is the only substitution meant; $0, $1… would be replaced by arguments.
    assert(!/\$\d|\$ARGUMENTS\[/.test(skill.text), skill.name);
    assert(!skill.text.includes("${CLAUDE_"), skill.name);
  }
});

Deno.test("the skills that pass free text to mpm do it through a quoted heredoc", () => {
  for (const name of ["mpm-pause", "mpm-branch", "mpm-return", "mpm-handoff"]) {
    const text = shippedSkill(name)!.text;
    assertMatch(text, /--input - <<'MPM_INPUT'\n[a-z_]+: "…"\n(?:[\s\S]*?\n)?MPM_INPUT\n/, name);
    // No "{" before a quote: Claude Code would take it for brace-expansion obfuscation and ask.
    assert(!/\{\s*"/.test(text), name);
  }
  assertStringIncludes(shippedSkill("mpm-pause")!.text, "$ARGUMENTS");
  assertStringIncludes(shippedSkill("mpm-pause")!.text, "next_steps:");
});

Deno.test("every skill tells Claude to show mpm's error and hint as they are", () => {
  for (const skill of SHIPPED_SKILLS) {
    const prose = skill.text.replaceAll(/\s+/g, " ");
    assertStringIncludes(prose, "show its error line verbatim and the hint line", skill.name);
    assertStringIncludes(prose, "Do not guess at a cause", skill.name);
  }
});

Deno.test("an alias is its skill under another name, hidden from the model", () => {
  const alias = shippedSkill("mpm-session-pause")!;
  assertEquals(alias.aliasOf, "mpm-pause");
  const meta = frontmatter(alias.text);
  assertEquals(meta.name, "mpm-session-pause");
  assertEquals(meta["disable-model-invocation"], true);
  assertMatch(String(meta.description), /^Same as \/mpm-pause/);
  const body = (text: string) => text.slice(text.indexOf("\n---\n"));
  assertEquals(body(alias.text), body(shippedSkill("mpm-pause")!.text));
  assertEquals(frontmatter(shippedSkill("mpm-pause")!.text)["disable-model-invocation"], undefined);
});

Deno.test("aliasText refuses a skill without its name line", () => {
  let threw = false;
  try {
    aliasText("---\nname: other\n---\n", "mpm-pause", "x");
  } catch {
    threw = true;
  }
  assert(threw);
});

Deno.test("shortDescription is the first sentence", () => {
  assertEquals(
    shortDescription("---\nname: a\ndescription: One thing. Then more.\n---\nbody\n"),
    "One thing.",
  );
  assertEquals(shortDescription("no frontmatter"), "");
});
