/**
 * `mpm doctor` on the store's records and its folders: every checksummed record kind (snapshots,
 * checkpoints, Claude's handoffs) verified and each damaged one named with what to do; a store
 * whose folders cannot be written found by writing and removing a probe file, leaving nothing.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../helpers.ts";

interface Check {
  id: string;
  status: string;
  message: string;
  fix?: string;
}

async function doctor(repo: Repo, env: Record<string, string> = {}, spawn = false) {
  const result = await mpm(["doctor", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home, ...env },
    spawn,
  });
  const report = JSON.parse(result.stdout) as { ok: boolean; checks: Check[] };
  return { code: result.code, report, stderr: result.stderr };
}

const failures = (checks: Check[]) => checks.filter((c) => c.status === "fail");

/** Every entry under `.claude-mpm/`, by its path inside it. */
async function storeEntries(repo: Repo): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for await (const entry of Deno.readDir(dir)) {
      out.push(`${rel}${entry.name}`);
      if (entry.isDirectory) await walk(join(dir, entry.name), `${rel}${entry.name}/`);
    }
  };
  await walk(join(repo.path, ".claude-mpm"), "");
  return out.sort();
}

Deno.test("mpm doctor verifies Claude's handoffs: a tampered one is named, with the command that removes it", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "w");
  const out = await mpm(["handoff", "save", "--input", "-", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: 'goal: "Ship refunds"\nnext_step: "Write the webhook"\n',
  });
  assertEquals(out.code, 0, out.stderr);
  const id = JSON.parse(out.stdout).handoff_id;
  const healthy = await doctor(repo);
  assertEquals(healthy.code, 0, JSON.stringify(failures(healthy.report.checks)));
  const counted = healthy.report.checks.find((c) => c.id === "checksums" && c.status === "ok");
  assertStringIncludes(counted!.message, "1 stored file verified");

  const file = join(repo.path, ".claude-mpm/handoffs", `${id}.json`);
  const text = await Deno.readTextFile(file);
  await Deno.writeTextFile(file, text.replace("Ship refunds", "Ship nothing"));
  const damaged = await doctor(repo);
  assertEquals(damaged.code, 1);
  const [bad] = failures(damaged.report.checks);
  assertEquals(bad.id, "checksums", JSON.stringify(damaged.report.checks));
  assertStringIncludes(bad.message, `.claude-mpm/handoffs/${id}.json does not match its checksum`);
  assertStringIncludes(bad.fix!, `rm -f ${file} ${file}.sha256`);
  const human = await repo.run("doctor");
  assertStringIncludes(human.stdout, `✗ .claude-mpm/handoffs/${id}.json does not match`);
  assert(!human.stdout.includes("All is well"), human.stdout);

  // The fix's command, run as given, leaves the store well.
  const command = bad.fix!.slice(bad.fix!.indexOf("rm -f "));
  const run = await new Deno.Command("sh", { args: ["-c", command], cwd: repo.path }).output();
  assertEquals(run.code, 0);
  const after = await doctor(repo);
  assertEquals(after.code, 0, JSON.stringify(failures(after.report.checks)));
});

Deno.test("mpm doctor: a store folder that cannot be written fails with the fix; the probe leaves nothing", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "one");
  await ok(repo, "checkpoint", "save", "milestone");
  const before = await storeEntries(repo);
  const well = await doctor(repo, {}, true);
  assertEquals(well.code, 0, JSON.stringify(failures(well.report.checks)));
  assertEquals(await storeEntries(repo), before);

  // Tests run as root, where a read-only mode stops no write: the fault is injected where the
  // disk writer writes (src/disk/files/faults/fault_point.ts), in a process of its own.
  const { code, report, stderr } = await doctor(repo, { MPM_TEST_FAULT: "EROFS@sessions" }, true);
  assertEquals(code, 1, stderr);
  const [bad, ...rest] = failures(report.checks);
  assertEquals(rest, []);
  assertEquals(bad.id, "writable", JSON.stringify(report.checks));
  assertStringIncludes(bad.message, ".claude-mpm/sessions");
  assertStringIncludes(bad.message, "read-only");
  assertStringIncludes(bad.fix!, "read-write");
  assertEquals(await storeEntries(repo), before);
});

