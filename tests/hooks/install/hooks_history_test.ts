/**
 * Every version of a hook script mpm ever shipped is known as mpm's own (shipped_history.ts): a
 * script holding one is updated quietly, never taken for a stranger's. Read from git's history
 * of `hooks/NAME.sh`; outside a git checkout (a source archive) there is nothing to compare.
 */
import { join } from "node:path";
import { assertEquals } from "../../assert.ts";
import { git, ROOT } from "../../helpers.ts";
import { HOOK_SCRIPTS } from "../../../src/claude/settings/hooks/hook_entries.ts";
import { OLDER_SHIPPED } from "../../../src/hooks/install/scripts/shipped_history.ts";
import { SHIPPED_SCRIPTS } from "../../../src/hooks/install/scripts/scripts.ts";
import { sha256Hex } from "../../../src/kernel/hashing/checksum.ts";

Deno.test("every hook script in git's history is listed as an earlier mpm's", async () => {
  const inGit = await git(ROOT, "rev-parse", "--is-inside-work-tree").catch(() => "");
  if (inGit.trim() !== "true") return;
  for (const script of HOOK_SCRIPTS) {
    // Each commit that changed the script, with the path it had there.
    const log = await git(
      ROOT,
      "log",
      "--follow",
      "--format=%H",
      "--name-only",
      "--",
      join("hooks", `${script}.sh`),
    );
    const lines = log.split("\n").filter((line) => line.trim() !== "");
    const missing: string[] = [];
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const text = await git(ROOT, "show", `${lines[i]}:${lines[i + 1]}`);
      const sha = sha256Hex(text);
      if (sha !== sha256Hex(SHIPPED_SCRIPTS[script]) && !OLDER_SHIPPED[script].includes(sha)) {
        missing.push(`${sha} (${lines[i].slice(0, 10)})`);
      }
    }
    assertEquals(missing, [], `add these to OLDER_SHIPPED["${script}"] in shipped_history.ts`);
  }
});
