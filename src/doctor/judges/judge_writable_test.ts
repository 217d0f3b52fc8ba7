import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { writableChecks, type WriteProbe } from "./judge_writable.ts";

const BASE = "/p/.claude-mpm";

function probe(rel: string, code: string | null, extra: Partial<WriteProbe> = {}): WriteProbe {
  return {
    rel,
    path: rel === "" ? BASE : `${BASE}/${rel}`,
    code,
    text: `Could not save .claude-mpm/${rel}: it failed.`,
    ...extra,
  };
}

Deno.test("writableChecks: every folder written is no check at all", () => {
  assertEquals(writableChecks([]), []);
});

Deno.test("writableChecks: one failing check per cause, naming each folder, with its fix", () => {
  const checks = writableChecks([
    probe("", "EROFS"),
    probe("sessions", "EROFS"),
    probe("checkpoints", "EPERM"),
    probe("threads", "EACCES"),
  ]);
  assertEquals(checks.map((c) => [c.id, c.status]), [
    ["writable", "fail"],
    ["writable", "fail"],
    ["writable", "fail"],
  ]);
  const [readOnly, flagged, denied] = checks;
  assertStringIncludes(readOnly.message, "mpm cannot write in .claude-mpm/, .claude-mpm/sessions:");
  assertStringIncludes(readOnly.message, "read-only");
  assertStringIncludes(readOnly.fix!, "Remount it read-write");
  assertStringIncludes(flagged.message, ".claude-mpm/checkpoints: the system does not permit it");
  assertEquals(flagged.fix, `Take the flag off, as root: chattr -i -a ${BASE}/checkpoints`);
  assertStringIncludes(denied.message, "permission was denied");
  assertStringIncludes(denied.fix!, `chmod 700 ${BASE}/threads`);
});

Deno.test("writableChecks: a probe file that could not be removed is named for removal", () => {
  const left = `${BASE}/sessions/.doctor-probe.1.2.tmp`;
  const [check] = writableChecks([probe("sessions", "EPERM", { left })]);
  assertStringIncludes(check.message, "can add files to .claude-mpm/sessions but not remove");
  assertEquals(
    check.fix,
    `As root: chattr -a ${BASE}/sessions; then rm -f ${left} ${BASE}/sessions/..doctor-probe.1.2.tmp.*.tmp`,
  );
});

Deno.test("writableChecks: a full disk is told; another fault in its own words, with mpm's hint", () => {
  const [full] = writableChecks([probe("sessions", "ENOSPC"), probe("threads", "ENOSPC")]);
  assertStringIncludes(
    full.message,
    "mpm cannot write in .claude-mpm/sessions, .claude-mpm/threads: the disk is full",
  );
  const text = "Could not save .claude-mpm/sessions: too many files are open.";
  const [one] = writableChecks([probe("sessions", "EMFILE", { text, hint: "Raise the limit." })]);
  assertStringIncludes(one.message, `.claude-mpm/sessions (${text.slice(0, -1)}), so every`);
  assertEquals(one.fix, "Raise the limit.");
  const [two] = writableChecks([probe("sessions", "EMFILE"), probe("threads", "EMFILE")]);
  assertStringIncludes(two.message, ".claude-mpm/sessions, .claude-mpm/threads (EMFILE), so");
  assertEquals(two.fix, "Make them writable by you (`ls -ld` shows the owner and mode).");
});

Deno.test("writableChecks: past ten folders, the rest are counted", () => {
  const many = Array.from({ length: 12 }, (_, i) => probe(`f${i}`, "EROFS"));
  const [check] = writableChecks(many);
  assertStringIncludes(check.message, ".claude-mpm/f9, and 2 more:");
});
