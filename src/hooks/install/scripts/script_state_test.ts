import { assertEquals } from "../../../../tests/assert.ts";
import { judgeScript } from "./script_state.ts";

const SHIPPED = "a".repeat(64);
const MINE = "b".repeat(64);
const OTHER = "c".repeat(64);

Deno.test("a script is the person's only when this machine's install recorded it", () => {
  const judge = (found: Parameters<typeof judgeScript>[0], recorded?: string) =>
    judgeScript(found, recorded, SHIPPED);
  assertEquals(judge("missing"), "missing");
  assertEquals(judge({ sha256: SHIPPED }), "installed");
  // What this machine's install wrote, by an mpm this one does not know of.
  assertEquals(judge({ sha256: MINE }, MINE), "outdated");
  // Changed after this machine's install: the person's edit.
  assertEquals(judge({ sha256: OTHER }, MINE), "edited");
  // Nothing recorded here (a clone's committed script or unsealed manifest).
  assertEquals(judge({ sha256: OTHER }), "foreign");
  // A link or a folder is never read, nor anyone's script.
  assertEquals(judge("not-a-file", MINE), "foreign");
});
