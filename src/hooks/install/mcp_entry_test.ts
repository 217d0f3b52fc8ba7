import { assertEquals } from "../../../tests/assert.ts";
import {
  mcpEntry,
  withMcpApproved,
  withMcpServer,
  withoutMcpApproval,
  withoutMcpServer,
} from "./mcp_entry.ts";

Deno.test(".mcp.json: mpm's server added beside others, found again, and taken away alone", () => {
  const added = withMcpServer(undefined);
  assertEquals(added, {
    text: JSON.stringify({ mcpServers: { mpm: mcpEntry() } }, null, 2) + "\n",
    changed: true,
  });
  const theirs = JSON.stringify({ mcpServers: { db: { command: "db-mcp" } } });
  const both = withMcpServer(theirs);
  if (!("text" in both)) throw new Error("refused");
  assertEquals(Object.keys(JSON.parse(both.text).mcpServers), ["db", "mpm"]);
  assertEquals(withMcpServer(both.text), { text: both.text, changed: false });
  assertEquals(JSON.parse(withoutMcpServer(both.text)!), JSON.parse(theirs));
  // Only mpm's entry was there: the file goes.
  assertEquals(withoutMcpServer((added as { text: string }).text), undefined);
  // Nothing of mpm's: nothing to do.
  assertEquals(withoutMcpServer(theirs), null);
});

Deno.test(".mcp.json: a server of the person's named mpm, or a file that is not JSON, is left alone", () => {
  const own = JSON.stringify({ mcpServers: { mpm: { command: "my-mpm" } } });
  assertEquals(withMcpServer(own), { problem: 'its own "mpm" server is there' });
  assertEquals(withoutMcpServer(own), null);
  assertEquals(withMcpServer("{not json"), { problem: "it is not a JSON object" });
});

Deno.test("settings: mpm's server approved once, and the approval taken away alone", () => {
  const approved = withMcpApproved('{"enabledMcpjsonServers": ["db"]}');
  assertEquals(JSON.parse(approved!).enabledMcpjsonServers, ["db", "mpm"]);
  assertEquals(withMcpApproved(approved), approved);
  assertEquals(JSON.parse(withoutMcpApproval(approved)!).enabledMcpjsonServers, ["db"]);
  assertEquals(JSON.parse(withoutMcpApproval(withMcpApproved("{}"))!), {});
  assertEquals(withMcpApproved("not json"), "not json");
});

Deno.test("settings: the approval is edited in place, and taking it away gives the file back", () => {
  const original = '{\n  "permissions": { "allow": ["Bash(npm test:*)"] }\n}\n';
  const approved = withMcpApproved(original)!;
  assertEquals(
    approved,
    '{\n  "permissions": { "allow": ["Bash(npm test:*)"] },\n  "enabledMcpjsonServers": [\n    "mpm"\n  ]\n}\n',
  );
  assertEquals(withoutMcpApproval(approved), original);
});
