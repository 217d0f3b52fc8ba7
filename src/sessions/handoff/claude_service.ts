/** What `mpm handoff save|show|list|export` and `--reuse` do with Claude's handoffs. */
import { resolve } from "../../kernel/path.ts";
import { MpmError, NothingToDo, UsageError } from "../../kernel/errors.ts";
import type { Env } from "../../cli/env.ts";
import { buildInfo } from "../../cli/build_info.ts";
import { readGitState } from "../../git/tree/status.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { openProject, type Project } from "../store/session/project.ts";
import { changeState, readState } from "../store/state/state_store.ts";
import { stateOptions } from "../store/session/active.ts";
import type { State } from "../store/records/state/state.ts";
import { frameLabel } from "../report/stack.ts";
import { machineName } from "../store/records/snapshot/machine.ts";
import { gitContext } from "../store/session/build_snapshot.ts";
import { findSessionHistory, type SessionHistory } from "../store/snapshots/session_history.ts";
import { recentSnapshots } from "./person_words.ts";
import { buildClaudeHandoff } from "./claude_build.ts";
import {
  type ClaudeHandoff,
  handoffChars,
  newHandoffId,
  ofSession,
  previousOf,
} from "../store/records/handoff/claude_record.ts";
import { MAX_HANDOFF_INPUT_BYTES, parseHandoffInput, tooLong } from "./claude_input.ts";
import {
  dated,
  listHandoffs,
  saidForDisk,
  type StoredHandoff,
  writeHandoff,
} from "../store/state/claude_store.ts";

/** Claude Code tells the Bash tool its session (CLAUDE_CODE_SESSION_ID); a plain id only. */
function claudeSessionOf(env: Env): string | null {
  const id = env.vars.CLAUDE_CODE_SESSION_ID;
  return id !== undefined && /^[A-Za-z0-9_-]{1,100}$/.test(id) ? id : null;
}

async function inputText(env: Env, given: string): Promise<string> {
  if (given === "-") {
    try {
      return await env.readStdin(MAX_HANDOFF_INPUT_BYTES);
    } catch (error) {
      if (error instanceof MpmError) throw tooLong();
      throw error;
    }
  }
  const path = resolve(env.cwd, given);
  const info = await Deno.stat(path).catch(() => undefined);
  if (info === undefined) {
    throw new UsageError(`--input ${given}: there is no such file; nothing was saved.`);
  }
  if (!info.isFile) throw new UsageError(`--input ${given} is not a file; nothing was saved.`);
  if (info.size > MAX_HANDOFF_INPUT_BYTES) throw tooLong();
  return await Deno.readTextFile(path);
}

/** The session now: the active one, else the newest one `mpm resume` would pick. */
async function currentSession(paths: ProjectPaths, state: State): Promise<SessionHistory | null> {
  return findSessionHistory(await recentSnapshots(paths), state.active?.key);
}

/** A child session on the stack: the handoff would be the child's, a detour's middle. */
function refuseStack(state: State): void {
  const top = state.stack.at(-1);
  if (top === undefined) return;
  const child = state.active?.name ?? state.active?.key ?? "a child session";
  throw new MpmError(
    `${JSON.stringify(child)} is a child of ${
      JSON.stringify(frameLabel(top))
    } on the stack, so a handoff now would leave the parent behind; nothing was saved.`,
    "Finish the child with `mpm return` first (or `mpm pause` to keep its words), then hand off.",
  );
}

export interface Saved {
  record: ClaudeHandoff;
  file: string;
  /** The session's name, when a session or snapshot gave it one. */
  name: string | null;
}

