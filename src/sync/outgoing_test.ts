/**
 * What a push sends (pull.ts `outgoing`) from a remote read whole and from one read lean, whose
 * files the same as the local ones are counted (remote.ts `sameAs`): the same answer.
 */
import { assertEquals } from "../../tests/assert.ts";
import { outgoing } from "./pull.ts";
import type { LocalFile, LocalSide } from "./local/local.ts";
import type { RemoteFile, RemoteSide } from "./remote/remote.ts";
import { byKind, IdLines } from "./plan/id_lines.ts";
import type { Kind } from "./plan/plan.ts";

const KINDS: Kind[] = ["session", "handoff"];
const sha = (c: string) => c.repeat(64);
const blob = (c: string) => c.repeat(40);

function file(id: string, c: string, origin?: { id: string; sha256: string }): LocalFile {
  return {
    kind: "session",
    id,
    file: `/p/.claude-mpm/sessions/${id}.json`,
    pushable: true,
    name: null,
    blob: blob(c),
    sha256: sha(c),
    look: "1:2:3:4/1:2:3:5",
    ...(origin ? { origin } : {}),
  };
}

function sides(sources: LocalFile[], remoteIds: string[], files: RemoteFile[]) {
  const ids = byKind(IdLines.empty());
  for (const id of remoteIds) ids.session.add(id);
  const remote: RemoteSide = {
    name: "origin",
    entries: [],
    files,
    refused: [],
    ids,
    lacking: new Set(),
    same: 0,
  };
  const local: LocalSide = {
    files: sources,
    ids: { session: new Set(sources.map((f) => f.id)), checkpoint: new Set(), handoff: new Set() },
    read: 0,
  };
  return { remote, local };
}

const Z = "session-20260101-100000-000abc";
const Y = "session-20260101-100000-000abd";
const N = "session-20260102-100000-000xyz";

Deno.test("a lean remote's same files are in both, and stand for a renamed copy's origin", () => {
  // Y was renamed on arrival from the remote's Z, which is the local Z too; N is new.
  const sources = [file(Z, "a"), file(Y, "b", { id: Z, sha256: sha("a") }), file(N, "c")];
  const asRemote = (f: LocalFile): RemoteFile => ({
    kind: f.kind,
    id: f.id,
    sha256: f.sha256,
    text: "",
    record: null,
  });
  const whole = sides(sources, [Z], [asRemote(sources[0])]);
  const lean = sides(sources, [Z], []);
  lean.remote.same = 1;
  lean.remote.sameAs = new Map([[`session/${Z}`, blob("a")]]);
  const answer = (s: ReturnType<typeof sides>) => {
    const out = outgoing(KINDS, sources, s.remote, s.local);
    return { moved: out.moved.map((m) => m.as), inBoth: out.inBoth };
  };
  assertEquals(answer(whole), { moved: [N], inBoth: 2 });
  assertEquals(answer(lean), answer(whole));
  // A local file of a same id whose bytes differ (another folder's copy was compared) is not.
  const other = sides([file(Z, "d"), sources[2]], [Z], []);
  other.remote.sameAs = new Map([[`session/${Z}`, blob("a")]]);
  const out = outgoing(KINDS, [file(Z, "d"), sources[2]], other.remote, other.local);
  assertEquals(out.moved.map((m) => m.id).sort(), [Z, N].sort());
  assertEquals(out.inBoth, 0);
});
