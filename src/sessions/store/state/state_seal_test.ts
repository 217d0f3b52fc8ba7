import { assert, assertEquals } from "../../../../tests/assert.ts";
import { tempDir } from "../../../../tests/helpers.ts";
import { useMachineKeyFrom } from "../../../disk/machine_key.ts";
import { emptyState, foreignState, type State } from "../records/state/state.ts";
import { judgeState, sealedStateText } from "./state_seal.ts";

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
    const sealed = await judgeState(text, JSON.parse(text));
    assertEquals(sealed.whose, "sealed");
    assertEquals(sealed.state, state);
    const edited = text.replace('"mine"', '"mind"');
    const foreign = await judgeState(edited, JSON.parse(edited));
    assertEquals(foreign.whose, "foreign");
    assertEquals(foreign.state.active, null);
    assert(foreignState(foreign.state));
  }));

Deno.test("an unsealed state naming a session is not this machine's, whatever it names", () =>
  withKey(async () => {
    const read = await judgeState(JSON.stringify(state), state);
    assertEquals(read.whose, "foreign");
    assertEquals(read.state.active, null);
    assert(foreignState(read.state));
  }));

Deno.test("an unsealed state naming no session reads as empty, unmarked", () =>
  withKey(async () => {
    const text = JSON.stringify(emptyState());
    const read = await judgeState(text, emptyState());
    assertEquals(read.state, emptyState());
    assert(!foreignState(read.state));
  }));

Deno.test("where no key can be made, the state reads as it is and is written unsealed", async () => {
  useMachineKeyFrom({});
  const text = await sealedStateText(state);
  assert(!text.includes('"seal"'));
  assertEquals((await judgeState(text, state)).whose, "unsealable");
});
