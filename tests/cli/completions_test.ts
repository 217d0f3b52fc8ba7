/**
 * `mpm completions bash|zsh|fish`: each script is loaded in its real shell and asked for
 * completions the way the shell asks when the user presses Tab. Expectations come from the
 * command tree itself, so commands added later are covered without editing this file.
 */
import { delimiter, join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { DENO_DIR, HANG_GUARD_MS, mpm, type Repo, withRepo, writeMpmProgram } from "../helpers.ts";
import { root as registry } from "../../src/commands.ts";
import { type Command, helpText, loadTree } from "../../src/cli/command.ts";
import { completionNodes, offered } from "../../src/completions/nodes.ts";
import { completionScript, SHELLS } from "../../src/completions/completions_command.ts";

const POSIX = Deno.build.os !== "windows";

function installed(shell: string): boolean {
  if (!POSIX) return false;
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${shell}`], stdout: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** The registry's entries are lazy; the completions see the whole tree, loaded. */
const root = await loadTree(registry);
const SESSIONS = ["session-20251020-143022", "session-20251021-090000"];
const topLevel = (root.subcommands ?? []).filter(offered).map((c) => c.name);
/** A leaf command with options of its own, and the long spellings of those options. */
const withFlags = (root.subcommands ?? []).find((c) =>
  !c.subcommands && (c.flags?.length ?? 0) >= 2
)!;
const longFlags = [...(withFlags.flags ?? []).map((f) => `--${f.name}`), "--help", "--color"];
/** A command with subcommands of its own. */
const nested = (root.subcommands ?? []).find((c) => c.subcommands?.some(offered));
/** A leaf command with an option whose values are a fixed list. */
const choice =
  (root.subcommands ?? []).flatMap((c) =>
    (c.flags ?? []).filter((f) => Array.isArray(f.complete)).map((f) => ({ command: c, flag: f }))
  )[0];
/** A command whose first argument is completed with session ids. */
const takesSession = (root.subcommands ?? []).find((c) => c.args?.[0]?.complete === "sessions");

interface Fixture extends AsyncDisposable {
  repo: Repo;
  script: (shell: string) => string;
  env: Record<string, string>;
}

/** A project with two paused sessions, `mpm` on PATH, and the three scripts written out. */
async function fixture(): Promise<Fixture> {
  const repo = await withRepo();
  for (const id of SESSIONS) await repo.write(`.claude-mpm/sessions/${id}.json`, "{}\n");
  const bin = join(repo.home, "bin");
  await Deno.mkdir(bin, { recursive: true });
  await writeMpmProgram(join(bin, "mpm"));
  const env = {
    PATH: `${bin}${delimiter}${Deno.env.get("PATH")}`,
    HOME: repo.home,
    DENO_DIR,
    XDG_CONFIG_HOME: join(repo.home, ".config"),
    XDG_DATA_HOME: join(repo.home, ".local", "share"),
    NO_COLOR: "1",
  };
  for (const shell of ["bash", "zsh", "fish"]) {
    const out = await mpm(["completions", shell], { cwd: repo.path, env });
    assertEquals(out.code, 0, out.stderr);
    await Deno.writeTextFile(join(repo.home, `mpm.${shell}`), out.stdout);
  }
  return {
    repo,
    env,
    script: (shell) => join(repo.home, `mpm.${shell}`),
    [Symbol.asyncDispose]: () => repo[Symbol.asyncDispose](),
  };
}

async function run(
  fx: Fixture,
  command: string,
  args: string[],
  extra: Record<string, string> = {},
) {
  const out = await new Deno.Command(command, {
    args,
    cwd: fx.repo.path,
    env: { ...fx.env, ...extra },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(HANG_GUARD_MS),
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assertEquals(out.code, 0, `${command} failed: ${new TextDecoder().decode(out.stderr)}`);
  return text.split("\n").filter((l) => l !== "");
}

/** COMPREPLY for the words of a command line; the last word is the one being completed. */
function bashComplete(fx: Fixture, ...words: string[]): Promise<string[]> {
  const body = `source "$MPM_SCRIPT"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
    COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}; _mpm; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return run(fx, "bash", ["--norc", "--noprofile", "-c", body, "bash", ...words], {
    MPM_SCRIPT: fx.script("bash"),
  });
}

/** The candidates fish offers for a command line (`complete -C`), without descriptions. */
async function fishComplete(fx: Fixture, line: string): Promise<string[]> {
  const lines = await run(fx, "fish", [
    "--no-config",
    "-c",
    'source "$MPM_SCRIPT"; complete -C "$MPM_LINE"',
  ], { MPM_SCRIPT: fx.script("fish"), MPM_LINE: line });
  return lines.map((l) => l.split("\t")[0]);
}

