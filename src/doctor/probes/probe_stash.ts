/** mpm's stashes no frame names, and frames a kill left unfinished. */
import type { Check } from "../judges/judge.ts";
import { listStashes } from "../../git/tree/stash.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { readState } from "../../sessions/store/state/state_store.ts";
import { orphanStashes, unfinished } from "../../sessions/report/stack.ts";

export async function stashChecks(paths: ProjectPaths): Promise<Check[]> {
  const state = await readState(paths).catch(() => null);
  // A damaged state.json is reported by the state check; its frames cannot be trusted here.
  if (state === null) return [];
  const checks: Check[] = [];
  for (const o of orphanStashes(await listStashes(paths.root), state.stack, state.kept_stashes)) {
    checks.push({
      id: "orphan-stash",
      status: "warn",
      message: `The stash ${o.ref} "${o.message}" holds work mpm put aside, and no session on ` +
        "the stack names it.",
      fix: o.restore,
    });
  }
  const top = state.stack.at(-1);
  const left = top ? unfinished(top) : null;
  if (left) {
    checks.push({
      id: "stack",
      status: "warn",
      message: `An interrupted \`mpm ${left}\` is on top of the branch stack.`,
      fix: "mpm return",
    });
  }
  return checks;
}