export async function saveHandoff(env: Env, input: string): Promise<Saved> {
  // Everything the person could get wrong is refused before the project is touched.
  const { words, focus } = await saidForDisk(parseHandoffInput(await inputText(env, input)));
  const project = await openProject(env, { writes: true });
  const { paths, root } = project;
  const info = buildInfo();
  return await changeState(paths, "handoff", async (state) => {
    refuseStack(state);
    const [history, git, stored] = await Promise.all([
      currentSession(paths, state),
      readGitState(root),
      listHandoffs(paths),
    ]);
    const key = history?.key ?? state.active?.key ?? null;
    const now = env.now();
    const saved = await writeHandoff(
      paths,
      () => newHandoffId(now, crypto.getRandomValues(new Uint8Array(3))),
      (id) =>
        buildClaudeHandoff({
          id,
          now,
          words,
          focus,
          line: key,
          previous: previousOf(dated(stored), key),
          snapshot: history?.last?.session_id ?? null,
          claudeSession: claudeSessionOf(env),
          git: git ? gitContext({ ...git.status, subject: git.subject }) : null,
          projectPath: root,
          machine: machineName() ?? null,
          version: info.version,
          build: info.build,
        }),
    );
    const record = saved.record;
    return {
      state,
      result: { ...saved, name: state.active?.name ?? history?.last?.mpm.name ?? null },
      event: {
        command: "handoff",
        handoff: record.handoff_id,
        previous: record.previous,
        session: record.line,
        written_by: "claude",
        chars: handoffChars(record.handoff),
      },
    };
  }, stateOptions(env));
}

export interface Found {
  project: Project;
  stored: StoredHandoff[];
  record: ClaudeHandoff;
  /** This machine wrote it (store/state/claude_store.ts): only then is it ever given to Claude. */
  own: boolean;
  /** The key of the current session (null: none yet). */
  line: string | null;
}

function noHandoffs(): NothingToDo {
  return new NothingToDo(
    "Claude has written no handoff in this project yet.",
    "In Claude Code, /mpm-handoff writes one (then /clear starts the next conversation from it).",
  );
}

/** The stored handoffs, newest first, each read or with why not, and the current session's key. */
export type Listed = Omit<Found, "record" | "own">;

/** Every handoff of the project, read and verified: what `list` shows, readable or not. */
export async function listStored(env: Env): Promise<Listed> {
  const project = await openProject(env);
  const [stored, state] = await Promise.all([
    listHandoffs(project.paths),
    readState(project.paths),
  ]);
  if (stored.length === 0) throw noHandoffs();
  const line = (await currentSession(project.paths, state))?.key ?? state.active?.key ?? null;
  return { project, stored, line };
}

/** The handoff a command names (id, prefix, `N`), else the current session's newest. */
export async function findHandoff(env: Env, selector: string | undefined): Promise<Found> {
  const { project, stored, line } = await listStored(env);
  let chosen: StoredHandoff | undefined;
  if (selector === undefined) {
    const readable = stored.filter((s) => s.record);
    chosen = readable.find((s) => s.own && ofSession(s.record!, line)) ??
      readable.find((s) => ofSession(s.record!, line)) ?? readable[0] ?? stored[0];
  } else if (/^\d{1,7}$/.test(selector)) {
    chosen = stored[Number(selector) - 1];
    if (chosen === undefined) {
      throw new NothingToDo(
        `There is no handoff number ${selector}: \`mpm handoff list\` shows ${stored.length}.`,
      );
    }
  } else {
    const matches = stored.filter((s) => s.id.startsWith(selector));
    if (matches.length !== 1) {
      throw matches.length === 0
        ? new NothingToDo(
          `No handoff is named ${JSON.stringify(selector)}.`,
          "`mpm handoff list` shows their ids.",
        )
        : new UsageError(
          `${JSON.stringify(selector)} names ${matches.length} handoffs.`,
          "Give more of the id, or its number from `mpm handoff list`.",
        );
    }
    chosen = matches[0];
  }
  if (chosen.error) throw chosen.error;
  if (selector === undefined) {
    // A newer one that cannot be read might have been this work's newest: passed over, said so.
    for (const skipped of stored.slice(0, stored.indexOf(chosen))) {
      if (skipped.error === undefined) continue;
      env.warn(
        `mpm: ${skipped.error.message.replace(/\.$/, "")}; ${chosen.id} is used instead.`,
      );
    }
  }
  return { project, stored, record: chosen.record!, own: chosen.own, line };
}
