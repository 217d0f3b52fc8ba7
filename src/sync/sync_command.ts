/** `mpm sync push|pull|status`: share snapshots and checkpoints through the team's git remote. */
import { NothingToDo } from "../kernel/errors.ts";
import type { Kind } from "./plan/plan.ts";
import { resolveRemote, SYNC_REF, syncRefs, type SyncSetup } from "./remote/refs.ts";
import type { QuietReport, QuietStamps } from "./quiet/quiet_answer.ts";
import { type DoorOp, keepDoorAnswers } from "./quiet/sync_door.ts";
import { takeDoorConfig } from "./quiet/door_tip.ts";
import { projectPaths, refuseBareRepository } from "../disk/paths.ts";
import { STAND_IN } from "./plan/identity.ts";
import { findGitDirs, findGitRoot } from "../git/run/root.ts";
import { gitConfigStamp } from "./quiet/stamps.ts";
import { readTextIfExistsSync } from "../disk/read/read.ts";
import { join } from "../kernel/path.ts";
import {
  type Listed,
  type Moved,
  pullSync,
  quietReport,
  type SyncOptions,
  type SyncReport,
} from "./pull.ts";
import { pushSync } from "./push.ts";
import { statusSync } from "./status.ts";
import { boolFlag, type Command, type Parsed } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";
import { withProgress } from "../cli/progress.ts";
import { json, text } from "../cli/output.ts";
import { pushAll } from "../kernel/lists.ts";

const REMOTE_ARG = {
  name: "REMOTE",
  optional: true,
  description: "The git remote (default: the current branch's upstream remote, else origin).",
};
const DRY_RUN = { name: "dry-run", description: "Say what would move; change nothing." };
const JSON_FLAG = { name: "json", description: "Print the report as one JSON document." };
const LIST_LIMIT = 20;

async function setup(env: Env, parsed: Parsed) {
  const root = await findGitRoot(env.cwd);
  refuseBareRepository(env.cwd, root);
  if (root === undefined) {
    throw new NothingToDo(
      "mpm sync needs a git repository, and this folder is not in one.",
      "Run it inside the repository whose remote your team shares.",
    );
  }
  const options: SyncOptions = {
    dryRun: boolFlag(parsed, "dry-run") ?? false,
    ...(env.stderrIsTTY ? { progress: (line: string) => env.warn(line) } : {}),
  };
  // git's config as the remote is resolved from it, taken first: what the quiet door compares.
  const dirs = await findGitDirs(root);
  const gitStamp = dirs === undefined
    ? ""
    : gitConfigStamp(dirs, readTextIfExistsSync(join(dirs.gitDir, "HEAD")));
  const known = takeDoorConfig(root, parsed.args[0] ?? "");
  return { root, remote: await resolveRemote(root, parsed.args[0], known), options, gitStamp };
}

const NOUNS: Record<Kind, [string, string]> = {
  session: ["snapshot", "snapshots"],
  checkpoint: ["checkpoint", "checkpoints"],
  handoff: ["handoff", "handoffs"],
};

function count(items: { kind: Kind }[]): string {
  const parts = (["session", "checkpoint", "handoff"] as const).flatMap((kind) => {
    const n = items.filter((i) => i.kind === kind).length;
    return n ? [`${n} ${NOUNS[kind][n === 1 ? 0 : 1]}`] : [];
  });
  return parts.length ? parts.join(" and ") : "nothing";
}

function movedLines(moved: Moved[], where: string): string[] {
  const shown = moved.slice(0, LIST_LIMIT).map((m) =>
    m.as === m.id
      ? `  ${m.id}`
      : `  ${m.id} → ${m.as} (renamed: another ${NOUNS[m.kind][0]} has that id ${where})`
  );
  if (moved.length > LIST_LIMIT) shown.push(`  … and ${moved.length - LIST_LIMIT} more`);
  return shown;
}

function listedLines(title: string, listed: Listed[]): string[] {
  if (listed.length === 0) return [];
  return [title, ...listed.map((l) => `  ${l.id}: ${l.reason}`)];
}

function exitCode(report: SyncReport): number {
  return report.refused.length || report.transcripts.refused.length ? 4 : 0;
}

function common(report: SyncReport) {
  return {
    remote: report.remote,
    ref: SYNC_REF,
    remote_commit: report.remote_commit,
    transcripts: report.transcripts,
  };
}

/**
 * The vault's copies of Claude Code transcripts that went with the snapshots (`moved`: pushed,
 * imported, or for status local only), any that were refused, and those left where they are
 * (`kept`, under `keptLabel`): the remote's, because the copy here is this machine's own or
 * another transcript; this machine's, because it continues a teammate's conversation.
 */
