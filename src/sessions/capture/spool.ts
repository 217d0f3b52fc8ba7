/**
 * Automatic pauses that could not wait for the lock. Claude Code gives SessionEnd about 1.5 s;
 * when another mpm holds `.claude-mpm/.lock` for longer, the hook writes what it would have
 * saved (its words, the git state and the active session as they were then) to
 * `.claude-mpm/spool/`, each file created exclusively, and returns. The next command that
 * changes state folds them in, oldest first, as the snapshots they would have been.
 */
import { join } from "../../kernel/path.ts";
import * as z from "../../kernel/zod.ts";
import { createAtomic } from "../../disk/files/atomic.ts";
import { removeEntry, renameEntry } from "../../disk/files/entries.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { LockBusyError } from "../../disk/lock.ts";
import type { GitState } from "../../git/tree/status.ts";
import { type State, stateSchemas } from "../state/state.ts";
import { type PauseRequest, writeSnapshotUnlessUnchanged } from "./capture.ts";
import { changeState, type StateEvent } from "../state/state_store.ts";
import { spoolDir, spooledNames } from "./spool_names.ts";
import type { Snapshot } from "../../kernel/snapshot.ts";

export const SPOOL_VERSION = 1;

/**
 * The schema, built on first use (src/kernel/zod.ts says why), with state.json's, whose active
 * session a spooled pause holds.
 */
function buildSchemas() {
  /** One queued pause. The request, session and git state are stored as the hook saw them. */
  const paths = z.array(z.string());
  const GitStateSchema = z.looseObject({
    status: z.looseObject({
      branch: z.nullable(z.string()),
      head: z.nullable(z.string()),
      detached: z.boolean(),
      upstream: z.nullable(z.string()),
      ahead_behind: z.nullable(z.object({ ahead: z.int(), behind: z.int() })),
      staged: paths,
      modified: paths,
      untracked: paths,
      deleted: paths,
      renamed: z.array(z.object({ from: z.string(), to: z.string() })),
      conflicted: paths,
    }),
    subject: z.nullable(z.string()),
  });
  const SpooledPauseSchema = z.looseObject({
    spool_version: z.literal(SPOOL_VERSION),
    spooled_at: z.string().check(z.refine((text) => !Number.isNaN(Date.parse(text)))),
    request: z.looseObject({
      summary: z.optional(z.string()),
      accomplishments: z.array(z.string()),
      nextSteps: z.array(z.string()),
      todos: z.array(
        z.looseObject({
          content: z.string(),
          status: z.enum(["pending", "in_progress", "completed"]),
        }),
      ),
    }),
    session: z.nullable(stateSchemas().ActiveSessionSchema),
    git: z.nullable(GitStateSchema),
  });

  return { SpooledPauseSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;

const spoolSchemas: () => Schemas = z.builtOnce(buildSchemas);

export { spoolDir, spooledNames };

/**
 * Queues a pause. The name holds the time first, so a listing sorts oldest first, then the
 * pid and random letters, so two hooks in one millisecond never meet.
 */
export async function spoolPause(
  paths: ProjectPaths,
  now: Date,
  request: PauseRequest,
  session: State["active"],
  git: GitState | null,
): Promise<string> {
  const record = {
    spool_version: SPOOL_VERSION,
    spooled_at: now.toISOString(),
    request,
    session,
    git,
  };
  const text = JSON.stringify(record) + "\n";
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  for (;;) {
    const random = crypto.getRandomValues(new Uint8Array(4));
    const suffix = [...random].map((b) => b.toString(16).padStart(2, "0")).join("");
    const file = join(spoolDir(paths), `pause-${stamp}-${Deno.pid}-${suffix}.json`);
    if (await createAtomic(file, text, { root: paths.base })) return file;
  }
}

/**
 * Folds queued pauses into snapshots, under the lock. Each becomes the snapshot it would have
 * been at its own time; the active session is marked paused only when it is still exactly the
 * session the hook saw (a session changed since is left alone). A file that cannot be read, or
 * from which no snapshot can be made, is moved aside as `.bad` and named to `warn` — never lost
 * silently, and never in the way of the command that folds it. Returns the snapshots written.
 */
export async function foldSpool(
  paths: ProjectPaths,
  options: { lockWaitMs?: number; warn?: (line: string) => void } = {},
): Promise<Snapshot[]> {
  if ((await spooledNames(paths)).length === 0) return [];
  return await changeState(paths, "fold-spool", async (state) => {
    const written: Snapshot[] = [];
    const events: StateEvent[] = [];
    let active = state.active;
    for (const name of await spooledNames(paths)) {
      const file = join(spoolDir(paths), name);
      const setAside = async (why: string) => {
        await renameEntry(file, `${file}.bad`).catch(() => {});
        options.warn?.(
          `mpm: a queued automatic pause could not be saved (${why}); it was set aside as ` +
            `.claude-mpm/spool/${name}.bad.`,
        );
        events.push({ command: "pause", auto: true, spooled: name, set_aside: why });
      };
      const parsed = await readSpooled(file);
      if (parsed === null) {
        await setAside("it is not a pause this mpm can read");
        continue;
      }
      const session = parsed.session;
      let saved;
      try {
        saved = await writeSnapshotUnlessUnchanged({
          root: paths.root,
          paths,
          now: new Date(parsed.spooled_at),
          request: parsed.request as PauseRequest,
          session,
          git: parsed.git as GitState | null,
        });
      } catch (error) {
        if (error instanceof LockBusyError) throw error;
        await setAside(error instanceof Error ? error.message : String(error));
        continue;
      }
      if (saved) written.push(saved.snapshot);
      if (session && active && JSON.stringify(active) === JSON.stringify(session)) active = null;
      events.push({
        command: "pause",
        auto: true,
        spooled: name,
        snapshot: saved?.snapshot.session_id ?? null,
      });
      await removeEntry(file);
    }
    return {
      state: { ...state, active },
      result: written,
      event: { command: "fold-spool", folded: events },
    };
  }, { lockWaitMs: options.lockWaitMs });
}

/** Folds what it can without waiting long: a busy lock means another command will fold them. */
export async function foldSpoolQuietly(
  paths: ProjectPaths,
  lockWaitMs: number,
  warn?: (line: string) => void,
): Promise<Snapshot[]> {
  try {
    return await foldSpool(paths, { lockWaitMs, warn });
  } catch (error) {
    if (error instanceof LockBusyError) return [];
    throw error;
  }
}

async function readSpooled(file: string) {
  try {
    const parsed = spoolSchemas().SpooledPauseSchema.safeParse(
      JSON.parse(await Deno.readTextFile(file)),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
