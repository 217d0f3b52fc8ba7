import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import type { SkillState } from "../../skills/plan.ts";
import { skillChecks, type SkillsFacts } from "./judge_skills.ts";

function facts(scope: "project" | "user", states: Record<string, SkillState>): SkillsFacts {
  return {
    scope,
    shown: scope === "user" ? "~/.claude/skills" : ".claude/skills",
    skills: Object.entries(states).map(([name, state]) => ({
      name,
      state,
      shipped: state !== "retired",
    })),
  };
}

Deno.test("skillChecks: nothing installed anywhere is a note with the command", () => {
  const checks = skillChecks([
    facts("project", { "mpm-pause": "missing", "mpm-status": "foreign" }),
    facts("user", { "mpm-pause": "missing" }),
  ]);
  assertEquals(checks.map((c) => c.status), ["info"]);
  assertStringIncludes(checks[0].fix!, "mpm skills install");
});

Deno.test("skillChecks: all current is ok, per scope that has them", () => {
  const checks = skillChecks([
    facts("project", { "mpm-pause": "missing" }),
    facts("user", { "mpm-pause": "current", "mpm-status": "current" }),
  ]);
  assertEquals(checks.map((c) => [c.status, c.message]), [[
    "ok",
    "Skills in ~/.claude/skills/ (user): 2 installed, as this mpm ships them.",
  ]]);
});

Deno.test("skillChecks: outdated, retired or missing ones are stale, with the fix for the scope", () => {
  const [check] = skillChecks([facts("user", {
    "mpm-pause": "outdated",
    "mpm-status": "missing",
    "mpm-resume": "current",
    "mpm-old": "retired",
  })]);
  assertEquals(check.status, "warn");
  assertEquals(
    check.message,
    "Skills in ~/.claude/skills/ (user) are stale against this mpm: mpm-pause from an older " +
      "mpm; mpm-old no longer shipped; mpm-status missing.",
  );
  assertEquals(check.fix, "mpm skills install --scope user");
});

Deno.test("skillChecks: edited and foreign skills are notes, never problems", () => {
  const checks = skillChecks([facts("project", {
    "mpm-pause": "edited",
    "mpm-status": "current",
    "mpm-session-pause": "foreign",
  })]);
  assertEquals(checks.map((c) => c.status), ["ok", "info", "info"]);
  assertStringIncludes(checks[1].message, "mpm-pause edited by you");
  assertEquals(checks[1].fix, "mpm skills install --force (backs your copy up beside it)");
  assertStringIncludes(checks[2].message, "mpm-session-pause is not mpm's");
});
