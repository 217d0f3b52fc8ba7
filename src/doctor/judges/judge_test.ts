import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../../tests/assert.ts";
import {
  type Check,
  isHealthy,
  modeFixes,
  permissionChecks,
  renderDoctor,
  type TreeNode,
} from "./judge.ts";
import { style } from "../../kernel/format/style.ts";

const base = "/p/.claude-mpm";
const node = (rel: string, kind: TreeNode["kind"], mode: number): TreeNode => ({
  rel,
  path: rel === "" ? base : `${base}/${rel}`,
  kind,
  mode,
});

Deno.test("permissionChecks: a clean tree is one ok; hook scripts may be 0700", () => {
  const checks = permissionChecks([
    node("", "dir", 0o700),
    node("sessions", "dir", 0o700),
    node("sessions/a.json", "file", 0o600),
    node("hooks", "dir", 0o700),
    node("hooks/pre-session.sh", "file", 0o700),
  ]);
  assertEquals(checks.map((c) => c.status), ["ok"]);
});

Deno.test("a file where mpm keeps a folder is named with its move, not as a mode to change", () => {
  const checks = permissionChecks([
    node("", "dir", 0o700),
    node("sessions", "file", 0o644),
    node("cache", "other", 0o600),
    node("state.json", "file", 0o600),
  ]);
  assertEquals(checks.map((c) => c.id), ["layout", "layout"]);
  assertStringIncludes(
    checks[0].message,
    ".claude-mpm/sessions is a file where mpm keeps a folder",
  );
  assertEquals(
    checks[0].fix,
    `Move it away (mpm makes the folder again): mv ${base}/sessions ${base}/sessions.moved`,
  );
  assertStringIncludes(checks[1].message, ".claude-mpm/cache is a special file");
  const fifo = permissionChecks([node("", "dir", 0o700), node("events.jsonl", "other", 0o600)]);
  assertEquals(fifo.map((c) => c.id), ["layout"]);
  assertStringIncludes(fifo[0].message, ".claude-mpm/events.jsonl is not a regular file");
  assertEquals(
    fifo[0].fix,
    `Remove it (mpm writes the file again where it keeps one): rm ${base}/events.jsonl`,
  );
  const root = permissionChecks([node("", "file", 0o644)]);
  assertEquals(root.map((c) => c.id), ["layout"]);
  assertStringIncludes(root[0].message, ".claude-mpm is a file where mpm keeps a folder");
});

Deno.test("permissionChecks names each offender with its mode and one chmod per kind", () => {
  const checks = permissionChecks([
    node("", "dir", 0o700),
    node("sessions", "dir", 0o755),
    node("sessions/a.json", "file", 0o644),
    node("sessions/b.json", "file", 0o664),
    node("state.json", "file", 0o600),
    node("hooks/on-error.sh", "file", 0o600),
    node("hooks/mine.sh", "file", 0o700),
  ]);
  assertEquals(checks.map((c) => c.status), ["fail", "fail", "fail"]);
  const [dirs, files, scripts] = checks;
  assertStringIncludes(dirs.message, ".claude-mpm/sessions (0755)");
  assertEquals(dirs.fix, `chmod 700 ${base}/sessions`);
  assertStringIncludes(files.message, "3 files are not 0600");
  assertStringIncludes(files.message, ".claude-mpm/sessions/b.json (0664)");
  assertEquals(
    files.fix,
    `chmod 600 ${base}/sessions/a.json ${base}/sessions/b.json ${base}/hooks/mine.sh`,
  );
  assertEquals(scripts.fix, `chmod 700 ${base}/hooks/on-error.sh`);
});

Deno.test("permissionChecks caps the names it lists but fixes every file", () => {
  const many = Array.from({ length: 14 }, (_, i) => node(`sessions/s${i}.json`, "file", 0o644));
  const [check] = permissionChecks(many);
  assertStringIncludes(check.message, "and 4 more");
  assertEquals(check.fix!.split(" ").length, 2 + 14);
});

Deno.test("permissionChecks flags a symlink leading outside, not one inside", () => {
  const checks = permissionChecks([
    node("", "dir", 0o700),
    { ...node("out", "symlink", 0o777), target: "/etc/passwd", inside: false },
    { ...node("in", "symlink", 0o777), target: `${base}/state.json`, inside: true },
  ]);
  assertEquals(checks.length, 1);
  assertEquals(checks[0].id, "symlinks");
  assertStringIncludes(checks[0].message, "/etc/passwd");
  assertEquals(checks[0].fix?.endsWith(`rm ${base}/out`), true);
});

Deno.test("renderDoctor marks each status, shows fixes, and sums up", () => {
  const checks: Check[] = [
    { id: "a", status: "ok", message: "fine" },
    { id: "b", status: "warn", message: "meh", fix: "do x" },
    { id: "c", status: "fail", message: "bad", fix: "do y" },
    { id: "d", status: "info", message: "fyi" },
  ];
  const report = {
    ok: isHealthy(checks),
    version: { version: "0", build: "dev", target: "t", deno: "2" },
    executable: { path: "/deno", main_module: "file:///main.ts" },
    project_root: "/p",
    checks,
  };
  const out = renderDoctor(report, style(false));
  assertEquals(report.ok, false);
  assertMatch(out, /^✓ fine\n! meh\n {4}fix: do x\n✗ bad\n {4}fix: do y\n· fyi\n/);
  assertStringIncludes(out, "1 problem found, and 1 warning.");
  assert(!out.includes("\x1b["));
  assertStringIncludes(renderDoctor(report, style(true)), "\x1b[31m✗");
});

Deno.test("modeFixes: folders first, outermost first, then files; links and FIFOs never", () => {
  const fixes = modeFixes([
    node("sessions/a.json", "file", 0o644),
    node("vault/x", "dir", 0o755),
    node("hooks/pre-session.sh", "file", 0o755),
    node("sessions/b.json", "file", 0o600),
    node("", "dir", 0o775),
    node("sessions/link", "symlink", 0o777),
    node("sessions/fifo", "other", 0o644),
  ]);
  assertEquals(fixes.map((fix) => [fix.path.slice(base.length + 1), fix.mode.toString(8)]), [
    ["", "700"],
    ["vault/x", "700"],
    ["sessions/a.json", "600"],
    ["hooks/pre-session.sh", "700"],
  ]);
});
