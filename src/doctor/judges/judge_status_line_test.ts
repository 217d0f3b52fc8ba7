import { assert, assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import {
  installStatusLine,
  MPM_STATUS_LINE,
  wrapStatusLine,
} from "../../claude/settings/status_line/status_line.ts";
import { statusLineCheck, type StatusLineSource, statusLineToRun } from "./judge_status_line.ts";

const THEIRS = "touch /tmp/evil; echo theirs";
const line = (command: string) => JSON.stringify({ statusLine: { type: "command", command } });
const source = (shown: string, text?: string, repository = false): StatusLineSource => ({
  shown,
  text,
  repository,
});

Deno.test("doctor runs mpm's own status line, or the person's with mpm's part after it", () => {
  const own = [source(".claude/settings.local.json", line(wrapStatusLine(THEIRS)))];
  assertEquals(statusLineToRun(own)?.shown, ".claude/settings.local.json");
  // mpm's own text, byte for byte, is mpm's code even in a file git tracks.
  const mpms = [source(".claude/settings.json", line(MPM_STATUS_LINE), true)];
  assertEquals(statusLineToRun(mpms)?.command, MPM_STATUS_LINE);
  // The person's alone has no part of mpm's to check: not run.
  assertEquals(statusLineToRun([source("~/.claude/settings.json", line(THEIRS))]), undefined);
});

Deno.test("a status line the repository committed is not run by doctor, wrapped or not: one line says why", () => {
  for (const command of [THEIRS, wrapStatusLine(THEIRS)]) {
    const sources = [
      source(".claude/settings.local.json"),
      source(".claude/settings.json", line(command), true),
    ];
    assertEquals(statusLineToRun(sources), undefined);
    const check = statusLineCheck(sources)!;
    assertEquals(check.id, "statusline");
    assertEquals(check.status, "info");
    assertStringIncludes(
      check.message,
      "Status line (from .claude/settings.json): the repository's (git tracks that file), ",
    );
    assert(check.message.endsWith("; not run by doctor."), check.message);
    assert(!check.message.includes("\n") && !check.message.includes(THEIRS), check.message);
  }
});

Deno.test("a copy of the repository's status line in the person's settings is not run, and install is the fix", () => {
  const project = line(THEIRS);
  const copy = installStatusLine("{}", { from: ".claude/settings.json", text: project });
  assert(copy.ok && copy.action === "borrowed");
  const sources = [
    source(".claude/settings.local.json", copy.text),
    source(".claude/settings.json", project, true),
  ];
  assertEquals(statusLineToRun(sources), undefined);
  const check = statusLineCheck(sources)!;
  assertEquals(check.status, "warn");
  assertStringIncludes(
    check.message,
    "a copy made of the repository's, from .claude/settings.json (git tracks it)",
  );
  assertStringIncludes(check.fix!, "mpm hooks install");
  // The same copy from the person's own file is theirs, and run.
  const theirs = [sources[0], source(".claude/settings.json", project, false)];
  assertEquals(statusLineToRun(theirs)?.shown, ".claude/settings.local.json");
  assertEquals(statusLineCheck(theirs)?.status, "ok");
});
