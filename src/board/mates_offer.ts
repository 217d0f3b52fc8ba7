/**
 * The teammates' facts of what `mpm sync pull` just imported, made from the bytes it wrote
 * (still in memory) and stamped as written: the facts kept when the pull ends (teammates.ts
 * keepTeammateFacts) take them rather than read the records back. Only the newest a start
 * reads are made. Whose a record is stays the ref's to say, as for any record read.
 */
import type { ProjectPaths } from "../disk/paths.ts";
import { sessionIdFor } from "../kernel/ids.ts";
import { byCodeUnits } from "../kernel/lists.ts";
import { loadSnapshot } from "../sessions/store/snapshots/read_snapshot.ts";
import { RECORD_READ_BYTES } from "../sessions/store/snapshots/bounded_read.ts";
import { type Fact, factOf } from "./board_fact.ts";
import { nameOf, stampOf } from "./facts_store.ts";
import { mateFact } from "./mates_cache.ts";

/** One record's facts as a start's read of its file would make them, under its file's stamp. */
export interface Offered {
  file: string;
  stamp: string;
  fact: Fact;
}

/** The facts of a pull's imports, of the ids a start would read (`wanted`). */
export class MateOffers {
  readonly #wanted: Set<string>;
  readonly facts: Offered[] = [];

  /**
   * `ids`: the sessions the pull imports. Those in `days` of `now`, the newest `limit` of
   * them, are made: a start reads no more (teammates.ts TEAMMATE_READS).
   */
  constructor(ids: readonly string[], now: Date, days: number, limit: number) {
    const from = sessionIdFor(new Date(now.getTime() - days * 86_400_000));
    const newest = ids.filter((id) => id >= from).sort((a, b) => byCodeUnits(b, a));
    this.#wanted = new Set(newest.slice(0, limit));
  }

  /** Whether session `id`'s facts are made when it is written. */
  wants(id: string): boolean {
    return this.#wanted.has(id);
  }

  /**
   * Makes the facts of session `id` written as `file` with `data`, as factFromFile would read
   * them (a teammate's, no seal check). One a start reads only in part (large), or that fails
   * its checks, is left to be read.
   */
  async add(paths: ProjectPaths, id: string, file: string, data: string | Uint8Array) {
    if (!this.wants(id)) return;
    const entry = { id, file, format: "json" as const, location: "sessions" as const };
    const stamped = stampOf(entry);
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    if (stamped === null || stamped.size > RECORD_READ_BYTES || stamped.size !== bytes.length) {
      return;
    }
    try {
      const fact = mateFact(factOf(await loadSnapshot(paths, entry, { bytes }), null));
      this.facts.push({ file: nameOf(paths, entry), stamp: stamped.stamp, fact });
    } catch {
      // Read back, and told as any record failing its checks is.
    }
  }
}
