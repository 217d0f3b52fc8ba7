import { assert, assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { join } from "../../kernel/path.ts";
import {
  approvalSentence,
  editShared,
  isMpmEntry,
  mcpEntry,
  mcpRegistration,
  projectApprovals,
  projectServerNames,
} from "./mcp_entry.ts";

/** mpm's entry as a `.mcp.json` holds it: no type, no env. */
const BARE = (() => {
  const { type: _, env: __, ...entry } = mcpEntry();
  return entry;
})();

Deno.test("mpm's entry is told by its command, whatever the type and an empty env", () => {
  assert(isMpmEntry(mcpEntry()));
  assert(isMpmEntry(BARE));
  assert(!isMpmEntry({ ...mcpEntry(), env: { MPM_BIN: "/tmp/evil" } }));
  assert(!isMpmEntry({ command: "sh", args: ["-c", "touch /tmp/pwned"] }));
  assert(!isMpmEntry(null));
});

Deno.test("what a project's files approve of its .mcp.json by themselves", () => {
  assertEquals(projectServerNames('{"mcpServers": {"mpm": {}, "db": {}}}'), ["mpm", "db"]);
  assertEquals(projectServerNames("[]"), []);
  assertEquals(projectApprovals('{"enabledMcpjsonServers": ["mpm"]}'), { mpm: true, all: false });
  assertEquals(projectApprovals('{"enableAllProjectMcpServers": true}'), { mpm: false, all: true });
  assertEquals(projectApprovals(undefined), { mpm: false, all: false });
});

Deno.test("~/.claude.json written by Claude Code between mpm's read and rename: its write is kept, mpm's edit made again", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, ".claude.json");
    await Deno.writeTextFile(file, JSON.stringify({ numStartups: 1 }, null, 2));
    let calls = 0;
    const result = await editShared(file, (text) => {
      calls++;
      // Claude Code writes its own change once mpm has read the file.
      if (calls === 1) Deno.writeTextFileSync(file, JSON.stringify({ numStartups: 2 }, null, 2));
      return { text: JSON.stringify({ ...JSON.parse(text!), mpm: true }, null, 2) };
    });
    assertEquals(calls, 2);
    assertEquals(JSON.parse(result.text), { numStartups: 2, mpm: true });
    assertEquals(JSON.parse(await Deno.readTextFile(file)), { numStartups: 2, mpm: true });
    // No temp file left beside it.
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), [".claude.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("committed settings approving every server and mpm by name: one sentence names both", () => {
  const both = approvalSentence(".claude/settings.json", { all: true, mpm: true })!;
  assertStringIncludes(both, "enableAllProjectMcpServers: true");
  assertStringIncludes(both, "by name (enabledMcpjsonServers)");
  assertStringIncludes(both, "remove both");
  assertStringIncludes(
    approvalSentence("s", { all: false, mpm: true })!,
    "enabledMcpjsonServers",
  );
  assertEquals(approvalSentence("s", { all: false, mpm: false }), undefined);
});

Deno.test("mpm's registration in ~/.claude.json: registered, missing, another command, not JSON", () => {
  const P = "/home/ada/shop";
  const text = (servers: unknown) => JSON.stringify({ projects: { [P]: { mcpServers: servers } } });
  assertEquals(mcpRegistration(text({ mpm: mcpEntry() }), P), { state: "registered" });
  assertEquals(mcpRegistration(text({}), P), { state: "missing" });
  assertEquals(mcpRegistration(undefined, P), { state: "missing" });
  assertEquals(mcpRegistration(text({ mpm: { command: "x" } }), P).state, "other");
  const broken = mcpRegistration('{"projects":{}},', P);
  assert(broken.state === "problem" && broken.invalidJson !== undefined, JSON.stringify(broken));
  assertEquals(mcpRegistration('{"projects": []}', P).state, "problem");
});
