/**
 * mpm's skills and plugin in the real Claude Code (tests/claude_code/), against the mock API:
 * the exported plugin validates and installs from its own marketplace; installed skills are
 * offered to the model by name and description; and /mpm-pause, answered with the Bash command
 * the skill asks for, saves Claude's words exactly — quotes, `$(…)`, backquotes, a line break —
 * with nothing in them run by a shell, and with no permission but the skill's own.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { exists, runProcess, withRepo, writeMpmProgram } from "../../helpers.ts";
import type { Repo } from "../../helpers.ts";
import { claudeOrSkip } from "../install.ts";
import { type MessagesRequest, requestText, startMockApi, toolResults } from "../mock_api.ts";
import { runClaude } from "../run.ts";
import { sessionEndDone } from "../wait.ts";

const claude = await claudeOrSkip();
/** The client's own subcommands (plugin …) are run with only this beside HOME and PATH. */
const quiet = { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" };

/** The skills Claude is offered (the aliases are for typing only). */
const OFFERED = [
  "mpm-pause",
  "mpm-resume",
  "mpm-handoff",
  "mpm-checkpoint",
  "mpm-branch",
  "mpm-return",
  "mpm-status",
];

/**
 * A folder with an `mpm` that runs this work tree's main.ts, for the PATH of Claude's Bash tool
 * and of the hooks.
 */
async function mpmOnPath(repo: Repo): Promise<Record<string, string>> {
  const bin = join(repo.home, "..", "bin");
  await Deno.mkdir(bin, { recursive: true });
  await writeMpmProgram(join(bin, "mpm"));
  return { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
}

/** The "The following skills are available" listing Claude Code puts in the model's context. */
function skillListing(request: MessagesRequest): string {
  const text = requestText(request);
  const start = text.indexOf("The following skills are available");
  assert(start !== -1, "no skill listing in the request");
  return text.slice(start);
}

async function shippedText(repo: Repo, name: string): Promise<string> {
  const out = await repo.run("skills", "show", name);
  assertEquals(out.code, 0, out.stderr);
  return out.stdout;
}

function descriptionOf(skill: string): string {
  return /^description: (.*)$/m.exec(skill)![1];
}

Deno.test({
  name: "claude plugin validate accepts the exported plugin; marketplace add and install succeed",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    const dir = join(repo.path, "..", "mpm-plugin");
    const exported = await repo.run("plugin", "export", dir);
    assertEquals(exported.code, 0, exported.stderr);
    const env = { HOME: repo.home, PATH: Deno.env.get("PATH") ?? "", ...quiet };
    const cli = (...args: string[]) => runProcess(claude!, args, { cwd: repo.path, env });

    for (const target of [dir, join(dir, ".claude-plugin", "plugin.json")]) {
      const validate = await cli("plugin", "validate", target);
      assertEquals(validate.code, 0, validate.stdout + validate.stderr);
      assertStringIncludes(validate.stdout, "Validation passed");
      assert(!/✘ Found \d+ (errors?|problems?) in/i.test(validate.stdout), validate.stdout);
    }
    const add = await cli("plugin", "marketplace", "add", dir);
    assertEquals(add.code, 0, add.stdout + add.stderr);
    const install = await cli("plugin", "install", "mpm@mpm");
    assertEquals(install.code, 0, install.stdout + install.stderr);
    const list = await cli("plugin", "list");
    assertStringIncludes(list.stdout, "mpm@mpm");
    assertStringIncludes(list.stdout, "enabled");

    // Installed from the marketplace, its skills reach the model under the plugin's name, and
    // its SessionStart hook (run from the plugin's own copy of the script) brings the last pause.
    assertEquals((await repo.run("pause", "-s", "Plugin hooks MARKER-7731")).code, 0);
    await using api = startMockApi([{ text: "ok" }]);
    await using run = await runClaude({
      claude: claude!,
      api,
      prompt: "hi",
      cwd: repo.path,
      home: repo.home,
      env: await mpmOnPath(repo),
    });
    assertEquals(run.code, 0, run.stderr);
    const listing = skillListing(api.requests[0]);
    for (const name of OFFERED) assertStringIncludes(listing, `mpm:${name}: `);
    assertStringIncludes(requestText(api.requests[0]), "Plugin hooks MARKER-7731");
    // The plugin's SessionEnd runs in the background after Claude Code exits: the project is
    // removed only once it is done.
    await sessionEndDone(repo.path);
  },
});

Deno.test({
  name: "claude plugin validate accepts an export that names the release's binaries (--sums)",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    // A release's SHA256SUMS as scripts/build/build.ts writes it, for every target.
    const sums = join(repo.path, "..", "SHA256SUMS");
    const targets = [
      "x86_64-unknown-linux-gnu",
      "aarch64-unknown-linux-gnu",
      "x86_64-apple-darwin",
      "aarch64-apple-darwin",
      "x86_64-pc-windows-msvc",
    ];
    await Deno.writeTextFile(
      sums,
      targets.map((t, i) =>
        `${String(i).repeat(64)}  mpm-${t}${t.includes("windows") ? ".exe" : ""}\n`
      ).join(""),
    );
    const dir = join(repo.path, "..", "mpm-plugin");
    const exported = await repo.run("plugin", "export", dir, "--sums", sums, "--json");
    assertEquals(exported.code, 0, exported.stderr);
    assertEquals(Object.keys(JSON.parse(exported.stdout).binaries).sort(), [
      "mpm-aarch64-apple-darwin",
      "mpm-aarch64-unknown-linux-musl",
      "mpm-x86_64-apple-darwin",
      "mpm-x86_64-unknown-linux-musl",
    ]);
    const env = { HOME: repo.home, PATH: Deno.env.get("PATH") ?? "", ...quiet };
    for (const target of [dir, join(dir, ".claude-plugin", "plugin.json")]) {
      const validate = await runProcess(claude!, ["plugin", "validate", target], {
        cwd: repo.path,
        env,
      });
      assertEquals(validate.code, 0, validate.stdout + validate.stderr);
      // An entry the client does not take is a warning ("passed with warnings") naming it.
      assert(/✔ Validation passed$/m.test(validate.stdout), validate.stdout);
      assert(!validate.stdout.includes("binaries"), validate.stdout);
    }
  },
});

