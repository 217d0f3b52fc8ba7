/**
 * scripts/build/install.sh, run under dash (else sh) against a local folder laid out like a
 * release. The "binaries" are small shell scripts, and a fake `uname` decides which machine this
 * is.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { ROOT, runProcess, tempDir } from "../helpers.ts";

const INSTALL = join(ROOT, "scripts", "build", "install.sh");
const POSIX = Deno.build.os !== "windows";

function which(tool: string): string | undefined {
  if (!POSIX) return undefined;
  const out = new Deno.Command("sh", { args: ["-c", `command -v ${tool}`], stdout: "piped" })
    .outputSync();
  return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
}

const SHELL = which("dash") ?? which("sh");
const LINUX_ASSET = "mpm-x86_64-unknown-linux-gnu";
const FAKE = "#!/bin/sh\necho 'mpm 9.9.9 (fake build)'\n";

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

interface Setup {
  release: string;
  home: string;
  dir: string;
  bin: string;
  /** TMPDIR for the script: what it leaves there is what it failed to clean up. */
  tmp: string;
}

/** A release folder holding `assets` (name -> content) and a SHA256SUMS over `listed`. */
async function setup(
  root: string,
  assets: Record<string, string>,
  listed: Record<string, string> = assets,
): Promise<Setup> {
  const s = {
    release: join(root, "release"),
    home: join(root, "home"),
    dir: join(root, "home", "bin-target"),
    bin: join(root, "fakebin"),
    tmp: join(root, "tmp"),
  };
  for (const d of [s.release, s.home, s.bin, s.tmp]) await Deno.mkdir(d, { recursive: true });
  for (const [name, text] of Object.entries(assets)) {
    await Deno.writeTextFile(join(s.release, name), text);
  }
  const sums = await Promise.all(
    Object.entries(listed).map(async ([name, text]) => `${await sha256Hex(text)}  ${name}`),
  );
  await Deno.writeTextFile(join(s.release, "SHA256SUMS"), sums.join("\n") + "\n");
  await Deno.writeTextFile(
    join(s.bin, "uname"),
    '#!/bin/sh\ncase "$1" in -s) echo "$FAKE_OS" ;; -m) echo "$FAKE_ARCH" ;; esac\n',
    { mode: 0o755 },
  );
  return s;
}

async function install(
  s: Setup,
  options: { os?: string; arch?: string; path?: string; onPath?: boolean; noHome?: boolean } = {},
) {
  const path = options.path ?? `${s.bin}:${Deno.env.get("PATH")}`;
  return await runProcess(SHELL!, [INSTALL], {
    env: {
      PATH: options.onPath ? `${s.dir}:${path}` : path,
      TMPDIR: s.tmp,
      SHELL: "/bin/bash",
      FAKE_OS: options.os ?? "Linux",
      FAKE_ARCH: options.arch ?? "x86_64",
      MPM_INSTALL_BASE: `file://${s.release}`,
      ...(options.noHome ? {} : { HOME: s.home, MPM_INSTALL_DIR: s.dir }),
    },
  });
}

