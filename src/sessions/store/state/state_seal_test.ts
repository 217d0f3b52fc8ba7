import { assert, assertEquals } from "../../../../tests/assert.ts";
import { tempDir } from "../../../../tests/helpers.ts";
import { useMachineKeyFrom } from "../../../disk/machine_key.ts";
import { emptyState, foreignState, type State } from "../records/state/state.ts";
import { type Snapshot, WRITTEN_ELSEWHERE } from "../../../kernel/snapshot.ts";
import type { SessionEntry } from "../listing/listing.ts";
import { judgeState, sealedStateText, type SnapshotLook } from "./state_seal.ts";

const state: State = {
  ...emptyState(),
  active: {
    key: "k1",
    name: "mine",
    task: null,
    template: null,
    started_at: "2025-10-20T10:00:00.000Z",
    adhoc: false,
    resumed_from: "session-1",
    parent: null,
    depth: 0,
    todos: [],
    notes: [],
    dirty: false,
  },
};

/** A look at snapshots: `sealedHere` says which keys this machine sealed a snapshot of. */
function look(sealedHere: string[], elsewhere: string[] = []): SnapshotLook {
  const entries = [...sealedHere, ...elsewhere].map((key, i) => ({
    id: `session-${i}`,
    file: `/x/session-${i}.json`,
    format: "json",
    location: "sessions",
    key,
  }));
  return {
    entries: () => Promise.resolve(entries as unknown as SessionEntry[]),
    snapshot: (entry) => {
      const key = (entry as unknown as { key: string }).key;
      const snapshot = { session_id: entry.id, mpm: { key } } as unknown as Snapshot;
      // The mark the snapshot store sets on what this machine did not seal.
      if (elsewhere.includes(key)) Object.assign(snapshot, { [WRITTEN_ELSEWHERE]: true });
      return Promise.resolve(snapshot);
    },
  };
}

async function withKey(fn: () => Promise<void>) {
  await using dir = await tempDir();
  useMachineKeyFrom({ XDG_STATE_HOME: `${dir.path}/state` });
  try {
    await fn();
  } finally {
    useMachineKeyFrom({});
  }
}

Deno.test("a state sealed here reads as it is; changed by a byte, it is not this machine's", () =>
  withKey(async () => {
    const text = await sealedStateText(state);
    const sealed = await judgeState(text, JSON.parse(text), look([]));
    assertEquals(sealed.whose, "sealed");
    assertEquals(sealed.state, state);
    const edited = text.replace('"mine"', '"mind"');
    const foreign = await judgeState(edited, JSON.parse(edited), look([]));
    assertEquals(foreign.whose, "foreign");
    assertEquals(foreign.state.active, null);
    assert(foreignState(foreign.state));
  }));

Deno.test("an unsealed state is an older mpm's here only with a snapshot of its session sealed here", () =>
  withKey(async () => {
    const text = JSON.stringify(state);
    assertEquals((await judgeState(text, state, look(["k1"]))).whose, "older");
    assertEquals((await judgeState(text, state, look(["k2"]))).whose, "foreign");
    // A snapshot of the session another machine sealed proves nothing.
    assertEquals((await judgeState(text, state, look([], ["k1"]))).whose, "foreign");
  }));

Deno.test("an unsealed state naming no session reads as empty, unmarked", () =>
  withKey(async () => {
    const text = JSON.stringify(emptyState());
    const read = await judgeState(text, emptyState(), look([]));
    assertEquals(read.state, emptyState());
    assert(!foreignState(read.state));
  }));

Deno.test("where no key can be made, the state reads as it is and is written unsealed", async () => {
  useMachineKeyFrom({});
  const text = await sealedStateText(state);
  assert(!text.includes('"seal"'));
  assertEquals((await judgeState(text, state, look([]))).whose, "unsealable");
});
