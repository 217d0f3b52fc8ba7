import { assertEquals } from "../../../tests/assert.ts";
import { blockHasMcp, blockTrust, readTheirs, withBlock, withoutBlock } from "./config_toml.ts";

const block = {
  trust: [{ key: "/h/.codex/hooks.json:stop:0:0", hash: "sha256:ab" }],
  mcp: { command: "mpm", args: ["mcp"] },
};

Deno.test("config.toml: mpm's block goes at the end and comes away byte for byte", () => {
  for (const theirs of ["", 'model = "o3"\n', 'model = "o3"', "[a]\nb = 1\n\n"]) {
    const with_ = withBlock(theirs, block);
    assertEquals(withoutBlock(with_), theirs);
    assertEquals([...blockTrust(with_)], [["/h/.codex/hooks.json:stop:0:0", "sha256:ab"]]);
    assertEquals(blockHasMcp(with_), true);
    // Installed again: the same text.
    assertEquals(withBlock(with_, block), with_);
  }
});

Deno.test("config.toml: tables Codex wrote after mpm's block stay at uninstall", () => {
  const with_ = withBlock('model = "o3"\n', block) + '[hooks.state."k"]\ntrusted_hash = "x"\n';
  assertEquals(withoutBlock(with_), 'model = "o3"\n[hooks.state."k"]\ntrusted_hash = "x"\n');
});

Deno.test("config.toml: the person's own trust, mpm server and inline tables are seen", () => {
  const theirs = readTheirs(
    '[hooks.state."/h/hooks.json:stop:0:0"]\ntrusted_hash = "sha256:cd"\n' +
      '[mcp_servers.mpm]\ncommand = "other"\n',
  );
  assertEquals([...theirs.trusted], [["/h/hooks.json:stop:0:0", "sha256:cd"]]);
  assertEquals(theirs.mcp, '"other"');
  assertEquals(theirs.clash, undefined);
  assertEquals(
    readTheirs("hooks = { state = {} }\n").clash?.startsWith("hooks is set inline"),
    true,
  );
});
