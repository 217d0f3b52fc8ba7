import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import {
  hookOutcome,
  type HookRun,
  PROBE_EVENT,
  type RunFacts,
  statusLineRunCheck,
  wiredChecks,
  wiredCommands,
} from "./judge_wired.ts";

const run = (facts: Partial<RunFacts>): RunFacts => ({
  code: 0,
  stdout: "",
  stderr: "",
  ms: 40,
  timedOut: false,
  ...facts,
});

const ANSWERED =
  `mpm hook session-start: got a ${PROBE_EVENT} payload, but serves SessionStart; ignored.\n`;

Deno.test("hookOutcome tells mpm answering, no mpm, no script, a failure and a timeout apart", () => {
  assertEquals(hookOutcome(run({ stderr: ANSWERED })), { outcome: "ran" });
  assertEquals(
    hookOutcome(run({
      stderr: "mpm hook pre-session: mpm not found (put it on PATH or set MPM_BIN); skipped.\n",
    })),
    { outcome: "no-mpm" },
  );
  assertEquals(hookOutcome(run({})), { outcome: "no-script" });
  assertEquals(hookOutcome(run({ code: 127, stderr: "sh: 1: x.sh: not found\n" })), {
    outcome: "no-script",
  });
  assertEquals(hookOutcome(run({ code: 0, stderr: "\nboom\nmore\n" })), {
    outcome: "failed",
    detail: "boom",
  });
  assertEquals(hookOutcome(run({ timedOut: true, stderr: ANSWERED })), { outcome: "slow" });
});

Deno.test("wiredChecks: one line per kind of problem, each with its fix; all well is one ok", () => {
  const at = (folder: string, script: string, events: string[], facts: Partial<RunFacts>) =>
    ({ folder, script, events, run: run(facts) }) satisfies HookRun;
  const lost = wiredChecks([
    at("the project root", "a.sh", ["SessionStart"], { stderr: "mpm not found" }),
    at("src/", "b.sh", ["Stop", "PreCompact"], { stderr: "mpm not found" }),
  ], 2000);
  assertEquals(lost.map((c) => [c.id, c.status]), [["mpm-path", "fail"]]);
  assertStringIncludes(lost[0].message, "SessionStart, Stop, PreCompact hooks will not find mpm");
  assertStringIncludes(lost[0].fix!, "MPM_BIN");

  const sub = wiredChecks([
    at("the project root", "a.sh", ["SessionStart"], { stderr: ANSWERED }),
    at("src/", "a.sh", ["SessionStart"], {}),
  ], 2000);
  assertEquals(sub.map((c) => [c.id, c.status]), [["hooks-run", "fail"]]);
  assertStringIncludes(sub[0].message, "Started in src/, Claude Code's SessionStart hook");
  assertStringIncludes(sub[0].fix!, "mpm hooks install");

  const slow = wiredChecks([at("src/", "a.sh", ["Stop"], { timedOut: true })], 500);
  assertEquals(slow.map((c) => c.status), ["warn"]);
  assertStringIncludes(slow[0].message, "did not finish within 0.5 s from src/");

  const well = wiredChecks([
    at("the project root", "a.sh", ["SessionStart"], { stderr: ANSWERED, ms: 80 }),
    at("src/", "a.sh", ["SessionStart"], { stderr: ANSWERED, ms: 120 }),
  ], 2000);
  assertEquals(well.map((c) => c.status), ["ok"]);
  assertStringIncludes(well[0].message, "from the project root and src/: SessionStart");
  assertStringIncludes(well[0].message, "slowest 120 ms");
  assertEquals(wiredChecks([], 2000), []);
});

Deno.test("statusLineRunCheck: a timeout, a line without mpm's part, and one that shows it", () => {
  const runs = (stdout: string, timedOut = false) => [
    { folder: "the project root", run: run({ stdout, timedOut }) },
    { folder: "src/", run: run({ stdout }) },
  ];
  const shown = ".claude/settings.local.json";
  assertEquals(
    statusLineRunCheck(runs("", true), shown, undefined, 2000)?.status,
    "warn",
  );
  const bare = statusLineRunCheck(runs("theirs\n"), shown, "mpm: Refunds (paused)", 2000)!;
  assertEquals(bare.status, "warn");
  assertStringIncludes(bare.message, "does not show mpm's part from the project root and src/");
  const ok = statusLineRunCheck(
    runs("theirs | mpm: Refunds (paused)\n"),
    shown,
    "mpm: Refunds (paused)",
    2000,
  )!;
  assertEquals(ok.status, "ok");
  assertEquals(statusLineRunCheck([], shown, undefined, 2000), undefined);
});

Deno.test("wiredCommands: each wired command once, with its events; never a script the person edited", () => {
  const settings = [
    { hooks: [{ event: "SessionEnd", command: "end" }, { event: "Stop", command: "check" }] },
    { hooks: [{ event: "SessionEnd", command: "end" }, { event: "Other", command: "theirs" }] },
  ];
  assertEquals(
    wiredCommands(settings, [
      { command: "start", script: "pre.sh", runnable: true },
      { command: "end", script: "post.sh", runnable: true },
      { command: "check", script: "checkpoint.sh", runnable: false },
    ]),
    [{ command: "end", script: "post.sh", events: ["SessionEnd"] }],
  );
});
