/**
 * The resume file Stop writes when the context window crosses a threshold: the git state, the
 * last commits, Claude's tasks and the active session's todos, rendered by resume_file.ts.
 * Loaded only then (a few times per Claude session), not on every reply.
 */
import { homeDir } from "../../cli/env.ts";
import { readClaudeTodos } from "../../claude/session/tasks.ts";
import type { KnownUsage } from "../../claude/session/context_usage.ts";
import { ensureExcluded } from "../../git/run/exclude.ts";
import { recentCommits } from "../../git/history/history.ts";
import { readGitState } from "../../git/tree/status.ts";
import { sessionReads } from "../../sessions/store/state/state_store.ts";
import { personWords } from "../../sessions/handoff/person_words.ts";
import type { HookContext } from "./hook_context.ts";
import { renderResumeFile, type Threshold } from "../records/resume_file.ts";
import { writeResumeFile } from "../../sessions/store/claude/records.ts";

/** Writes `sessions/session-resume-….md`; returns its path. */
export async function writeResumeFileNow(
  ctx: HookContext,
  usage: KnownUsage,
  threshold: Threshold,
): Promise<string> {
  const { env, payload, root, paths, now } = ctx;
  const [git, commits, tasks, state] = await Promise.all([
    readGitState(root),
    recentCommits(root, 5),
    readClaudeTodos({ home: homeDir(env) ?? "", sessionId: payload.session_id, env: env.vars }),
    sessionReads(paths).state().catch(() => null),
  ]);
  if (git) await ensureExcluded(root);
  // The person's words go first in the file, as everywhere: a damaged snapshot only loses them.
  const person = await personWords(paths, state?.active?.key).catch(() => null);
  const text = renderResumeFile({
    now,
    usage,
    threshold,
    claudeSessionId: payload.session_id,
    tasks: [...tasks.active, ...tasks.completed],
    sessionTodos: state?.active?.todos ?? [],
    sessionName: state?.active?.name ?? null,
    sessionTask: state?.active?.task ?? null,
    person,
    git: git ? { ...git.status, subject: git.subject } : null,
    recentCommits: commits ?? [],
    lastMessage: typeof payload.last_assistant_message === "string"
      ? payload.last_assistant_message
      : undefined,
  });
  return await writeResumeFile(paths, now, text);
}