/**
 * zsh completes only inside its line editor, so an interactive zsh runs in a pseudo-terminal
 * (zsh/zpty): it loads the script after compinit, the line is typed with a Tab, and a compadd
 * wrapper prints each match. Markers are spelled with "" inside so the terminal's echo of the
 * setup never matches them.
 */
const ZSH_CAPTURE = `zmodload zsh/zpty || exit 2
local script=$1 line=$2 setup=$3 out
cat > $setup <<SETUP
PROMPT='' RPROMPT=''
autoload -Uz compinit && compinit -u -D
source \${(q)script}
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
bindkey '^I' complete-word
_capture_end() { print -r -- "<<E""ND>>"; exit; }
comppostfuncs=(_capture_end)
compadd() {
  local -a __hits
  builtin compadd -A __hits "\\$@"
  local h
  for h in \\$__hits; do print -r -- "<<H""IT>>\\$h"; done
  builtin compadd "\\$@"
}
print -r -- '<<RE''ADY>>'
SETUP
zpty z zsh -f -i
zpty -w z "source \${(q)setup}"
while zpty -r z out; do [[ $out == *"<<READY>>"* ]] && break; done
zpty -n -w z "$line"$'\\t'
while zpty -r z out; do
  case $out in
    *"<<HIT>>"*) print -r -- "\${\${out#*<<HIT>>}%%$'\\r'*}" ;;
    *"<<END>>"*) exit 0 ;;
  esac
done
exit 3
`;

async function zshComplete(fx: Fixture, line: string): Promise<string[]> {
  const capture = join(fx.repo.home, "capture.zsh");
  await Deno.writeTextFile(capture, ZSH_CAPTURE);
  return run(fx, "zsh", ["-f", capture, fx.script("zsh"), line, join(fx.repo.home, "setup.zsh")]);
}

const sorted = (list: string[]) => [...list].sort();

Deno.test("completion nodes mirror the tree: paths, flags, choices; internal commands hidden", () => {
  const tree: Command = {
    name: "mpm",
    summary: "root",
    subcommands: [
      {
        name: "todo",
        summary: "todos",
        subcommands: [{
          name: "add",
          summary: "add one",
          args: [{ name: "TEXT", description: "", variadic: true }],
          flags: [{ name: "commit", negatable: true, description: "c" }],
        }],
      },
      { name: "_hidden", summary: "internal" },
      {
        name: "show",
        summary: "show",
        flags: [{
          name: "format",
          short: "f",
          value: "F",
          description: "",
          complete: ["md", "json"],
        }],
      },
    ],
  };
  const nodes = completionNodes(tree);
  assertEquals(nodes.map((n) => n.path), ["mpm", "mpm todo", "mpm todo add", "mpm show"]);
  assertEquals(nodes[0].subs.map((s) => s.name), ["todo", "show"]);
  assertEquals(nodes[2].flags[0].spellings, ["--commit", "--no-commit"]);
  assertEquals(nodes[2].variadic, true);
  assertEquals(nodes[3].flags[0], {
    spellings: ["--format", "-f"],
    long: "format",
    short: "f",
    negatable: false,
    takesValue: true,
    description: "",
    complete: ["md", "json"],
  });
});

Deno.test("each registry entry names and summarises the command its loader brings in", async () => {
  const entries = registry.subcommands ?? [];
  assert(entries.length >= 20, `only ${entries.length} entries`);
  for (const entry of entries) {
    assert(entry.load, `${entry.name} is not a lazy entry`);
    assertEquals(entry.run, undefined, `${entry.name}: an entry carries no code of its own`);
    const command = await entry.load!();
    assertEquals(command.name, entry.name);
    assertEquals(command.summary, entry.summary, `the summary of ${entry.name} differs`);
    assertEquals(command.load, undefined, `${entry.name} loads to another entry`);
  }
});

Deno.test("mpm __complete sessions prints the project's session ids, newest first", async () => {
  await using fx = await fixture();
  const out = await mpm(["__complete", "sessions"], { cwd: fx.repo.path, env: fx.env });
  assertEquals(out.stdout, `${SESSIONS[1]}\n${SESSIONS[0]}\n`);
  const bogus = await mpm(["__complete", "no-such-kind"], { cwd: fx.repo.path, env: fx.env });
  assertEquals([bogus.code, bogus.stdout, bogus.stderr], [0, "", ""]);
});

