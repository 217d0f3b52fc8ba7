/**
 * The session's summary and the state `cancelled`, end to end in real git repositories:
 * `cancelled` in `mpm replay`, `mpm summary` and the context file's Status line; the progressive
 * summary (`threads/<key>/summary.md`) pointed at by `mpm resume` and injected by SessionStart;
 * `mpm doctor` and `mpm migrate` agreeing that a project used through the whole lifecycle is in
 * order.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo, writeMpmProgram } from "../../helpers.ts";
import { renderSummary, type Summary } from "../../../src/replay/summary.ts";
import {
  whatWasDone,
  withoutEmptySections,
} from "../../../src/sessions/store/claude/work_summary.ts";
import { writeOwnSummary } from "../seal_helpers.ts";

/** A summary as `mpm summary` renders it, with Layer 2 work from hours ago. */
function summaryMarkdown(key: string, done: string[], layer1 = 0): string {
  const summary: Summary = {
    session: { key, name: "payments", task: null, active: false },
    anchor: "2026-11-23T06:00:00.000Z",
    layer1: {
      items: Array.from({ length: layer1 }, (_, i) => ({
        time: "2026-11-23T05:30:00.000Z",
        kind: "prompt",
        text: `prompt number ${i} ${"x".repeat(60)}`,
      })),
      more: 0,
    },
    layer2: { what_was_done: done, key_decisions: [], current_state: ["Paused."] },
    layer3: [],
    layer4: [],
  };
  return renderSummary(summary, { utc: true });
}

Deno.test("whatWasDone reads Layer 2's list as mpm summary renders it, bounded", () => {
  const md = summaryMarkdown("s-1", ["Refund model", "Webhook retries", "a", "b", "c", "d"]);
  assertEquals(whatWasDone(md, 5), {
    lines: ["Refund model", "Webhook retries", "a", "b", "c"],
    more: 1,
  });
  assertEquals(whatWasDone(summaryMarkdown("s-1", []), 5), { lines: [], more: 0 });
  assertEquals(whatWasDone("# not a summary\n", 5), { lines: [], more: 0 });
});

async function keyOfActive(repo: Repo): Promise<string> {
  const state = JSON.parse(await Deno.readTextFile(join(repo.path, ".claude-mpm/state.json")));
  return state.active.key;
}

Deno.test('SessionStart\'s summary leaves out what says only "(nothing)", headings included', () => {
  const md = summaryMarkdown("s-1", ["Refund model"]);
  // Layers 1, 3 and 4 and the key decisions are empty here; what was done and the state are not.
  const compact = withoutEmptySections(md);
  assertNotIncludes(compact, "(nothing)");
  for (const gone of ["## Layer 1", "### Key decisions", "## Layer 3", "## Layer 4"]) {
    assertNotIncludes(compact, gone);
  }
  for (const kept of ["# Session summary", "## Layer 2", "### What was done", "- Refund model"]) {
    assertStringIncludes(compact, kept);
  }
  assertStringIncludes(compact, "### Current state\n\n- Paused.");
  assertNotIncludes(compact, "\n\n\n");
  // A summary with nothing empty is given back as it is.
  const full = summaryMarkdown("s-1", ["Refund model"], 2).replace("- (nothing)", "- a decision");
  assertEquals(withoutEmptySections(full).includes("## Layer 1"), true);
});

Deno.test("mpm resume points at the session's summary; SessionStart injects it after the branch", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  const key = await keyOfActive(repo);
  await ok(repo, "pause", "-s", "Refunds half done");
  // No summary yet: resume says nothing of one.
  assertNotIncludes((await ok(repo, "resume", "--no-changes")).stdout, "Summary of the work");
  await ok(repo, "pause", "-s", "Refunds half done");
  const file = `.claude-mpm/threads/${key}/summary.md`;
  await writeOwnSummary(
    repo,
    key,
    summaryMarkdown(key, ["Refund model", "Webhook retries", "a", "b", "c", "d", "e"], 200),
  );
  const out = (await ok(repo, "resume", "--no-changes")).stdout;
  assertStringIncludes(
    out,
    `Summary of the work so far: ${file}\n  - Refund model\n  - Webhook retries\n  - a\n  - b\n` +
      "  - c\n  … 2 more in the file\n",
  );
  // SessionStart (its preview is exact): after the branch status, cut with the usual marker.
  const preview = (await ok(repo, "context", "--preview")).stdout;
  assert(preview.length <= 10_000, `${preview.length} characters`);
  const at = preview.indexOf(`## Summary of the work so far (${file})`);
  assert(at > preview.indexOf("## Branch status"), preview);
  assertStringIncludes(preview.slice(at), "#### Layer 1: Full History (0-1 hour old)");
  assertNotIncludes(preview.slice(at), "(nothing)");
  assertStringIncludes(preview, `more lines in ${file})`);
  // A config without the source leaves it out.
  await repo.write(
    ".claude-mpm/config.json",
    JSON.stringify({ session_start: { sources: ["session", "branch"] } }),
  );
  assertNotIncludes((await ok(repo, "context", "--preview")).stdout, "Summary of the work");
  // A summary that is not a regular file (a FIFO would hang the hook) is left alone.
  await Deno.remove(join(repo.path, ".claude-mpm/config.json"));
  await Deno.remove(join(repo.path, file));
  await new Deno.Command("mkfifo", { args: [join(repo.path, file)] }).output();
  assertNotIncludes((await ok(repo, "context", "--preview")).stdout, "Summary of the work");
});