Deno.test({
  name: "installed skills are offered to the model by name and description, aliases are not",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    assertEquals((await repo.run("skills", "install")).code, 0);
    await using api = startMockApi([{ text: "ok" }]);
    await using run = await runClaude({
      claude: claude!,
      api,
      prompt: "hi",
      cwd: repo.path,
      home: repo.home,
    });
    assertEquals(run.code, 0, run.stderr);
    assert(
      api.requests[0].tools?.some((tool) => tool.name === "Skill"),
      "the Skill tool is offered",
    );
    const listing = skillListing(api.requests[0]);
    for (const name of OFFERED) {
      assertStringIncludes(listing, `- ${name}: ${descriptionOf(await shippedText(repo, name))}`);
    }
    assert(!listing.includes("mpm-session-pause"), "the alias is hidden from the model");
  },
});

Deno.test({
  name:
    "/mpm-pause: the command the skill asks for saves Claude's words exactly and runs nothing in them",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    assertEquals((await repo.run("skills", "install")).code, 0);
    const env = await mpmOnPath(repo);
    const marker = (n: number) => join(repo.path, "..", `executed-${n}`);
    const words = {
      summary: `Auth refactor: "login" works, it's ready $(touch ${marker(1)})\n` +
        `second line \`touch ${marker(2)}\` matches \\d+ {"json": true}`,
      accomplishments: [`Split the "token" module $(touch ${marker(3)})`],
      next_steps: ["Test the login flow", "Open the pull request"],
      todos: ["Refresh tokens ${HOME}"],
    };
    const skill = await shippedText(repo, "mpm-pause");
    const command = commandFrom(skill, words);

    await using api = startMockApi((request, index) =>
      index === 0
        ? { toolUse: { name: "Bash", input: { command, description: "Pause the session" } } }
        : { text: lastResult(request) }
    );
    await using run = await runClaude({
      claude: claude!,
      api,
      prompt: "/mpm-pause Auth refactor",
      cwd: repo.path,
      home: repo.home,
      // No Bash permission but the one the skill's allowed-tools gives.
      allowedTools: ["Skill"],
      env,
    });
    assertEquals(run.code, 0, run.stderr);
    assertEquals(
      run.json?.permission_denials,
      [],
      "the skill's allowed-tools lets the command run",
    );
    // The skill's instructions, with the user's message, reached the model.
    const first = requestText(api.requests[0]);
    assertStringIncludes(first, "The user's message (may be empty): Auth refactor");
    assertStringIncludes(first, "mpm pause --input - <<'MPM_INPUT'");

    const [result] = toolResults(api.requests[1]);
    assert(!result.is_error, String(result.content));
    const id = /Paused (session-\S+)/.exec(String(result.content))?.[1];
    assert(id, String(result.content));
    const snapshot = JSON.parse(
      await Deno.readTextFile(join(repo.path, ".claude-mpm", "sessions", `${id}.json`)),
    );
    assertEquals(snapshot.conversation.summary, words.summary);
    assertEquals(snapshot.conversation.accomplishments, words.accomplishments);
    assertEquals(snapshot.conversation.next_steps, words.next_steps);
    assertEquals(snapshot.todos.active.map((t: { content: string }) => t.content), words.todos);
    for (const n of [1, 2, 3]) {
      assertEquals(await exists(marker(n)), false, `$(…) or \`…\` number ${n} was run`);
    }
  },
});