Deno.test("mpm completions with an unknown shell is a usage error", async () => {
  await using repo = await withRepo();
  const out = await repo.run("completions", "tcsh");
  assertEquals(out.code, 2);
  assert(out.stderr.includes("bash, zsh and fish"), out.stderr);
});

Deno.test({
  name: "bash: commands, a command's options, option values and session ids",
  ignore: !installed("bash"),
  fn: async () => {
    await using fx = await fixture();
    assertEquals(sorted(await bashComplete(fx, "mpm", "")), sorted(topLevel));
    assertEquals(await bashComplete(fx, "mpm", "completi"), ["completions"]);
    assertEquals(
      sorted(await bashComplete(fx, "mpm", withFlags.name, "--")),
      sorted(longFlags.concat(
        (withFlags.flags ?? []).filter((f) => f.negatable).map((f) => `--no-${f.name}`),
      )),
    );
    assertEquals(sorted(await bashComplete(fx, "mpm", "completions", "")), ["bash", "fish", "zsh"]);
    if (nested) {
      assertEquals(
        sorted(await bashComplete(fx, "mpm", nested.name, "")),
        sorted(nested.subcommands!.filter(offered).map((c) => c.name)),
      );
    }
    if (choice) {
      const values = sorted(choice.flag.complete as string[]);
      const [cmd, flag] = [choice.command.name, `--${choice.flag.name}`];
      assertEquals(sorted(await bashComplete(fx, "mpm", cmd, flag, "")), values);
      // bash splits `--format=` into three words.
      assertEquals(sorted(await bashComplete(fx, "mpm", cmd, flag, "=", "")), values);
      assertEquals(
        await bashComplete(fx, "mpm", cmd, flag, "x", ""),
        await bashComplete(fx, "mpm", cmd, ""),
      );
    }
    if (takesSession) {
      assertEquals(await bashComplete(fx, "mpm", takesSession.name, ""), [
        SESSIONS[1],
        SESSIONS[0],
      ]);
      assertEquals(await bashComplete(fx, "mpm", takesSession.name, "session-2025102"), [
        SESSIONS[1],
        SESSIONS[0],
      ]);
      assertEquals(await bashComplete(fx, "mpm", takesSession.name, SESSIONS[0], ""), []);
    }
  },
});

Deno.test({
  name: "zsh: commands, a command's options and session ids, through the real completion system",
  ignore: !installed("zsh"),
  fn: async () => {
    await using fx = await fixture();
    assertEquals(sorted(await zshComplete(fx, "mpm ")), sorted(topLevel));
    const flags = await zshComplete(fx, `mpm ${withFlags.name} --`);
    for (const flag of longFlags) assert(flags.includes(flag), `${flag} missing from ${flags}`);
    assert(!flags.includes("--version"), "root options offered to a subcommand");
    assertEquals(sorted(await zshComplete(fx, "mpm completions ")), ["bash", "fish", "zsh"]);
    if (takesSession) {
      assertEquals(sorted(await zshComplete(fx, `mpm ${takesSession.name} `)), SESSIONS);
    }
  },
});

Deno.test({
  name: "fish: commands, a command's options and session ids",
  ignore: !installed("fish"),
  fn: async () => {
    await using fx = await fixture();
    assertEquals(sorted(await fishComplete(fx, "mpm ")), sorted(topLevel));
    assertEquals(await fishComplete(fx, "mpm completi"), ["completions"]);
    const flags = await fishComplete(fx, `mpm ${withFlags.name} --`);
    for (const flag of longFlags) assert(flags.includes(flag), `${flag} missing from ${flags}`);
    assert(!flags.includes("--version"), "root options offered to a subcommand");
    if (takesSession) {
      assertEquals(sorted(await fishComplete(fx, `mpm ${takesSession.name} `)), SESSIONS);
    }
  },
});