function transcriptLines(
  report: SyncReport,
  verb: string,
  keptLabel = "Remote transcripts not taken (the copy here stays):",
): string[] {
  const { moved, incoming, refused, kept } = report.transcripts;
  const lines: string[] = [];
  const n = (count: number) => `${count} vaulted transcript${count === 1 ? "" : "s"}`;
  if (moved.length) lines.push(`${verb} ${n(moved.length)}: ${moved.join(", ")}.`);
  if (incoming.length) {
    lines.push(
      `Remote only: ${n(incoming.length)} (mpm sync pull imports them): ${incoming.join(", ")}.`,
    );
  }
  const listed = refused.map((r) => ({ kind: "session" as const, ...r }));
  const left = kept.map((k) => ({ kind: "session" as const, ...k }));
  return [
    ...lines,
    ...listedLines("Transcripts refused (they failed their checks):", listed),
    ...listedLines(keptLabel, left),
  ];
}

/** How a sync command prints its report: the JSON's own fields, the text's lines, the exit code. */
interface Rendering {
  fields: (report: SyncReport) => Record<string, unknown>;
  lines: (report: SyncReport) => string[];
  exit: (report: SyncReport) => number;
}

/** `report` as `rendering` prints it: as text and as one JSON document. */
function rendered(rendering: Rendering, report: SyncReport) {
  const code = rendering.exit(report);
  return {
    text: text(rendering.lines(report), code),
    json: json({ ...common(report), ...rendering.fields(report) }, code),
    code,
  };
}

/**
 * Runs one sync operation and prints its report as text or, with --json, one document. A push,
 * pull or status (`op`) whose answer was the quiet one keeps both for the quiet door
 * (sync_door.ts), and so does a pull that imported for the quiet pull and push after it
 * (`quietRenderings`).
 */
function runner(
  operation: (root: string, setup: SyncSetup, options: SyncOptions) => Promise<SyncReport>,
  rendering: Rendering,
  op?: DoorOp,
): Command["run"] {
  return async (env, parsed) => {
    const { root, remote, options, gitStamp } = await setup(env, parsed);
    /** The quiet answers to keep for the door: this run's own (no report), or the next ones'. */
    const quiet: { stamps: QuietStamps; report?: QuietReport }[] = [];
    const report = await withProgress(
      env,
      "syncing with the remote",
      boolFlag(parsed, "json"),
      () =>
        operation(root, remote, {
          ...options,
          now: env.now(),
          quiet: (stamps) => quiet.push({ stamps }),
          next: (answers) => pushAll(quiet, answers),
        }),
    );
    const own = rendered(rendering, report);
    if (op !== undefined && quiet.length > 0) {
      // Best effort: a door not kept is a full run next time.
      const refs = await syncRefs(root, remote.remote).catch(() => null);
      const answers = refs === null ? [] : quiet.flatMap(({ stamps, report: answer }) => {
        const as = stamps.op === "push" || stamps.op === "pull" || stamps.op === "status"
          ? stamps.op
          : undefined;
        if (as === undefined || (answer === undefined && as !== op)) return [];
        // The next ones' answers (a pull's) are a push's and a pull's, printed as those print.
        const shown = answer === undefined
          ? own
          : as === "status"
          ? undefined
          : rendered(quietRenderings[as], quietReport(as, stamps.remote, stamps.commit, answer));
        if (shown === undefined) return [];
        return [{
          op: as,
          named: parsed.args[0] ?? "",
          remote: stamps.remote,
          commit: stamps.commit,
          local: refs.local ?? "",
          git: gitStamp,
          identity: remote.config ?? "",
          config: stamps.config,
          vault: stamps.vault,
          folders: stamps.folders,
          text: shown.text.stdout ?? "",
          json: shown.json.stdout ?? "",
          code: shown.code,
        }];
      });
      if (refs !== null) await keepDoorAnswers(projectPaths(root), answers, refs.tracking);
    }
    return boolFlag(parsed, "json") ? own.json : own.text;
  };
}

