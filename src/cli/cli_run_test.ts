import { assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import { MpmError, NothingToDo } from "../kernel/errors.ts";
import { runCli } from "./cli_run.ts";
import type { ColorSetting } from "./color.ts";
import type { Result } from "./command.ts";
import type { Env } from "./env.ts";

function envWith(color: ColorSetting, vars: Record<string, string> = {}): Env {
  return {
    cwd: "/",
    vars,
    now: () => new Date(0),
    warn: () => {},
    isTTY: false,
    stderrIsTTY: false,
    color: color === "always",
    readStdin: () => Promise.resolve(""),
    execPath: "deno",
    mainModule: "main.ts",
  };
}

/** One run whose command answers `answer` (or throws it), as main.ts would make it. */
function runWith(argv: string[], answer: Result | unknown, vars: Record<string, string> = {}) {
  const seen: { argv?: string[]; color?: boolean } = {};
  const dispatch = (env: Env, args: string[]): Promise<Result> => {
    seen.argv = args;
    seen.color = env.color;
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer as Result);
  };
  const outcome = runCli(dispatch, {
    argv,
    vars,
    stderrIsTTY: false,
    env: (color) => envWith(color, vars),
  });
  return { outcome, seen };
}

Deno.test("a command's output and exit code come back as they are; --color is taken out", async () => {
  const { outcome, seen } = runWith(["status", "--color=always"], { stdout: "hi\n", exitCode: 3 });
  assertEquals(await outcome, { code: 3, stdout: "hi\n", stderr: "" });
  assertEquals(seen, { argv: ["status"], color: true });
});

Deno.test("an MpmError is its sentence, its hint and its exit code; no stack", async () => {
  const { outcome } = runWith(
    ["return"],
    new NothingToDo("Nothing to return to.", "Run `mpm status`."),
  );
  assertEquals(await outcome, {
    code: 3,
    stdout: "",
    stderr: "mpm: Nothing to return to.\nRun `mpm status`.\n",
  });
});

Deno.test("an unexpected error is one line and exit 1; MPM_DEBUG=1 adds the stack", async () => {
  const plain = await runWith(["x"], new Error("boom\nsecond line")).outcome;
  assertEquals(plain.code, 1);
  assertEquals(
    plain.stderr,
    "mpm: unexpected failure: boom\nThis is a bug in mpm; run again with MPM_DEBUG=1 to see where.\n",
  );
  const debug = await runWith(["x"], new Error("boom"), { MPM_DEBUG: "1" }).outcome;
  assertStringIncludes(debug.stderr, "cli_run_test.ts");
});

Deno.test("a bad --color is usage (exit 2); with --json, the error document on stdout", async () => {
  const bad = await runWith(["list", "--color=blue"], { stdout: "never\n" }).outcome;
  assertEquals(bad.code, 2);
  assertEquals(bad.stdout, "");
  assertStringIncludes(bad.stderr, 'not "blue"');
  const json = await runWith(["list", "--color=blue", "--json"], { stdout: "never\n" }).outcome;
  assertEquals(json.code, 2);
  assertEquals(json.stderr, "");
  assertEquals(JSON.parse(json.stdout).error.kind, "usage");
});

Deno.test("an Env that cannot be made (a start folder gone) is reported like any error", async () => {
  const gone = new MpmError("The folder mpm was started in no longer exists.", "cd elsewhere.");
  const call = (argv: string[]) =>
    runCli(() => Promise.resolve({ stdout: "never\n" }), {
      argv,
      vars: {},
      stderrIsTTY: false,
      env: () => {
        throw gone;
      },
    });
  assertEquals(await call(["status"]), {
    code: 1,
    stdout: "",
    stderr: "mpm: The folder mpm was started in no longer exists.\ncd elsewhere.\n",
  });
  const json = await call(["status", "--json"]);
  assertEquals([json.code, json.stderr], [1, ""]);
  assertEquals(JSON.parse(json.stdout).error.message, gone.message);
});

Deno.test("an error's words reach the terminal printable, whatever text from outside they quote", async () => {
  const said = new MpmError('"x\u202ey\x1b]0;title\x07\u200bz" is refused.', "Try \x1b[2Jagain.");
  assertEquals(
    (await runWith(["start"], said).outcome).stderr,
    'mpm: "xyz" is refused.\nTry again.\n',
  );
  const odd = await runWith(["x"], new Error("boom \x1b[31mred\u202e")).outcome;
  assertStringIncludes(odd.stderr, "unexpected failure: boom red\n");
});