/** Whether `chattr +i` works here (root on a file system that has the flag), and why not. */
function chattrUnusable(): string | undefined {
  const dir = Deno.makeTempDirSync({ prefix: "mpm-chattr-" });
  try {
    const set = new Deno.Command("chattr", { args: ["+i", dir], stderr: "piped" }).outputSync();
    if (!set.success) return `chattr +i failed: ${new TextDecoder().decode(set.stderr).trim()}`;
    new Deno.Command("chattr", { args: ["-i", dir] }).outputSync();
    return undefined;
  } catch (error) {
    return `chattr cannot be run: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

const NO_CHATTR = chattrUnusable();
if (NO_CHATTR !== undefined) console.log(`skipping the immutable-folder doctor test: ${NO_CHATTR}`);

Deno.test({
  name: "mpm doctor: an immutable sessions folder (chattr +i) is found, with the fix",
  ignore: NO_CHATTR !== undefined,
  fn: async () => {
    await using repo = await withRepo();
    await ok(repo, "pause", "-s", "one");
    const folder = join(repo.path, ".claude-mpm/sessions");
    const chattr = (flag: string) => new Deno.Command("chattr", { args: [flag, folder] }).output();
    assert((await chattr("+i")).success);
    try {
      assertEquals((await repo.run("pause", "-s", "two")).code, 1);
      const { code, report } = await doctor(repo);
      assertEquals(code, 1);
      const bad = failures(report.checks).filter((c) => c.id === "writable");
      assertEquals(bad.length, 1, JSON.stringify(report.checks));
      assertStringIncludes(bad[0].message, ".claude-mpm/sessions");
      assertStringIncludes(bad[0].fix!, `chattr -i -a ${folder}`);
    } finally {
      await chattr("-i");
    }
    assertEquals((await doctor(repo)).code, 0);
  },
});

Deno.test("mpm doctor names a store folder linked out of .claude-mpm/ or a file in a folder's place, and goes on", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "one");
  const sessions = join(repo.path, ".claude-mpm/sessions");
  const moved = join(repo.home, "sessions-elsewhere");
  await Deno.rename(sessions, moved);
  await Deno.symlink(moved, sessions);
  await Deno.writeTextFile(join(repo.path, ".claude-mpm/handoffs"), "x\n", { mode: 0o600 });
  const { code, report, stderr } = await doctor(repo);
  assertEquals(code, 1, stderr);
  const bad = failures(report.checks);
  assertEquals(bad.map((c) => c.id), ["layout", "symlinks"], JSON.stringify(report.checks));
  assertStringIncludes(bad[0].message, ".claude-mpm/handoffs is a file where mpm keeps a folder");
  assertStringIncludes(bad[1].message, `.claude-mpm/sessions is a symbolic link to ${moved}`);
  assert(report.checks.some((c) => c.id === "state" && c.status === "ok"));
});

Deno.test("mpm doctor warns of a handoff's checksum whose record is gone, with the rm that tidies it", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "one");
  const dir = join(repo.path, ".claude-mpm/handoffs");
  await Deno.mkdir(dir, { mode: 0o700 });
  const claim = join(dir, "handoff-20260101-000000-000abc.json.sha256");
  await Deno.writeTextFile(claim, `${"0".repeat(64)}  handoff-20260101-000000-000abc.json\n`, {
    mode: 0o600,
  });
  const { code, report } = await doctor(repo);
  assertEquals(code, 0, JSON.stringify(failures(report.checks)));
  const warned = report.checks.find((c) => c.id === "checksums" && c.status === "warn");
  assertStringIncludes(warned!.message, ".claude-mpm/handoffs/handoff-20260101-000000-000abc");
  assertEquals(warned!.fix, `rm ${claim}`);
});