function pushLines(report: SyncReport): string[] {
  const lines: string[] = [];
  const kept = report.excluded.length + report.held_back.length + report.refused.length;
  if (report.moved.length === 0 && report.in_both === 0 && kept === 0) {
    lines.push("Nothing to push: this project has no snapshots or checkpoints yet.");
  } else if (report.moved.length === 0) {
    lines.push(`Nothing to push: ${report.remote} has everything this project would send.`);
  } else {
    const verb = report.dry_run ? "Would push" : "Pushed";
    lines.push(`${verb} ${count(report.moved)} to ${report.remote} (${SYNC_REF}):`);
    pushAll(lines, movedLines(report.moved, `on ${report.remote}`));
  }
  if (report.anonymous) {
    lines.push(
      `This clone has no git identity: the push ${
        report.dry_run ? "would be" : "is"
      } mpm's (${STAND_IN.name} <${STAND_IN.email}>), and teammates' ` +
        "boards count its work as nobody's, with no overlap warned. Set yours " +
        '(`git config user.name "…"` and `git config user.email …`) before the next push.',
    );
  }
  if (report.in_both) lines.push(`Already on ${report.remote}: ${report.in_both}.`);
  pushAll(lines, listedLines("Not pushed (excluded by .claude-mpm/sync.json):", report.excluded));
  pushAll(lines, listedLines("Not pushed:", report.held_back));
  pushAll(lines, listedLines("Refused (failed their checks here):", report.refused));
  return lines;
}

function pullLines(report: SyncReport): string[] {
  if (report.remote_commit === null) {
    return [
      `Nothing to pull: ${report.remote} has no mpm sessions yet (no ${SYNC_REF}). ` +
      "`mpm sync push` shares yours.",
    ];
  }
  const lines: string[] = [];
  if (report.moved.length === 0) {
    lines.push(`Nothing to import: this project has everything on ${report.remote}.`);
  } else {
    const verb = report.dry_run ? "Would import" : "Imported";
    lines.push(`${verb} ${count(report.moved)} from ${report.remote}:`);
    pushAll(lines, movedLines(report.moved, "here"));
  }
  pushAll(lines, listedLines("Refused (failed their checks; not imported):", report.refused));
  return lines;
}

function statusLines(report: SyncReport): string[] {
  const at = report.remote_commit ? ` at ${report.remote_commit.slice(0, 7)}` : " (none yet)";
  const lines = [`${report.remote} ${SYNC_REF}${at}:`];
  const hint = (n: number, text: string) => n ? ` (${text})` : "";
  lines.push(`  in both:     ${report.in_both}`);
  lines.push(
    `  local only:  ${report.moved.length}${hint(report.moved.length, "mpm sync push sends them")}`,
  );
  lines.push(
    `  remote only: ${report.incoming.length}${
      hint(report.incoming.length, "mpm sync pull imports them")
    }`,
  );
  if (report.excluded.length) {
    lines.push(`  excluded:    ${report.excluded.length} (by .claude-mpm/sync.json)`);
  }
  if (report.moved.length) {
    pushAll(lines, ["", "Local only:", ...movedLines(report.moved, `on ${report.remote}`)]);
  }
  if (report.incoming.length) {
    pushAll(lines, ["", "Remote only:", ...movedLines(report.incoming, "here")]);
  }
  const held = listedLines("Not pushed:", report.held_back);
  const refused = listedLines("Failing their checks:", report.refused);
  if (held.length) pushAll(lines, ["", ...held]);
  if (refused.length) pushAll(lines, ["", ...refused]);
  return lines;
}

const PUSH_RENDERING: Rendering = {
  fields: (report) => ({
    dry_run: report.dry_run,
    pushed: report.moved,
    in_both: report.in_both,
    excluded: report.excluded,
    held_back: report.held_back,
    refused: report.refused,
    attempts: report.attempts,
    anonymous: report.anonymous ?? false,
  }),
  lines: (r) => [
    ...pushLines(r),
    ...transcriptLines(
      r,
      r.dry_run ? "Would push" : "Pushed",
      "Transcripts not sent (the copy here stays here):",
    ),
  ],
  exit: exitCode,
};

const PULL_RENDERING: Rendering = {
  fields: (report) => ({
    dry_run: report.dry_run,
    imported: report.moved,
    in_both: report.in_both,
    refused: report.refused,
  }),
  lines: (r) => [...pullLines(r), ...transcriptLines(r, r.dry_run ? "Would import" : "Imported")],
  exit: exitCode,
};

const STATUS_RENDERING: Rendering = {
  fields: (report) => ({
    counts: {
      local_only: report.moved.length,
      remote_only: report.incoming.length,
      in_both: report.in_both,
    },
    local_only: report.moved,
    remote_only: report.incoming,
    in_both: report.in_both,
    excluded: report.excluded,
    held_back: report.held_back,
    refused: report.refused,
  }),
  lines: (r) => [
    ...statusLines(r),
    ...transcriptLines(
      r,
      "Local only (mpm sync push sends them):",
      "Transcripts neither side takes (each copy stays where it is):",
    ),
  ],
  exit: () => 0,
};

/** How the quiet door's answers print: as the push and the pull with nothing new do. */
const quietRenderings: Record<"push" | "pull", Rendering> = {
  push: PUSH_RENDERING,
  pull: PULL_RENDERING,
};

