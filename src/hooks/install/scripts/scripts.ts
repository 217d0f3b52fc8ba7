/** The shipped hook scripts, embedded by text import. */
import checkpoint from "../../../../hooks/checkpoint.sh" with { type: "text" };
import onError from "../../../../hooks/on-error.sh" with { type: "text" };
import postSession from "../../../../hooks/post-session.sh" with { type: "text" };
import preSession from "../../../../hooks/pre-session.sh" with { type: "text" };
import {
  HOOK_SCRIPTS,
  type HookScript,
  MPM_HOOK_ENTRIES,
} from "../../../claude/settings/hooks/hook_entries.ts";

export const SHIPPED_SCRIPTS: Readonly<Record<HookScript, string>> = {
  "pre-session": preSession,
  "post-session": postSession,
  "checkpoint": checkpoint,
  "on-error": onError,
};

/** `pre-session`, `pre-session.sh` → `pre-session`; anything else → undefined. */
export function scriptNamed(name: string): HookScript | undefined {
  const bare = name.endsWith(".sh") ? name.slice(0, -3) : name;
  return (HOOK_SCRIPTS as readonly string[]).includes(bare) ? bare as HookScript : undefined;
}

/** "SessionStart (startup|resume|clear|compact|fork)", one per event the script is wired to. */
export function scriptEvents(script: HookScript): string[] {
  return MPM_HOOK_ENTRIES.filter((entry) => entry.script === script)
    .map((entry) => {
      const matcher = entry.matcherLabel ?? entry.matcher;
      return matcher ? `${entry.event} (${matcher})` : entry.event;
    });
}
