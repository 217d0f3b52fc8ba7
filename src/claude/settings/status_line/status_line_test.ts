import { assert, assertEquals } from "../../../../tests/assert.ts";
import {
  installStatusLine,
  MPM_STATUS_LINE,
  statusLineKind,
  uninstallStatusLine,
  unwrapped,
} from "./status_line.ts";

const THEIRS = `input=$(cat); echo "$(echo "$input" | jq -r '.model.display_name') # in $PWD"`;

function edited(text: string | undefined) {
  const edit = installStatusLine(text);
  assert(edit.ok);
  return edit;
}

Deno.test("no status line: mpm's own is added, and uninstall gives the file back byte for byte", () => {
  const original = '{\n  "model": "sonnet"\n}\n';
  const edit = edited(original);
  assertEquals(edit.action, "added");
  assertEquals(JSON.parse(edit.text).statusLine, { type: "command", command: MPM_STATUS_LINE });
  assertEquals(statusLineKind(edit.text), "mpm");
  assertEquals(edited(edit.text), { ok: true, text: edit.text, action: "present" });
  const back = uninstallStatusLine(edit.text);
  assertEquals(back, { ok: true, text: original, action: "removed" });
  assertEquals(edited(undefined).action, "added");
});

Deno.test("the person's status line runs first; mpm's part follows; uninstall restores theirs", () => {
  const original = JSON.stringify(
    { statusLine: { type: "command", command: THEIRS, padding: 0 }, theme: "dark" },
    null,
    2,
  ) + "\n";
  const edit = edited(original);
  assertEquals(edit.action, "wrapped");
  const settings = JSON.parse(edit.text);
  assertEquals(settings.statusLine.padding, 0);
  assertEquals(settings.theme, "dark");
  assertEquals(unwrapped(settings.statusLine.command)?.theirs, THEIRS);
  assertEquals(statusLineKind(edit.text), "wrapped");
  assertEquals(edited(edit.text).action, "present");
  assertEquals(uninstallStatusLine(edit.text), { ok: true, text: original, action: "restored" });
});

Deno.test("a status line mpm cannot read, or one already running mpm, is left as it is", () => {
  for (const statusLine of [{ type: "command" }, "text", { type: "other", command: "x" }]) {
    const text = JSON.stringify({ statusLine });
    assertEquals(edited(text), { ok: true, text, action: "kept" });
    assertEquals(uninstallStatusLine(text), { ok: true, text, action: "none" });
  }
  const own = JSON.stringify({ statusLine: { type: "command", command: "~/bin/mpm statusline" } });
  assertEquals(edited(own).action, "present");
  assertEquals(uninstallStatusLine(own), { ok: true, text: own, action: "none" });
  assertEquals(installStatusLine("{ nope").ok, false);
  assertEquals(unwrapped("echo hi")?.theirs, undefined);
});

Deno.test("mpm's status line starts its refresh in a session of its own, with a fallback", () => {
  // At exit Claude Code waits for the status line's process group to empty: the refresh leaves it.
  assert(MPM_STATUS_LINE.includes('| setsid -f "$m" statusline >/dev/null 2>&1 || ('));
  // Without setsid (macOS), a job-control subshell: bash starts its job in a group of its own.
  assert(MPM_STATUS_LINE.includes('|| (set -m 2>/dev/null; printf "%s\\n" "$i" | "$m" statusline'));
  // Single quotes would end the `sh -c '…'` it is wrapped in.
  assert(MPM_STATUS_LINE.startsWith("exec sh -c '") && MPM_STATUS_LINE.endsWith("'"));
  assertEquals(MPM_STATUS_LINE.slice("exec sh -c '".length, -1).includes("'"), false);
});

Deno.test("a status line from a settings file git tracks is the repository's: mpm's own goes here instead, never a copy of it", () => {
  const repository = [".claude/settings.json"];
  const project = JSON.stringify({ statusLine: { type: "command", command: THEIRS } });
  const below = { from: ".claude/settings.json", text: project };
  const original = '{\n  "theme": "dark"\n}\n';
  const install = (text: string, other = below) => {
    const edit = installStatusLine(text, other, repository);
    assert(edit.ok);
    return edit;
  };
  // The person's own file below (git does not track it): copied here, wrapped, as before.
  const own = installStatusLine(original, below);
  assert(own.ok);
  assertEquals([own.action, own.from], ["borrowed", ".claude/settings.json"]);

  // The repository's: not copied, nor run inside mpm's; mpm's own, which Claude Code shows first.
  const edit = install(original);
  assertEquals([edit.action, edit.from], ["instead", ".claude/settings.json"]);
  assertEquals(JSON.parse(edit.text).statusLine, { type: "command", command: MPM_STATUS_LINE });
  assert(!edit.text.includes(THEIRS));
  assertEquals(install(edit.text), { ok: true, text: edit.text, action: "present" });
  assertEquals(uninstallStatusLine(edit.text), { ok: true, text: original, action: "removed" });

  // Committed in mpm's wrapper form, which anyone can write by hand: the same.
  const committed = { from: ".claude/settings.json", text: edited(project).text };
  assertEquals(statusLineKind(committed.text), "wrapped");
  const wrapped = install(original, committed);
  assertEquals([wrapped.action, wrapped.text], ["instead", edit.text]);

  // A copy made of the repository's before git tracked it goes: mpm's own takes its place.
  const replaced = install(own.text);
  assertEquals([replaced.action, replaced.from], ["replaced", ".claude/settings.json"]);
  assertEquals(JSON.parse(replaced.text).statusLine.command, MPM_STATUS_LINE);
  assertEquals(uninstallStatusLine(replaced.text), { ok: true, text: original, action: "removed" });

  // mpm's own, committed byte for byte, is mpm's part already shown.
  assertEquals(install(original, { ...below, text: edit.text }).action, "present");
});