const push: Command = {
  name: "push",
  summary: "Send this project's snapshots and checkpoints to the remote's refs/mpm/sessions.",
  json:
    `- \`mpm sync push --json\`: \`{"remote", "ref", "remote_commit", "dry_run", "pushed", "in_both",\`
  \`"excluded", "held_back", "refused", "attempts", "anonymous"}\`; \`anonymous\` is \`true\` when the
  clone has no git identity and files were (or would be) pushed under mpm's stand-in author, whose
  work teammates' boards count as nobody's (the text says so, with what to set).`,
  details: `Stores the files under the ref refs/mpm/sessions, built with git plumbing: your
branches, index, work tree and stash are untouched, and your own git push is unaffected.
A push someone else beat is merged (the union of both) and retried; it is never forced.
Only the stored (redacted) .json and .sha256 files travel, Claude's handoffs with the
snapshots (whom each was given to stays on this machine). .claude-mpm/sync.json can keep
sessions back: {"exclude": ["spike-*"], "include_checkpoints": true}.`,
  more:
    `Signed with your ssh key where git signs with one (gpg.format ssh); a gpg key is never used,
and a push signed with gpg counts as unverified on a teammate's pull, as an unsigned one does.`,
  args: [REMOTE_ARG],
  flags: [DRY_RUN, JSON_FLAG],
  examples: ["mpm sync push", "mpm sync push upstream --dry-run"],
  run: runner(pushSync, PUSH_RENDERING, "push"),
};

const pull: Command = {
  name: "pull",
  summary: "Import the snapshots and checkpoints others pushed to the remote.",
  json: `- \`mpm sync pull --json\`:
  \`{"remote", "ref", "remote_commit", "dry_run", "imported", "in_both", "refused"}\`.`,
  details: `Fetches refs/mpm/sessions and imports what this project lacks into
.claude-mpm/sessions/ (and checkpoints/, and Claude's handoffs into handoffs/), rebuilding
the .md and .yaml renderings. Every file's checksum and schema are verified first (a handoff
also against its size and text caps): one that fails is refused and listed (exit 4) while the
others still import, and what arrives is redacted again. A different file under an id already used here is imported
under the next free id, and said so.`,
  args: [REMOTE_ARG],
  flags: [DRY_RUN, JSON_FLAG],
  examples: ["mpm sync pull", "mpm sync pull --dry-run"],
  run: runner(pullSync, PULL_RENDERING, "pull"),
};

const status: Command = {
  name: "status",
  summary: "Compare this project's snapshots with the remote's: local only, remote only, both.",
  json:
    `- \`mpm sync status --json\`: \`{"remote", "ref", "remote_commit", "counts", "local_only",\`
  \`"remote_only", "in_both", "excluded", "held_back", "refused"}\`, \`counts\` being
  \`{"local_only", "remote_only", "in_both"}\`.

  In all three, a file that moves (or would: \`local_only\`, \`remote_only\`) is \`{"kind", "id", "as"}\`
  (\`kind\` is \`session\`, \`checkpoint\` or \`handoff\`; \`as\` differs from \`id\` when it was renamed), a
  listed one \`{"kind", "id", "reason"}\` (\`held_back\`: files push leaves behind, such as claude-mpm's
  or secret-looking ones, and a handoff the remote lacks whose \`seal\` does not check out here:
  pulled, committed into the repository), and \`in_both\` a count. Push and pull exit 4 when they
  refused a file. All three add \`"transcripts": {"moved", "incoming", "refused", "kept"}\`: the vault
  copies pushed or imported (status: a push would send), those a pull would take (status only),
  those refused (\`[{"id", "reason"}]\`, exit 4 too), and the remote's copies a pull leaves (would
  leave) because the copy here is this machine's own or another transcript (\`[{"id", "reason"}]\`,
  exit 0).`,
  details: `Fetches the remote's refs/mpm/sessions into mpm's own tracking ref and compares;
nothing under .claude-mpm/ changes. Files that fail their checks are listed, and so are the
ones .claude-mpm/sync.json keeps back. Right after a push and a pull that moved nothing, while
nothing has changed on either side, their answers are given again without reading the files.`,
  args: [REMOTE_ARG],
  flags: [JSON_FLAG],
  examples: ["mpm sync status", "mpm sync status --json"],
  run: runner(statusSync, STATUS_RENDERING, "status"),
};

export const syncCommand: Command = {
  name: "sync",
  summary: "Share sessions with your team through the git remote (refs/mpm/sessions).",
  subcommands: [push, pull, status],
};
