/** The commits of a stretch of time for a replay, every local branch, in one `git log`. */
import { gitFailure, isNotRepo, runGit } from "../run/run.ts";

export interface SpanCommit {
  sha: string;
  subject: string;
  author: string;
  /** Committer date, strict ISO 8601: when the commit happened here. */
  date: string;
  /** The branch it was reached from (`git log --source`), or null. */
  ref: string | null;
  /** Lines added and removed per file; null for a binary file. */
  files: { path: string; from?: string; added: number | null; removed: number | null }[];
}

/** A session with more commits than this shows the newest ones and says so. */
export const MAX_SPAN_COMMITS = 1000;

const FORMAT = "%x1e%H%x00%an%x00%cI%x00%S%x00%s";

/** Commits dated in [since, until], oldest first; null without git or a repository. */
export async function commitsBetween(
  root: string,
  since: Date,
  until: Date,
  limit = MAX_SPAN_COMMITS,
): Promise<SpanCommit[] | null> {
  const base = [
    "log",
    "-z",
    "--numstat",
    "-M",
    "--source",
    "--no-show-signature",
    "--encoding=UTF-8",
    "--date-order",
    `-n${limit}`,
    `--format=${FORMAT}`,
    `--until=${until.toISOString()}`,
  ];
  const refs = ["--branches", "HEAD", "--"];
  let args = [...base, `--since-as-filter=${since.toISOString()}`, ...refs];
  let out = await runGit(root, args);
  if (out !== null && out.code !== 0 && /since-as-filter/.test(out.stderr)) {
    args = [...base, `--since=${since.toISOString()}`, ...refs];
    out = await runGit(root, args);
  }
  if (out === null || isNotRepo(out)) return null;
  // A repository without commits has no HEAD to start from.
  if (out.code !== 0 && /ambiguous argument 'HEAD'|does not have any commits/.test(out.stderr)) {
    return [];
  }
  if (out.code !== 0) throw gitFailure(args, out);
  return parseSpanLog(out.stdout).reverse();
}

/** Parses the `-z --numstat` output of FORMAT; newest first, as git prints it. */
export function parseSpanLog(output: string): SpanCommit[] {
  const commits: SpanCommit[] = [];
  for (const record of output.split("\x1e")) {
    if (record === "") continue;
    const fields = record.split("\0");
    const [sha, author, date, source, subject] = fields;
    if (!sha || fields.length < 5) continue;
    const files: SpanCommit["files"] = [];
    const rest = fields.slice(5).map((token) => token.replace(/^\n/, ""));
    for (let i = 0; i < rest.length; i++) {
      const stat = rest[i].match(/^(\d+|-)\t(\d+|-)\t(.*)$/s);
      if (!stat) continue;
      const added = stat[1] === "-" ? null : Number(stat[1]);
      const removed = stat[2] === "-" ? null : Number(stat[2]);
      if (stat[3] === "") {
        // A rename: the two paths follow as tokens of their own.
        files.push({ path: rest[i + 2] ?? "", from: rest[i + 1] ?? "", added, removed });
        i += 2;
      } else files.push({ path: stat[3], added, removed });
    }
    commits.push({
      sha,
      subject,
      author,
      date,
      ref: source === "" ? null : source.replace(/^refs\/heads\//, ""),
      files,
    });
  }
  return commits;
}