Deno.test({
  name: "/mpm-status may run mpm status and nothing else",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    assertEquals((await repo.run("skills", "install")).code, 0);
    const env = await mpmOnPath(repo);
    const marker = join(repo.path, "executed");
    await using api = startMockApi([
      { toolUse: { name: "Bash", input: { command: `touch ${marker}`, description: "x" } } },
      { toolUse: { name: "Bash", input: { command: "mpm status", description: "Status" } } },
      { text: "done" },
    ]);
    await using run = await runClaude({
      claude: claude!,
      api,
      prompt: "/mpm-status",
      cwd: repo.path,
      home: repo.home,
      allowedTools: ["Skill"],
      env,
    });
    assertEquals(run.code, 0, run.stderr);
    assertEquals(toolResults(api.requests[1]).at(-1)?.is_error, true);
    assertEquals(await exists(marker), false);
    const status = toolResults(api.requests[2]).at(-1)!;
    assert(!status.is_error, String(status.content));
    assertStringIncludes(String(status.content), "Latest pause: none");
  },
});

/**
 * The skill's own command block, with each `"…"` placeholder filled as the skill says: one
 * double-quoted string, escaped as in JSON. Lists get one `- "…"` line per item.
 */
function commandFrom(skill: string, words: Record<string, string | string[]>): string {
  const block = /```\n(mpm pause --input - <<'MPM_INPUT'\n[\s\S]*?\nMPM_INPUT)\n```/.exec(skill)
    ?.[1];
  assert(block, "the skill shows the command to run");
  const lines: string[] = [];
  for (const line of block.split("\n")) {
    const field = /^(\w+): "…"$/.exec(line)?.[1];
    if (field) {
      lines.push(`${field}: ${JSON.stringify(words[field])}`);
    } else if (line === '  - "…"') {
      const field = /^(\w+):$/.exec(lines.at(-1)!)?.[1]!;
      for (const item of words[field] as string[]) lines.push(`  - ${JSON.stringify(item)}`);
    } else lines.push(line);
  }
  return lines.join("\n");
}

function lastResult(request: MessagesRequest): string {
  return String(toolResults(request).at(-1)?.content ?? "");
}
