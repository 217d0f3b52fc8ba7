import {
  assert,
  assertEquals,
  assertNotIncludes,
  assertRejects,
  assertStringIncludes,
} from "../../../../tests/assert.ts";
import { join } from "../../../kernel/path.ts";
import { newSessionId } from "../../../kernel/ids.ts";
import { checksumLine } from "../../../kernel/hashing/checksum.ts";
import { serializeSnapshot, writtenElsewhere } from "../../../kernel/snapshot.ts";
import { useMachineKeyFrom } from "../../../disk/machine_key.ts";
import { projectPaths } from "../../../disk/paths.ts";
import { buildSnapshot } from "../session/build_snapshot.ts";
import { freshSessionId, saveSnapshot } from "./save_snapshot.ts";
import { listEntries } from "../listing/listing.ts";
import { loadSnapshot } from "./read_snapshot.ts";

/** A snapshot of `now` (under a fresh id unless one is given). */
function built(now: Date, root: string, id = freshSessionId(now)) {
  return buildSnapshot({
    summary: "Payments",
    accomplishments: [],
    nextSteps: [],
    todos: [],
  }, {
    id,
    now,
    git: null,
    projectPath: root,
    version: "0.1.0",
    build: "dev",
  });
}

async function project() {
  const root = await Deno.makeTempDir({ prefix: "mpm-save-" });
  return {
    root,
    paths: projectPaths(root),
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

Deno.test("a saved snapshot is its checksum, record, renderings and LATEST, no temp file", async () => {
  await using p = await project();
  const now = new Date("2026-03-01T10:00:00.123Z");
  const { snapshot, files } = await saveSnapshot(p.paths, built(now, p.root), {
    latest: true,
  });
  const id = snapshot.session_id;
  const names = [...Deno.readDirSync(p.paths.sessions)].map((e) => e.name).sort();
  assertEquals(names, [
    "LATEST-SESSION.txt",
    `${id}.json`,
    `${id}.json.sha256`,
    `${id}.md`,
    `${id}.yaml`,
  ]);
  assertEquals(files.json, join(p.paths.sessions, `${id}.json`));
  assertEquals(await Deno.readTextFile(p.paths.latest), `${id}\n`);
  const [entry] = await listEntries(p.paths);
  assertEquals((await loadSnapshot(p.paths, entry)).session_id, id);
  if (Deno.build.os !== "windows") {
    for (const name of names) {
      assertEquals((await Deno.stat(join(p.paths.sessions, name))).mode! & 0o777, 0o600);
    }
  }
});

Deno.test("LATEST keeps naming a snapshot that sorts before the new one", async () => {
  await using p = await project();
  const now = new Date();
  // Dated a minute ahead (a clock a little fast on another machine): within the slack the
  // listing allows, so it stays the newest.
  const later = new Date(now.getTime() + 60_000);
  const ahead = newSessionId(later, new Uint8Array([1, 2, 3]));
  await Deno.mkdir(p.paths.sessions, { recursive: true });
  const text = serializeSnapshot(built(later, p.root, ahead));
  await Deno.writeTextFile(join(p.paths.sessions, `${ahead}.json`), text);
  await Deno.writeTextFile(
    join(p.paths.sessions, `${ahead}.json.sha256`),
    checksumLine(text, `${ahead}.json`),
  );
  await saveSnapshot(p.paths, built(now, p.root), { latest: true });
  assertEquals(await Deno.readTextFile(p.paths.latest), `${ahead}\n`);
  const left = [...Deno.readDirSync(p.paths.sessions)].filter((e) => e.name.endsWith(".tmp"));
  assertEquals(left, []);
});

Deno.test("snapshots saved within one second each become LATEST in turn", async () => {
  await using p = await project();
  const second = Date.UTC(2026, 2, 1, 10, 0, 0);
  const ids: string[] = [];
  for (const ms of [5, 400, 999]) {
    const now = new Date(second + ms);
    const { snapshot } = await saveSnapshot(p.paths, built(now, p.root), {
      latest: true,
    });
    ids.push(snapshot.session_id);
    assertEquals(await Deno.readTextFile(p.paths.latest), `${snapshot.session_id}\n`);
  }
  // One saved for an earlier moment of that second, a queued pause folded in late, leaves it.
  const early = new Date(second + 1);
  await saveSnapshot(p.paths, built(early, p.root), { latest: true, queued: true });
  assertEquals(await Deno.readTextFile(p.paths.latest), `${ids[2]}\n`);
  // One written now for an earlier moment (the clock went back) is written last: the newest.
  const { snapshot } = await saveSnapshot(p.paths, built(new Date(second + 2), p.root), {
    latest: true,
  });
  assertEquals(await Deno.readTextFile(p.paths.latest), `${snapshot.session_id}\n`);
  assertEquals(snapshot.mpm.seq, 4);
});

Deno.test("a snapshot is sealed with this machine's key: read back it is this machine's, another key's is not", async () => {
  await using p = await project();
  const home = join(p.root, "home");
  const now = new Date("2026-03-01T10:00:00.123Z");
  try {
    useMachineKeyFrom({ HOME: home });
    const { snapshot } = await saveSnapshot(p.paths, built(now, p.root));
    assert(/^[0-9a-f]{64}$/.test(snapshot.mpm.seal ?? ""), snapshot.mpm.seal);
    const [entry] = await listEntries(p.paths);
    assert(!writtenElsewhere(await loadSnapshot(p.paths, entry)));
    // Another machine (another HOME, another key) reads the same file as written elsewhere.
    useMachineKeyFrom({ HOME: join(p.root, "other-home") });
    assert(writtenElsewhere(await loadSnapshot(p.paths, entry)));
    // No home at all: nothing is this machine's.
    useMachineKeyFrom({});
    assert(writtenElsewhere(await loadSnapshot(p.paths, entry)));
  } finally {
    useMachineKeyFrom({});
  }
});

Deno.test("a taken id gives way to a fresh one of the same moment, unless it was chosen beforehand", async () => {
  await using p = await project();
  const now = new Date("2026-03-01T10:00:00.123Z");
  const first = await saveSnapshot(p.paths, built(now, p.root));
  const again = await saveSnapshot(p.paths, built(now, p.root, first.snapshot.session_id));
  assert(again.snapshot.session_id !== first.snapshot.session_id);
  assertEquals(again.snapshot.paused_at, first.snapshot.paused_at);
  assert(again.snapshot.session_id.startsWith("session-20260301-100000-123"));
  await assertRejects(
    () => saveSnapshot(p.paths, built(now, p.root, first.snapshot.session_id), { fixedId: true }),
    /is taken/,
  );
  assertEquals((await listEntries(p.paths)).length, 2);
});

Deno.test("every file saveSnapshot writes is redacted, whatever field the secret was built into", async () => {
  await using p = await project();
  const secret = "ghp_" + "R8vX2mQ7tL4kP9wN3cB6zH1jD5fG0sYaE2uT";
  const now = new Date("2026-03-01T10:00:00.123Z");
  const snapshot = built(now, p.root);
  const planted = {
    ...snapshot,
    conversation: { ...snapshot.conversation, summary: `token ${secret}` },
    mpm: { ...snapshot.mpm, notes: [`note ${secret}`], reason: secret },
  };
  const { snapshot: saved, files } = await saveSnapshot(p.paths, planted, { latest: true });
  assertStringIncludes(saved.conversation.summary, "[REDACTED:github-token]");
  for (const file of [files.json, `${files.json}.sha256`, files.md, files.yaml]) {
    assertNotIncludes(await Deno.readTextFile(file), secret, file);
  }
});

/** `count` records written straight into sessions/, a minute apart, ending `before` ago. */
async function manyRecords(root: string, count: number, end: Date): Promise<string[]> {
  const paths = projectPaths(root);
  await Deno.mkdir(paths.sessions, { recursive: true });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(end.getTime() - (count - i) * 60_000);
    const id = newSessionId(at, new Uint8Array([i % 256, 7, 7]));
    const text = serializeSnapshot(built(at, root, id));
    await Deno.writeTextFile(join(paths.sessions, `${id}.json`), text);
    await Deno.writeTextFile(
      join(paths.sessions, `${id}.json.sha256`),
      checksumLine(text, `${id}.json`),
    );
    ids.push(id);
  }
  return ids;
}

/** How many times `work` lists `dir` (Deno.readDirSync, counted, the real one doing the work). */
async function listingsOf(dir: string, work: () => Promise<unknown>): Promise<number> {
  const real = Deno.readDirSync;
  let n = 0;
  Deno.readDirSync = (path: string | URL) => {
    if (String(path) === dir) n++;
    return real(path);
  };
  try {
    await work();
  } finally {
    Deno.readDirSync = real;
  }
  return n;
}

Deno.test("a pause in a large store lists no folder to find the newest: the index says", async () => {
  await using p = await project();
  const now = new Date();
  const ids = await manyRecords(p.root, 600, new Date(now.getTime() - 3_600_000));
  // The folder's index, as the first pause or list keeps it.
  await saveSnapshot(p.paths, built(new Date(now.getTime() - 60_000), p.root), { latest: true });
  const listed = await listingsOf(p.paths.sessions, async () => {
    const { snapshot } = await saveSnapshot(p.paths, built(now, p.root), { latest: true });
    assertEquals(await Deno.readTextFile(p.paths.latest), `${snapshot.session_id}\n`);
  });
  assertEquals(listed, 0);
  assertEquals((await listEntries(p.paths)).length, ids.length + 2);

  // One the index names sorts after the new one (copied in from a machine whose clock runs a
  // little fast, then listed): it stays LATEST.
  const later = new Date(now.getTime() + 120_000);
  const ahead = newSessionId(later, new Uint8Array([9, 9, 9]));
  const text = serializeSnapshot(built(later, p.root, ahead));
  await Deno.writeTextFile(join(p.paths.sessions, `${ahead}.json`), text);
  await Deno.writeTextFile(
    join(p.paths.sessions, `${ahead}.json.sha256`),
    checksumLine(text, `${ahead}.json`),
  );
  await listEntries(p.paths);
  await saveSnapshot(p.paths, built(new Date(now.getTime() + 1_000), p.root), { latest: true });
  assertEquals(await Deno.readTextFile(p.paths.latest), `${ahead}\n`);
});
