/**
 * The quiet door: `mpm sync push|pull|status [REMOTE] [--json]` with nothing new, answered
 * before the command line loads (main.ts), from `cache/sync-door.json`: what the last quiet full
 * run printed, given again while the remote's ref (one `ls-remote`), mpm's refs, git's config and
 * HEAD, the synced folders, vault and sync.json look as they did and the cache is this machine's
 * seal.
 * Anything else is null and the full sync runs; nothing is written here.
 */
import { join } from "../../kernel/path.ts";
import { array, int, object, type Out, string } from "../../kernel/check.ts";
import { findGitDirs, findGitRoot, refCommitIn } from "../../git/run/root.ts";
import { runGit, useGitEnvFrom } from "../../git/run/run.ts";
import { type ProjectPaths, projectPaths } from "../../disk/paths.ts";
import { useMachineKeyFrom } from "../../disk/machine_key.ts";
import { lstatIfExistsSync } from "../../disk/read/stat.ts";
import { readTextIfExistsSync } from "../../disk/read/read.ts";
import { cached, type CacheKind, keep } from "../../sessions/store/caches/cache.ts";
import {
  configNow,
  folderLook,
  gitConfigStamp,
  plainBranch,
  remoteFromConfig,
  SYNC_REF,
  trackingRef,
  vaultLook,
} from "./stamps.ts";
import { doorKnew, doorSaw } from "./door_tip.ts";

const answerCheck = object({
  /** "push", "pull" or "status". */
  op: string(),
  /** The remote named on the command line ("" when none was). */
  named: string(),
  /** The remote it resolved to. */
  remote: string(),
  /** The remote's commit, which the tracking ref named too. */
  commit: string(),
  /** The local `refs/mpm/sessions` after the run ("" when there was none). */
  local: string(),
  /** git's config and HEAD before the run resolved the remote (gitConfigStamp; "": ask git). */
  git: string(),
  /** The identity and signing records of git's config the run read (`git config -z`). */
  identity: string(),
  /** The looks the quiet answer was kept against (stamps.ts). */
  config: string(),
  vault: string(),
  folders: string(),
  /** What the run printed, as text and with --json, and its exit code. */
  text: string(),
  json: string(),
  code: int("nonnegative"),
}, "strip");
export type DoorAnswer = Out<typeof answerCheck>;

const doorCheck = object({ root: string(), answers: array(answerCheck) }, "strip");

const SYNC_DOOR: CacheKind<Out<typeof doorCheck>> = {
  file: "sync-door.json",
  check: doorCheck,
  maxBytes: 4 * 1024 * 1024,
};

/** At most this many answers are kept (one per operation and remote named). */
const MAX_ANSWERS = 8;

/** The syncs the door may answer. */
export type DoorOp = "push" | "pull" | "status";

/** The sync the door may answer: `OP [REMOTE] [--json]`, in any order; else undefined. */
export function doorCall(
  args: readonly string[],
): { op: DoorOp; named: string; json: boolean } | undefined {
  const [op, ...rest] = args;
  if (op !== "push" && op !== "pull" && op !== "status") return undefined;
  let json = false;
  let named: string | undefined;
  for (const arg of rest) {
    if (arg === "--json" && !json) json = true;
    else if (named === undefined && arg !== "" && !arg.startsWith("-")) named = arg;
    else return undefined;
  }
  return { op, named: named ?? "", json };
}

export interface DoorInput {
  /** The arguments after `sync`. */
  args: readonly string[];
  vars: Readonly<Record<string, string>>;
  /** The folder mpm was started in. */
  cwd: string;
  stderrIsTTY: boolean;
}