Deno.test({
  name: "paths are completed after `--` of mpm diff and revert, session ids only before it",
  ignore: !installed("bash"),
  fn: async () => {
    await using fx = await fixture();
    await fx.repo.write("alpha.txt", "a\n");
    for (const command of ["diff", "revert"]) {
      assertEquals(await bashComplete(fx, "mpm", command, "--", "alp"), ["alpha.txt"]);
      assertEquals(await bashComplete(fx, "mpm", command, "0", "--", "alp"), ["alpha.txt"]);
      assertEquals(await bashComplete(fx, "mpm", command, "--", "session-"), []);
      assertEquals(await bashComplete(fx, "mpm", command, "0", "alp"), []);
    }
    if (installed("zsh")) {
      // _files tries its patterns in turn: the same file may be offered by more than one.
      assertEquals([...new Set(await zshComplete(fx, "mpm diff -- alp"))], ["alpha.txt"]);
      assertEquals(await zshComplete(fx, "mpm diff -- session-"), []);
    }
    if (installed("fish")) {
      assertEquals(await fishComplete(fx, "mpm diff -- alp"), ["alpha.txt"]);
      assertEquals(await fishComplete(fx, "mpm diff -- session-"), []);
      assertEquals(sorted(await fishComplete(fx, "mpm diff ")), SESSIONS);
    }
  },
});

/** Every negatable flag of the tree, with the command path it belongs to. */
const negatable = completionNodes(root).flatMap((n) =>
  n.flags.filter((f) => f.negatable).map((f) => ({ path: n.path, flag: f }))
);

Deno.test("each --no-NAME describes itself in zsh and fish, not as the flag it turns off", () => {
  assert(negatable.length >= 4, `only ${negatable.length} negatable flags`);
  const zshScript = completionScript("zsh", root);
  const fishScript = completionScript("fish", root);
  for (const { path, flag } of negatable) {
    const no = `--no-${flag.long}`;
    assert(flag.negated && flag.negated !== flag.description, `${path} ${no}: ${flag.negated}`);
    assert(!zshScript.includes(`'${no}:${flag.description}'`), `zsh, ${path} ${no}`);
    assertStringIncludes(zshScript, `'${no}:${flag.negated}'`);
    assert(
      !fishScript.includes(`-l no-${flag.long} -d '${flag.description}'`),
      `fish, ${path} ${no}`,
    );
    assertStringIncludes(fishScript, `-l no-${flag.long} -d '${flag.negated}'`);
  }
});

Deno.test("a declaration's own words for --no-NAME are what the completions say", () => {
  const tree: Command = {
    name: "mpm",
    summary: "root",
    subcommands: [{
      name: "pause",
      summary: "p",
      flags: [{ name: "commit", negatable: true, negated: "Leave git alone.", description: "C." }],
    }],
  };
  const flag = completionNodes(tree)[1].flags[0];
  assertEquals([flag.description, flag.negated], ["C.", "Leave git alone."]);
  assertStringIncludes(completionScript("zsh", tree), "'--no-commit:Leave git alone.'");
  assertStringIncludes(completionScript("fish", tree), "-l no-commit -d 'Leave git alone.'");
});

Deno.test("--color is in mpm --help once, and completed for every command; -V for mpm", () => {
  const help = helpText(root, "mpm");
  assertEquals(help.split("--color WHEN").length, 2, help);
  assertStringIncludes(help, "-V, -v, --version");
  for (const command of root.subcommands ?? []) {
    assert(!helpText(command, `mpm ${command.name}`).includes("--color"), command.name);
  }
  const nodes = completionNodes(root);
  for (const node of nodes) {
    const color = node.flags.find((f) => f.long === "color");
    assertEquals(color?.complete, ["auto", "always", "never"], node.path);
  }
  assertEquals(sorted(nodes[0].flags.find((f) => f.long === "version")!.spellings), [
    "--version",
    "-V",
    "-v",
  ]);
  assertEquals(nodes[0].flags.filter((f) => f.long === "version").length, 1);
});

Deno.test({
  name: "bash: --color and its values for any command, -V for mpm",
  ignore: !installed("bash"),
  fn: async () => {
    await using fx = await fixture();
    const top = await bashComplete(fx, "mpm", "-");
    for (const flag of ["-V", "-v", "--version", "--color", "--help"]) {
      assert(top.includes(flag), `${flag} missing from ${top}`);
    }
    assertEquals(sorted(await bashComplete(fx, "mpm", "status", "--color", "")), [
      "always",
      "auto",
      "never",
    ]);
    // After the option and its value, commands are completed as before.
    assertEquals(await bashComplete(fx, "mpm", "--color", "never", "completi"), ["completions"]);
  },
});

Deno.test("mpm completions --help keeps each shell's line whole", () => {
  const completions = (root.subcommands ?? []).find((c) => c.name === "completions")!;
  const lines = helpText(completions, "mpm completions").split("\n");
  for (const shell of SHELLS) {
    const line = lines.find((l) => l.trimStart().startsWith(`${shell}:`));
    assert(line?.includes(`mpm completions ${shell}`), `${shell}: ${line}`);
  }
});
