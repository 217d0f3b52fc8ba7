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
  assertEquals(theirs.mcp, '"other"');
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
