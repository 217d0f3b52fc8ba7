/** Claude's handoffs grouped by session for `mpm list`: count, newest goal, given yet. */
import type { ProjectPaths } from "../../disk/paths.ts";
import { printable } from "../../kernel/format/text.ts";
import { ago, rowLine } from "./row_text.ts";
import type { ClaudeHandoff } from "../store/records/handoff/claude_record.ts";
import { fileNames } from "../../disk/read/stat.ts";
import { HANDOFFS, storeFolder } from "../store/listing/store_folders.ts";

export interface SessionHandoffs {
  /** One line about a session's handoffs ("Claude's handoff …"), or null when it has none. */
  sessionText(key: string, now: Date): string | null;
  /** A line about the handoffs written before any session began, or null. */
  looseText(): string | null;
}

const NONE: SessionHandoffs = { sessionText: () => null, looseText: () => null };

export async function handoffsBySession(paths: ProjectPaths): Promise<SessionHandoffs> {
  // Their code is loaded only when the folder holds a record: most lists have none.
  const names = await fileNames(storeFolder(paths, HANDOFFS));
  if (!names.some((name) => name.endsWith(".json"))) return NONE;
  const [{ givenIds, handoffIds, listHandoffs }, { cutText }] = await Promise.all([
    import("../store/state/claude_store.ts"),
    import("../store/records/handoff/claude_record.ts"),
  ]);
  if ((await handoffIds(paths)).length === 0) return NONE;
  const [listed, given] = await Promise.all([listHandoffs(paths), givenIds(paths)]);
  const bySession = new Map<string | null, ClaudeHandoff[]>();
  const notHere = new Set<string>();
  for (const { record, own } of listed) {
    if (!record) continue;
    if (!own) notHere.add(record.handoff_id);
    const list = bySession.get(record.line) ?? [];
    list.push(record);
    bySession.set(record.line, list);
  }
  return {
    sessionText: (key, now) => {
      const mine = bySession.get(key);
      if (!mine) return null;
      const newest = mine[0];
      const more = mine.length > 1 ? `, ${mine.length} in its chain` : "";
      const state = notHere.has(newest.handoff_id)
        ? "not written on this machine: never given"
        : given.has(newest.handoff_id)
        ? "given"
        : "not given yet";
      const goal = printable(cutText(rowLine(newest.handoff.goal), 100));
      return `↳ Claude's handoff ${newest.handoff_id} (${
        ago(new Date(newest.written_at), now)
      }${more}; ${state}): ${goal} — mpm handoff show`;
    },
    looseText: () => {
      const loose = bySession.get(null);
      if (!loose) return null;
      return `  ${loose.length} handoff${loose.length === 1 ? "" : "s"} from Claude written ` +
        "before any session began: mpm handoff list";
    },
  };
}