async function listing(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

const ignore = SHELL === undefined;

Deno.test({
  name: "install.sh installs the verified binary, 0755, and says how to put it on PATH",
  ignore,
  fn: async () => {
    await using tmp = await tempDir();
    const s = await setup(tmp.path, { [LINUX_ASSET]: FAKE, "mpm-aarch64-apple-darwin": "other" });
    const out = await install(s);
    assertEquals(out.code, 0, out.stderr);
    assertEquals(await Deno.readTextFile(join(s.dir, "mpm")), FAKE);
    assertEquals((await Deno.stat(join(s.dir, "mpm"))).mode! & 0o777, 0o755);
    assertEquals(await listing(s.dir), ["mpm"]);
    assertStringIncludes(out.stdout, `Installed mpm 9.9.9 (fake build) to ${s.dir}/mpm`);
    assertStringIncludes(out.stdout, `${s.dir} is not on your PATH`);
    assertStringIncludes(out.stdout, `export PATH="${s.dir}:$PATH"' >> ~/.bashrc`);
    assertStringIncludes(out.stdout, `Next, in your project: ${s.dir}/mpm hooks install`);

    const again = await install(s, { onPath: true });
    assertEquals(again.code, 0, again.stderr);
    assert(!again.stdout.includes("not on your PATH"), again.stdout);
    assertStringIncludes(again.stdout, "Next, in your project: mpm hooks install");
  },
});

Deno.test({
  name: "install.sh refuses a corrupted download and installs nothing",
  ignore,
  fn: async () => {
    await using tmp = await tempDir();
    const s = await setup(tmp.path, { [LINUX_ASSET]: FAKE + "# tampered\n" }, {
      [LINUX_ASSET]: FAKE,
    });
    const out = await install(s);
    assertEquals(out.code, 1);
    assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
    assertStringIncludes(out.stderr, `the checksum of ${LINUX_ASSET} does not match SHA256SUMS`);
    assertEquals(await listing(s.dir), []);
    assertEquals(await listing(s.tmp), []);
  },
});

Deno.test({
  name: "install.sh stops when the asset or its checksum is missing",
  ignore,
  fn: async () => {
    await using tmp = await tempDir();
    const s = await setup(tmp.path, { "mpm-x86_64-apple-darwin": FAKE }, {});
    const missing = await install(s);
    assertEquals(missing.code, 1);
    assertStringIncludes(missing.stderr, `could not download file://${s.release}/${LINUX_ASSET}.`);
    const unlisted = await install(s, { os: "Darwin" });
    assertEquals(unlisted.code, 1);
    assertStringIncludes(unlisted.stderr, "SHA256SUMS has no checksum for mpm-x86_64-apple-darwin");
    assertEquals(await listing(s.dir), []);
  },
});

Deno.test({
  name: "install.sh without HOME or MPM_INSTALL_DIR says which to set, in one line",
  ignore,
  fn: async () => {
    await using tmp = await tempDir();
    const s = await setup(tmp.path, { [LINUX_ASSET]: FAKE });
    const out = await install(s, { noHome: true });
    assertEquals(out.code, 1);
    assertEquals(
      out.stderr,
      "mpm install: HOME is not set; set MPM_INSTALL_DIR to the folder mpm should go in.\n",
    );
    assertEquals(await listing(s.tmp), []);
  },
});

Deno.test({
  name: "install.sh picks the asset for each OS and processor",
  ignore,
  fn: async () => {
    await using tmp = await tempDir();
    const s = await setup(tmp.path, {});
    const cases: [string, string, string][] = [
      ["Linux", "aarch64", "mpm-aarch64-unknown-linux-gnu"],
      ["Linux", "arm64", "mpm-aarch64-unknown-linux-gnu"],
      ["Darwin", "arm64", "mpm-aarch64-apple-darwin"],
      ["Darwin", "x86_64", "mpm-x86_64-apple-darwin"],
      ["MINGW64_NT-10.0-19045", "x86_64", "mpm-x86_64-pc-windows-msvc.exe"],
      ["Linux", "amd64", LINUX_ASSET],
      ["Linux", "riscv64", "there is no mpm binary for the riscv64 processor."],
      ["SunOS", "x86_64", "there is no mpm binary for SunOS."],
    ];
    for (const [os, arch, expected] of cases) {
      const out = await install(s, { os, arch });
      assertEquals(out.code, 1, `${os} ${arch}`);
      assertStringIncludes(out.stderr + out.stdout, expected);
    }
  },
});

Deno.test({
  name: "install.sh works without curl or sha256sum (copy for file://, shasum -a 256)",
  ignore: ignore || !which("shasum"),
  fn: async () => {
    await using tmp = await tempDir();
    const s = await setup(tmp.path, { [LINUX_ASSET]: FAKE });
    const tools = [
      "mktemp",
      "cp",
      "awk",
      "cut",
      "chmod",
      "mv",
      "mkdir",
      "rm",
      "basename",
      "head",
      "shasum",
    ];
    for (const tool of tools) await Deno.symlink(which(tool)!, join(s.bin, tool));
    const out = await install(s, { path: s.bin });
    assertEquals(out.code, 0, out.stderr);
    assertEquals(await Deno.readTextFile(join(s.dir, "mpm")), FAKE);

    await Deno.writeTextFile(join(s.release, LINUX_ASSET), "corrupt");
    const bad = await install(s, { path: s.bin });
    assertEquals(bad.code, 1);
    assertStringIncludes(bad.stderr, "does not match");
    assertEquals(await Deno.readTextFile(join(s.dir, "mpm")), FAKE);
  },
});

Deno.test({
  name: "install.sh cut short in transit runs nothing: its work is one function called last",
  ignore,
  fn: async () => {
    await using tmp = await tempDir();
    const s = await setup(tmp.path, { [LINUX_ASSET]: FAKE });
    const script = await Deno.readTextFile(INSTALL);
    assertEquals(script.trimEnd().split("\n").at(-1), 'install_mpm "$@"');
    // Every prefix that stops before the last line defines functions and does nothing.
    const cut = join(tmp.path, "cut.sh");
    await Deno.writeTextFile(cut, script.slice(0, script.lastIndexOf("install_mpm")));
    const out = await runProcess(SHELL!, [cut], {
      env: { PATH: Deno.env.get("PATH")!, HOME: s.home, MPM_INSTALL_DIR: s.dir },
    });
    assertEquals([out.code, out.stdout, out.stderr], [0, "", ""]);
    assertEquals(await listing(s.dir), []);
  },
});

Deno.test("the README's install line fails loudly when the download fails (no `curl … | sh`)", async () => {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const lines = readme.split("\n").filter((l) => l.includes("install.sh") && l.includes("curl"));
  assert(lines.length > 0);
  for (const line of lines) {
    assert(!/\|\s*(?:ba|da)?sh\b/.test(line), line);
    assertStringIncludes(line, "&& sh install.sh");
  }
});

/** The release folder `s.release`, served over HTTP on 127.0.0.1 for as long as it is held. */
function serve(folder: string): { base: string } & AsyncDisposable {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const name = new URL(req.url).pathname.slice(1);
    try {
      return new Response(await Deno.readFile(join(folder, name)));
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test({
  name: "install.sh from a release served over HTTP: installs only what runs",
  ignore,
  fn: async (t) => {
    await using tmp = await tempDir();
    const s = await setup(tmp.path, { [LINUX_ASSET]: FAKE });
    await using release = serve(s.release);
    const over = (extra: Record<string, string> = {}) =>
      runProcess(SHELL!, [INSTALL], {
        env: {
          PATH: `${s.dir}:${s.bin}:${Deno.env.get("PATH")}`,
          TMPDIR: s.tmp,
          FAKE_OS: "Linux",
          FAKE_ARCH: "x86_64",
          HOME: s.home,
          MPM_INSTALL_DIR: s.dir,
          MPM_INSTALL_BASE: release.base,
          ...extra,
        },
      });

    await t.step("a binary that prints its version is installed, with the next step", async () => {
      const out = await over();
      assertEquals(out.code, 0, out.stderr);
      assertStringIncludes(out.stdout, `Installed mpm 9.9.9 (fake build) to ${s.dir}/mpm`);
      assertStringIncludes(out.stdout, "Next, in your project: mpm hooks install");
      assertStringIncludes(out.stdout, "mpm plugin export --help");
      assertEquals(await listing(s.dir), ["mpm"]);
    });

    const write = async (text: string) => {
      await Deno.writeTextFile(join(s.release, LINUX_ASSET), text);
      await Deno.writeTextFile(
        join(s.release, "SHA256SUMS"),
        `${await sha256Hex(text)}  ${LINUX_ASSET}\n`,
      );
    };

    await t.step("one that cannot run is removed, the old mpm kept, exit 1, one line", async () => {
      await write("#!/bin/sh\nexit 126\n");
      const out = await over();
      assertEquals(out.code, 1, out.stdout);
      assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
      assertStringIncludes(
        out.stderr,
        `mpm install: the downloaded ${LINUX_ASSET} does not run on this machine (the system ` +
          "would not execute it",
      );
      assertStringIncludes(out.stderr, "nothing was installed.");
      assert(!out.stdout.includes("Installed"), out.stdout);
      assertEquals(await Deno.readTextFile(join(s.dir, "mpm")), FAKE);
      assertEquals(await listing(s.dir), ["mpm"]);
      assertEquals(await listing(s.tmp), []);

      await write("#!/bin/sh\necho 'GLIBC_2.34 not found' >&2\nexit 1\n");
      const failing = await over();
      assertEquals(failing.code, 1);
      assertStringIncludes(failing.stderr, "(it exited 1: GLIBC_2.34 not found)");
      assertEquals(await Deno.readTextFile(join(s.dir, "mpm")), FAKE);
    });

    await t.step("a tampered download is refused before it runs", async () => {
      const marker = join(tmp.path, "ran");
      await write(FAKE);
      await Deno.writeTextFile(join(s.release, LINUX_ASSET), `#!/bin/sh\ntouch ${marker}\n`);
      const out = await over();
      assertEquals(out.code, 1);
      assertStringIncludes(out.stderr, `the checksum of ${LINUX_ASSET} does not match SHA256SUMS`);
      assertEquals(await Deno.readTextFile(join(s.dir, "mpm")), FAKE);
      assertEquals(await Deno.stat(marker).then(() => true, () => false), false);
    });
  },
});
