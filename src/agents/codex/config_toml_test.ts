import { assertEquals } from "../../../tests/assert.ts";
import { join } from "../../kernel/path.ts";
import {
  blockHasMcp,
  blockTrust,
  CODEX_MCP,
  readTheirs,
  withBlock,
  withoutBlock,
} from "./config_toml.ts";

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
  assertEquals(theirs.mcp, "other");
  assertEquals(theirs.clash, undefined);
  assertEquals(
    readTheirs("hooks = { state = {} }\n").clash?.startsWith("hooks is set inline"),
    true,
  );
});

Deno.test("config.toml: Codex's mpm server is found in one shell, with no process of its own", async () => {
  // The shell execs mpm: `command -v` is the shell's own, not a `$(…)` that forks.
  assertEquals(CODEX_MCP.command, "sh");
  assertEquals(CODEX_MCP.args.join(" ").includes("$("), false);
  const dir = await Deno.makeTempDir();
  try {
    const program = async (path: string, name: string) => {
      await Deno.mkdir(join(path, ".."), { recursive: true });
      await Deno.writeTextFile(path, `#!/bin/sh\necho "${name} $*"\n`, { mode: 0o755 });
    };
    await program(join(dir, "given", "mpm"), "MPM_BIN");
    await program(join(dir, "path", "mpm"), "PATH");
    await program(join(dir, "home", ".local", "bin", "mpm"), "local");
    const run = async (env: Record<string, string>) => {
      const out = await new Deno.Command(CODEX_MCP.command, {
        args: [...CODEX_MCP.args],
        clearEnv: true,
        env: { PATH: "/usr/bin:/bin", HOME: join(dir, "home"), ...env },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
      return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
    };
    const onPath = `${join(dir, "path")}:/usr/bin:/bin`;
    assertEquals(
      (await run({ MPM_BIN: join(dir, "given", "mpm"), PATH: onPath })).stdout,
      "MPM_BIN mcp",
    );
    assertEquals((await run({ MPM_BIN: join(dir, "nothing"), PATH: onPath })).stdout, "PATH mcp");
    assertEquals((await run({})).stdout, "local mcp");
    const none = await run({ HOME: join(dir, "nobody") });
    assertEquals(none.code, 1);
    assertEquals(none.stderr, "mpm mcp: mpm is not installed (put it on PATH or set MPM_BIN).");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The person's config with mpm's block as install writes it. */
const mine = (theirs: string) =>
  withBlock(theirs, {
    trust: [{ key: "/h/.codex/hooks.json:stop:0:0", hash: "sha256:ab" }],
    mcp: CODEX_MCP,
    created: ["/h/.codex/hooks.json"],
  });

Deno.test("config.toml: a table Codex adds inside mpm's block stays at uninstall and reinstall", () => {
  // `codex features enable` (or a project trusted at Codex's first start) puts its new table
  // before the block's last line, a comment Codex keeps at the file's end.
  const installed = mine('model = "o3"\n');
  const end = installed.lastIndexOf("# <<< mpm");
  const edited = installed.slice(0, end) + "\n[features]\nplan = true\n" + installed.slice(end);
  assertEquals(withoutBlock(edited), 'model = "o3"\n\n[features]\nplan = true\n');
  const again = mine(edited);
  assertEquals(withoutBlock(again), 'model = "o3"\n\n[features]\nplan = true\n');
  assertEquals(mine(again), again);
});

Deno.test("config.toml: mpm's server that Codex moved out of the block is still mpm's", () => {
  // What `codex mcp add` (0.169.0) leaves: the servers together, mpm's args a literal string.
  const finder = CODEX_MCP.args[1];
  const moved = '# mine\nmodel = "o3"\n\n[mcp_servers.other]\ncommand = "foo"\n\n' +
    `[mcp_servers.mpm]\ncommand = "sh"\nargs = ["-c", '${finder}', "mpm-mcp"]\n` +
    'env_vars = ["MPM_BIN"]\n\n[mcp_servers.added]\ncommand = "/bin/true"\n' +
    withBlock("", { trust: [{ key: "/h/hooks.json:stop:0:0", hash: "sha256:ab" }] });
  assertEquals(readTheirs(moved).mcp, undefined);
  assertEquals(blockHasMcp(moved), true);
  assertEquals(
    withoutBlock(moved),
    '# mine\nmodel = "o3"\n\n[mcp_servers.other]\ncommand = "foo"\n\n' +
      '[mcp_servers.added]\ncommand = "/bin/true"\n',
  );
  // Installed again: one server, in the block.
  const again = mine(moved);
  assertEquals(again.split("[mcp_servers.mpm]").length, 2);
  // A server of that name with another command is the person's.
  const theirs = moved.replace('command = "sh"', 'command = "bash"');
  assertEquals(readTheirs(theirs).mcp?.startsWith("bash -c"), true);
});

Deno.test("config.toml: trust Codex wrote in the block for the person's own hook stays", () => {
  const installed = mine('model = "o3"\n');
  const end = installed.lastIndexOf("# <<< mpm");
  const edited = installed.slice(0, end) +
    '[hooks.state."/h/.codex/hooks.json:session_start:0:0"]\ntrusted_hash = "sha256:cd"\n' +
    installed.slice(end);
  const theirs = new Set(["/h/.codex/hooks.json:session_start:0:0"]);
  assertEquals(
    withoutBlock(edited, theirs),
    'model = "o3"\n[hooks.state."/h/.codex/hooks.json:session_start:0:0"]\n' +
      'trusted_hash = "sha256:cd"\n',
  );
  assertEquals([...blockTrust(edited, theirs).keys()], ["/h/.codex/hooks.json:stop:0:0"]);
  assertEquals(
    readTheirs(edited, theirs).trusted.get("/h/.codex/hooks.json:session_start:0:0"),
    "sha256:cd",
  );
});

Deno.test("config.toml: CRLF files get a CRLF block, and come back byte for byte", () => {
  for (const theirs of ['model = "o3"\r\n', '\ufeffmodel = "o3"\r\n# end', "a = 1\r\n\r\n"]) {
    const installed = mine(theirs);
    assertEquals(installed.slice(theirs.length).replace(/\r\n/g, "").includes("\n"), false);
    assertEquals(withoutBlock(installed), theirs);
    assertEquals(mine(installed), installed);
  }
  // A file an editor turned to CRLF after install still comes away.
  const lf = mine('model = "o3"\n');
  assertEquals(withoutBlock(lf.replace(/\n/g, "\r\n")), 'model = "o3"\r\n');
});

Deno.test("config.toml: a [table] inside a multi-line string is no table of mpm's", () => {
  const theirs = 'notes = """\n# >>> mpm: trusts mpm\'s Codex hooks and registers mpm mcp\n' +
    '[mcp_servers.mpm]\n"""\n';
  assertEquals(readTheirs(theirs).mcp, undefined);
  assertEquals(withoutBlock(mine(theirs)), theirs);
});