Deno.test("a summary older than the pause SessionStart tells of is left out: it would contradict it", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  const key = await keyOfActive(repo);
  await ok(repo, "todo", "add", "t1");
  await ok(repo, "pause", "-s", "first words", "-n", "step one");
  // SessionEnd's summary, written after that pause.
  await writeOwnSummary(repo, key, summaryMarkdown(key, ["Refund model"], 20));
  assertStringIncludes(
    (await ok(repo, "context", "--preview")).stdout,
    "Summary of the work so far",
  );
  // The person goes on and pauses by hand: the summary says less than that pause.
  await ok(repo, "resume", "--no-changes");
  await ok(repo, "todo", "done", "1");
  await ok(repo, "pause", "-s", "second words", "-n", "step two");
  const preview = (await ok(repo, "context", "--preview")).stdout;
  assertStringIncludes(preview, "second words");
  assertNotIncludes(preview, "Summary of the work so far");
});

Deno.test("cancelled is cancelled in replay, summary and the context file's Status, not paused", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  await ok(repo, "pause", "-s", "Refunds half done");
  await ok(repo, "cancel", "0", "--reason", "superseded by the new billing");
  const replay = (await mpm(["replay"], { cwd: repo.path, env: { HOME: repo.home, TZ: "UTC" } }))
    .stdout;
  assertStringIncludes(replay, "] mpm  cancelled by mpm cancel: Refunds half done");
  const summary = (await ok(repo, "summary")).stdout;
  assertStringIncludes(summary, "Cancelled at ");
  assertNotIncludes(summary, "Paused at ");
  await ok(repo, "context", "init");
  const context = await Deno.readTextFile(join(repo.path, ".claude/context.md"));
  assertStringIncludes(context, "Status: cancelled; `mpm start NAME` begins the next session");
  const init = JSON.parse((await ok(repo, "context", "update", "--json")).stdout);
  assertEquals(init.changed, false);
});

Deno.test("doctor --json and migrate after pause, branch, return, handoff, done and cancel: no failure", async () => {
  await using repo = await withRepo();
  await ok(repo, "hooks", "install");
  await ok(repo, "start", "payments");
  await ok(repo, "todo", "add", "refunds");
  await ok(repo, "context", "init");
  await ok(repo, "pause", "-s", "half way", "-a", "charges");
  await ok(repo, "resume", "--no-changes");
  await ok(repo, "checkpoint", "save", "before-hotfix");
  await ok(repo, "branch", "hotfix", "--task", "login");
  await ok(repo, "return", "-s", "login fixed");
  await ok(repo, "handoff", "--to", "Bob", "--needs", "review");
  await ok(repo, "done", "-s", "payments shipped");
  await ok(repo, "start", "spike");
  await ok(repo, "cancel", "--reason", "not needed");
  await ok(repo, "prune");
  // The hooks find mpm through MPM_BIN, as a user's settings would: doctor checks that they can.
  const doctor = await mpm(["doctor", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_BIN: await writeMpmProgram(join(repo.home, "..", "mpm")) },
  });
  const report = JSON.parse(doctor.stdout) as {
    ok: boolean;
    checks: { id: string; status: string; message: string }[];
  };
  const bad = report.checks.filter((c) => c.status === "fail" || c.status === "warn");
  assertEquals(bad, [], JSON.stringify(bad));
  assertEquals([report.ok, doctor.code], [true, 0]);
  // migrate agrees: nothing of claude-mpm's to convert, and it says so (exit 0).
  const migrate = JSON.parse((await ok(repo, "migrate", "--dry-run", "--json")).stdout);
  assertEquals(migrate.steps, []);
});