/** What the full run printed for this quiet sync, and its exit code; null: run it in full. */
export async function quietDoor(
  input: DoorInput,
): Promise<{ stdout: string; stderr: string; code: number } | null> {
  const call = doorCall(input.args);
  const home = input.vars.HOME ?? input.vars.USERPROFILE;
  if (call === undefined || home === undefined) return null;
  // A test's fault injection counts the full run's steps.
  if (Object.keys(input.vars).some((key) => key.startsWith("MPM_TEST_"))) return null;
  useMachineKeyFrom(input.vars, home);
  useGitEnvFrom(input.vars);
  const root = await findGitRoot(input.cwd);
  if (root === undefined) return null;
  const paths = projectPaths(root);
  // Another mpm is at work on the store: the full run waits for it.
  if (lstatIfExistsSync(paths.lock) !== undefined) return null;
  const folders = folderLook(paths).look;
  const kept = await cached(paths, SYNC_DOOR, (value) => value.root === paths.root);
  const answer = kept?.answers.find((a) => a.op === call.op && a.named === call.named);
  if (answer === undefined) return null;
  const dirs = await findGitDirs(root);
  if (dirs === undefined) return null;
  const head = readTextIfExistsSync(join(dirs.gitDir, "HEAD"));
  const branch = plainBranch(head);
  if (branch === undefined) return null;
  // git's config as it was when the remote was resolved: the same remote, without asking git,
  // here or in the full run should this door let it through.
  const sameConfig = answer.git !== "" && gitConfigStamp(dirs, head) === answer.git;
  if (sameConfig) doorKnew(root, call.named, { remote: answer.remote, config: answer.identity });
  if (answer.folders !== folders) return null;
  // The refs from their files where they say it plainly, else from git.
  const local = refCommitIn(dirs, SYNC_REF);
  const tracking = refCommitIn(dirs, trackingRef(answer.remote));
  const [remote, refs, tip, config, vault] = await Promise.all([
    sameConfig ? answer.remote : resolved(root, branch, call.named),
    local !== undefined && tracking !== undefined
      ? { local, tracking }
      : syncRefs(root, answer.remote),
    remoteTip(root, answer.remote),
    configNow(paths),
    vaultLook(paths),
  ]);
  const same = remote === answer.remote && tip === answer.commit &&
    refs?.tracking === answer.commit && refs.local === answer.local &&
    config === answer.config && vault === answer.vault;
  if (!same) return null;
  const fetching = input.stderrIsTTY ? `Fetching ${SYNC_REF} from ${answer.remote}…\n` : "";
  const told = input.vars.MPM_DEBUG === "1"
    ? "mpm: answered by the quiet sync door (nothing new on either side).\n"
    : "";
  return {
    stdout: call.json ? answer.json : answer.text,
    stderr: fetching + told,
    code: answer.code,
  };
}

/** The remote a full run resolves (refs.ts resolveRemote), from the same config; else undefined. */
async function resolved(root: string, branch: string, named: string) {
  const out = await runGit(root, [
    "config",
    "-z",
    "--get-regexp",
    "^(remote\\..+\\.url|branch\\..+\\.remote)$",
  ]);
  if (out === null || (out.code !== 0 && out.code !== 1)) return undefined;
  return remoteFromConfig(out.stdout, branch, named || undefined).remote;
}

/** The local ref's and the tracking ref's commits ("" for none); undefined when git fails. */
async function syncRefs(root: string, remote: string) {
  const tracking = trackingRef(remote);
  const out = await runGit(root, [
    "for-each-ref",
    "--format=%(objectname) %(objecttype) %(refname)",
    SYNC_REF,
    tracking,
  ]);
  if (out === null || out.code !== 0) return undefined;
  const refs = new Map<string, string>();
  for (const line of out.stdout.split("\n")) {
    const [sha, type, ...name] = line.split(" ");
    if (type === "commit") refs.set(name.join(" "), sha);
  }
  return { local: refs.get(SYNC_REF) ?? "", tracking: refs.get(tracking) ?? "" };
}

/** The remote's `refs/mpm/sessions` commit by one `ls-remote`, as the full run asks it. */
async function remoteTip(root: string, remote: string): Promise<string | undefined> {
  const out = await runGit(root, ["ls-remote", "--quiet", remote, SYNC_REF]);
  if (out === null || out.code !== 0) return undefined;
  // A pattern matches a ref's tail: only the line of the ref itself counts.
  const line = out.stdout.split("\n").find((l) => l.endsWith(`\t${SYNC_REF}`));
  doorSaw(root, remote, line?.split("\t")[0] ?? null);
  return line?.split("\t")[0];
}

/**
 * Keeps a full run's quiet answers for the door (a pull that imported knows the next pull's and
 * push's), beside the others' (one per operation and remote named); best effort. `tracking` and
 * `local` are the refs after the run: an answer is kept only when the tracking ref names the
 * commit it was worked out against.
 */
export async function keepDoorAnswers(
  paths: ProjectPaths,
  answers: readonly DoorAnswer[],
  tracking: string | null,
): Promise<void> {
  const taken = answers.filter((answer) => answer.commit === tracking);
  if (taken.length === 0) return;
  const kept = await cached(paths, SYNC_DOOR, (value) => value.root === paths.root);
  const others = (kept?.answers ?? []).filter((a) =>
    !taken.some((answer) => a.op === answer.op && a.named === answer.named)
  );
  await keep(paths, SYNC_DOOR, {
    root: paths.root,
    answers: [...others, ...taken].slice(-MAX_ANSWERS),
  });
}
