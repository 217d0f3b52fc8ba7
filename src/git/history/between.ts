/**
 * Two commits compared for `mpm checkpoint diff A B`: the commits between, the net tree change, and
 * blobs' sha256 (what a checkpoint records for a dirty file).
 */
import { digestHex } from "../../kernel/hashing/digest.ts";
import {
  type ChangedFile,
  type Commit,
  COMMIT_FORMAT,
  parseCommits,
  parseNameStatus,
} from "./history.ts";
import { parseCatFileBatch } from "../tree/porcelain.ts";
import { gitFailure, isNotRepo, runGit, runGitBytes } from "../run/run.ts";

const OBJECT_NAME = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

export interface Between {
  /** Commits in `to`'s history that `from`'s lacks, oldest first. */
  commits: Commit[];
  /** Whether `from` is `to` or one of its ancestors. */
  ancestor: boolean;
  /** The net change from `from`'s tree to `to`'s (mpm's own folder left out). */
  files: ChangedFile[];
}

/** History from `from` to `to`; null without git, or when either commit is not here. */
export async function historyBetween(
  root: string,
  from: string,
  to: string,
): Promise<Between | null> {
  if (!OBJECT_NAME.test(from) || !OBJECT_NAME.test(to)) return null;
  const check = await runGit(root, ["cat-file", "--batch-check=%(objecttype)"], {
    stdin: `${from}^{commit}\n${to}^{commit}\n`,
  });
  if (check === null || isNotRepo(check)) return null;
  if (check.stdout.split("\n").slice(0, 2).some((line) => line !== "commit")) return null;
  const logArgs = ["log", "-z", "--no-show-signature", "--encoding=UTF-8", "--reverse"];
  const diffArgs = ["diff-tree", "-r", "-z", "-M", "--name-status", from, to, "--"];
  const [log, diff, ancestor] = await Promise.all([
    runGit(root, [...logArgs, `--format=${COMMIT_FORMAT}`, `${from}..${to}`, "--"]),
    runGit(root, diffArgs),
    runGit(root, ["merge-base", "--is-ancestor", from, to]),
  ]);
  for (const [args, out] of [[logArgs, log], [diffArgs, diff]] as const) {
    if (out === null || out.code !== 0) {
      throw gitFailure(args, out ?? { code: -1, stdout: "", stderr: "git could not be started" });
    }
  }
  return {
    commits: parseCommits(log!.stdout),
    ancestor: ancestor?.code === 0,
    files: parseNameStatus(diff!.stdout),
  };
}

/** Each blob's sha256 by one `cat-file --batch`; a missing blob is left out. */
export async function blobSha256s(
  root: string,
  oids: readonly string[],
): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  const wanted = [...new Set(oids)].filter((oid) => OBJECT_NAME.test(oid));
  if (wanted.length === 0) return digests;
  const args = ["cat-file", "--batch"];
  const out = await runGitBytes(root, args, { stdin: wanted.join("\n") + "\n" });
  if (out === null) return digests;
  if (out.code !== 0) throw gitFailure(args, { ...out, stdout: "" });
  for (const [oid, bytes] of parseCatFileBatch(out.stdout)) {
    digests.set(oid, await digestHex("sha256", bytes));
  }
  return digests;
}
