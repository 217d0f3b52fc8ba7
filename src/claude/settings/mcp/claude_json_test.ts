import { assert, assertEquals } from "../../../../tests/assert.ts";
import {
  claudeJsonPath,
  localServers,
  withLocalServer,
  withoutLocalServer,
} from "./claude_json.ts";

const ENTRY = { type: "stdio", command: "sh", args: ["-c", "exec mpm mcp"], env: {} };
const same = (value: unknown) => JSON.stringify(value) === JSON.stringify(ENTRY);
const P = "/home/ada/shop";

/** As Claude Code writes it: JSON.stringify with two spaces, no newline at the end. */
const claudeText = (value: unknown) => JSON.stringify(value, null, 2);

const SHAPES: Record<string, unknown> = {
  "no projects": { numStartups: 3, userID: "abc" },
  "no entry for the project": { projects: { "/other": { mcpServers: {} } } },
  "an entry without mcpServers": { projects: { [P]: { allowedTools: [] } } },
  "an entry as Claude Code makes it": {
    numStartups: 1,
    projects: {
      [P]: {
        allowedTools: [],
        mcpServers: {},
        enabledMcpjsonServers: [],
        hasTrustDialogAccepted: true,
      },
    },
  },
  "other servers of the person's": {
    projects: { [P]: { mcpServers: { db: { command: "pg-mcp", args: [] } } } },
  },
};

for (const [name, value] of Object.entries(SHAPES)) {
  Deno.test(`~/.claude.json with ${name}: the server added in Claude Code's layout, removed byte for byte`, () => {
    const before = claudeText(value);
    const edit = withLocalServer(before, P, "mpm", ENTRY, same);
    assert("text" in edit && edit.changed);
    assertEquals(edit.text, claudeText(JSON.parse(edit.text)));
    assertEquals(localServers(edit.text, P)?.mpm, ENTRY);
    // Again: nothing to do.
    const again = withLocalServer(edit.text, P, "mpm", ENTRY, same);
    assert("text" in again && !again.changed && again.text === edit.text);
    assertEquals(withoutLocalServer(edit.text, P, "mpm", same, edit.added), before);
  });
}

Deno.test("~/.claude.json missing: made with the server, and gone again when nothing else came", () => {
  const edit = withLocalServer(undefined, P, "mpm", ENTRY, same);
  assert("text" in edit);
  assertEquals(localServers(edit.text, P)?.mpm, ENTRY);
  assertEquals(withoutLocalServer(edit.text, P, "mpm", same, edit.added), undefined);
});

Deno.test("~/.claude.json: what Claude Code adds meanwhile stays when mpm's server goes", () => {
  const edit = withLocalServer(claudeText({ projects: {} }), P, "mpm", ENTRY, same);
  assert("text" in edit);
  const data = JSON.parse(edit.text);
  data.projects[P].allowedTools = [];
  data.numStartups = 2;
  const after = withoutLocalServer(claudeText(data), P, "mpm", same, edit.added);
  assertEquals(JSON.parse(after!), {
    projects: { [P]: { allowedTools: [] } },
    numStartups: 2,
  });
});

Deno.test("~/.claude.json: a server of the person's named mpm is neither replaced nor removed", () => {
  const theirs = claudeText({ projects: { [P]: { mcpServers: { mpm: { command: "mine" } } } } });
  assert("problem" in withLocalServer(theirs, P, "mpm", ENTRY, same));
  assertEquals(withoutLocalServer(theirs, P, "mpm", same, []), null);
  assert("problem" in withLocalServer("[1]", P, "mpm", ENTRY, same));
});

Deno.test("~/.claude.json that is not valid JSON is told as such, with where, not as a wrong shape", () => {
  const broken = withLocalServer('{"projects":{}},', P, "mpm", ENTRY, same);
  assert("problem" in broken);
  assertEquals(
    broken.invalidJson,
    "unexpected text after the end of the JSON value at line 1, column 16",
  );
  const array = withLocalServer("[1]", P, "mpm", ENTRY, same);
  assert("problem" in array);
  assertEquals(array, { problem: "it is not a JSON object" });
});

Deno.test("~/.claude.json is in CLAUDE_CONFIG_DIR when that is set", () => {
  assertEquals(claudeJsonPath("/home/ada", {}), "/home/ada/.claude.json");
  assertEquals(claudeJsonPath("/home/ada", { CLAUDE_CONFIG_DIR: "/cfg" }), "/cfg/.claude.json");
});
