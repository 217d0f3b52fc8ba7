/**
 * What `mpm list` loads before it runs (counted by `deno info`, never timed): each module is a
 * file Deno resolves, reads and compiles at every list, so code only a rarer case runs — the
 * redaction a report needs, the spool's folding, who sent a pulled snapshot, Claude's handoffs —
 * is imported when that case comes.
 */
import { assertEquals } from "../../assert.ts";
import { staticGraph } from "../../static_graph.ts";

Deno.test("list loads no redaction, spool folding, senders or handoff records before it runs", async () => {
  const graph = await staticGraph("src/sessions/list/list_command.ts");
  const rare = [
    "src/kernel/safe_text/redact.ts",
    "src/sessions/report/render_report.ts",
    "src/sessions/store/session/spool.ts",
    "src/git/history/sender.ts",
    "src/git/history/signature.ts",
    "src/sessions/store/caches/senders_cache.ts",
    "src/sessions/store/state/claude_store.ts",
  ];
  assertEquals(rare.filter((m) => graph.includes(m)), []);
});
