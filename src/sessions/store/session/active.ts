/**
 * What the session commands (start, todo, branch, return, status, template) share: how long to
 * wait for the lock, fresh session keys, template seeds, and reading a snapshot back by its id.
 */
import { IntegrityError } from "../../../kernel/errors.ts";
import type { Snapshot } from "../../../kernel/snapshot.ts";
import {
  fillTemplate,
  parseVars,
  type Seed,
  seedFrom,
  unusedVars,
} from "../templates/templates.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { listEntries } from "../listing/listing.ts";
import { loadSnapshot } from "../snapshots/read_snapshot.ts";
import { type ChangeOptions, lockWaitFrom, lockWaitNotice } from "../state/state_store.ts";
import { findTemplate } from "../templates/template_store.ts";
import type { Env } from "../../../cli/env.ts";

export function stateOptions(env: Env): ChangeOptions {
  return { now: env.now, lockWaitMs: lockWaitFrom(env.vars), onLockWait: lockWaitNotice(env.warn) };
}

/** A new session's key: short, random, never a snapshot id. */
export function newSessionKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  return `s-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export interface TemplateSeed extends Seed {
  template: string;
}

/** Template `name`'s todos and notes with `--var`s filled in; read before any state changes. */
export async function seedFromTemplate(
  env: Env,
  paths: ProjectPaths,
  name: string | undefined,
  varFlags: string[],
): Promise<TemplateSeed | undefined> {
  const vars = parseVars(varFlags);
  if (name === undefined) {
    if (varFlags.length > 0) env.warn("mpm: --var is used only with --template; ignored.");
    return undefined;
  }
  const template = await findTemplate(paths, name);
  // A repository's template under a shipped name is what `-t NAME` takes; the person is told.
  if (template.overrides) {
    env.warn(
      `mpm: template "${name}" is this repository's own (.claude-mpm/templates/${name}.md), ` +
        "which replaces the shipped one; `mpm template show " + name + "` shows it.",
    );
  }
  const filled = fillTemplate(name, template.text, vars);
  const unused = unusedVars(template.text, vars);
  if (unused.length > 0) {
    env.warn(`mpm: template "${name}" does not use --var ${unused.join(", ")}; ignored.`);
  }
  return { template: name, ...seedFrom(filled, env.now()) };
}

/** The snapshot with id `id`, checksum-verified; a missing one is an integrity problem. */
export async function loadSnapshotById(paths: ProjectPaths, id: string): Promise<Snapshot> {
  const entries = await listEntries(paths, { locations: ["sessions", "pause", "archive"] });
  const entry = entries.find((e) => e.id === id);
  if (!entry) {
    throw new IntegrityError(
      `The snapshot ${id} that the session stack refers to is missing.`,
      "Restore it from a backup or from `mpm sync pull`.",
    );
  }
  return await loadSnapshot(paths, entry);
}
