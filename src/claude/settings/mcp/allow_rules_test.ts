import { assertEquals } from "../../../../tests/assert.ts";
import {
  ALLOW,
  mcpToolRule,
  PERMISSIONS,
  withAllowRules,
  withoutAllowRules,
} from "./allow_rules.ts";

const RULES = [mcpToolRule("mpm", "search"), mcpToolRule("mpm", "current_work")];

/** Adds the rules, checks what JSON.parse reads, removes them and checks the bytes came back. */
function roundTrip(before: string, expectAdded: string[]) {
  const added = withAllowRules(before, RULES)!;
  assertEquals(added.added, expectAdded);
  for (const rule of RULES) {
    assertEquals(JSON.parse(added.text).permissions.allow.includes(rule), true);
  }
  assertEquals(withoutAllowRules(added.text, added.added), before);
  return added.text;
}

Deno.test("allow rules: a file without permissions gets them, and loses them byte for byte", () => {
  const text = roundTrip('{\n  "hooks": {}\n}\n', [PERMISSIONS, ALLOW, ...RULES]);
  assertEquals(
    JSON.parse(text).permissions,
    { allow: ["mcp__mpm__search", "mcp__mpm__current_work"] },
  );
});

Deno.test("allow rules: the person's permissions and rules stay, theirs and ours apart", () => {
  roundTrip('{\n  "permissions": {\n    "deny": ["Bash(rm:*)"]\n  }\n}\n', [ALLOW, ...RULES]);
  roundTrip(
    '{\n  "permissions": {\n    "allow": ["Bash(ls:*)"]\n  },\n  "model": "x"\n}\n',
    RULES,
  );
  roundTrip('{"permissions": {"allow": []}}\n', RULES);
});

Deno.test("allow rules: a rule the person had is not added, and so never removed", () => {
  const before = '{\n  "permissions": {\n    "allow": ["mcp__mpm__search"]\n  }\n}\n';
  const added = withAllowRules(before, RULES)!;
  assertEquals(added.added, ["mcp__mpm__current_work"]);
  const after = withoutAllowRules(added.text, added.added);
  assertEquals(after, before);
  // Every rule there already: nothing added, the text as it was.
  assertEquals(withAllowRules(added.text, RULES), { text: added.text, added: [] });
});

Deno.test("allow rules: permissions the person emptied since are kept when not ours", () => {
  const before = '{\n  "permissions": {}\n}\n';
  const added = withAllowRules(before, RULES)!;
  assertEquals(added.added, [ALLOW, ...RULES]);
  assertEquals(withoutAllowRules(added.text, added.added), before);
});

Deno.test("allow rules: a shape Claude Code would not read is left as it is", () => {
  assertEquals(withAllowRules('{"permissions": []}', RULES), null);
  assertEquals(withAllowRules('{"permissions": {"allow": "x"}}', RULES), null);
  assertEquals(withAllowRules("not json", RULES), null);
  assertEquals(withoutAllowRules("not json", RULES), "not json");
});
