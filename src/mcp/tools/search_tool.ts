/** `search`: mpm's records searched as `mpm search` does, each hit with whose words it holds. */
import * as z from "../../kernel/zod.ts";
import { agentLabel } from "../../kernel/agent_name.ts";
import { writtenElsewhere } from "../../kernel/snapshot.ts";
import type { Env } from "../../cli/env.ts";
import { findProjectRoot, projectPaths } from "../../disk/paths.ts";
import { sentWithOwnKeyCopies } from "../../vault/restore/restore.ts";
import {
  listSnapshots,
  newestFirst,
  type SessionEntry,
} from "../../sessions/store/listing/listing.ts";
import { loadSnapshot } from "../../sessions/store/snapshots/read_snapshot.ts";
import { ELSEWHERE, transcriptWhose } from "../../kernel/safe_text/whose.ts";
import { search } from "../../search/search.ts";
import type { Hit } from "../../search/sources.ts";
import { pulledSessions } from "../../search/render.ts";
import { answer, shownExcerpt, shownLine } from "./render.ts";
import { described, tool } from "./tool.ts";
import { when } from "./words.ts";

const DAY_MS = 86_400_000;

/** Whose a search hit is, in a few words. */
function whoseHit(
  hit: Hit,
  elsewhere: ReadonlySet<string>,
  fromOwnKey: ReadonlySet<string>,
): string {
  switch (hit.source) {
    case "snapshot":
      return hit.session !== null && elsewhere.has(hit.session) ? ELSEWHERE : "the person's own";
    case "transcript":
      return transcriptWhose(
        hit.imported_from,
        hit.kind.startsWith("prompt")
          ? "the person"
          : hit.agent === undefined
          ? "Claude"
          : agentLabel(hit.agent),
        hit.claude_session !== null && fromOwnKey.has(hit.claude_session),
      );
    case "handoff":
      return hit.imported_from !== undefined
        ? "Claude's handoff written elsewhere (a teammate's or a clone's), not the person's words"
        : "Claude's handoff, written in this project on this machine";
    case "context":
      return "the project's context file (in the repository: anyone may have written it)";
    case "error":
      return hit.imported_from !== undefined
        ? "an error record this machine did not write (it came with the repository), not the " +
          "person's words"
        : "an error record this machine's hooks wrote (a failed tool call or API error)";
  }
}

/** The snapshots among the shown hits that this machine did not write. */
async function snapshotsElsewhere(env: Env, hits: readonly Hit[]): Promise<Set<string>> {
  const ids = new Set(hits.filter((h) => h.source === "snapshot").map((h) => h.session!));
  if (ids.size === 0) return new Set();
  const paths = projectPaths(await findProjectRoot(env.cwd));
  // Built a page at a time, newest first, until every hit's is found: hits are mostly recent.
  const listing = await listSnapshots(paths, { locations: ["sessions", "pause", "archive"] });
  const entries: SessionEntry[] = [];
  for (const entry of newestFirst(listing)) {
    if (ids.has(entry.id)) entries.push(entry);
    if (entries.length === ids.size) break;
  }
  const elsewhere = new Set<string>();
  await Promise.all(
    entries.map(async (entry) => {
      // Search showed it only once it read in full; a read that fails now is not the person's.
      const snapshot = await loadSnapshot(paths, entry).catch(() => undefined);
      if (snapshot === undefined || writtenElsewhere(snapshot)) elsewhere.add(entry.id);
    }),
  );
  return elsewhere;
}

export const searchTool = tool({
  name: "search",
  title: "Search mpm's records",
  description: "Search everything mpm keeps for this project: the person's pauses (summaries, " +
    "accomplishments, next steps), todos and notes, Claude's handoffs (goal, decisions, what " +
    "was tried, next step), the context files, hook error records, and the prompts and " +
    "answers of past Claude Code conversations in mpm's vault. Use it to find what was " +
    "decided, tried or dropped in earlier sessions before asking the person. Plain text, any " +
    "case. Returns the newest hits first, each with its date, its session id (pass it to " +
    "show_session), whose words it holds (the person's own, or a teammate's or a clone's), and " +
    "a short excerpt with the match between « ».",
  input: z.object({
    query: described(z.string().check(z.minLength(1), z.maxLength(500)), "The text to look for."),
    limit: z.optional(described(
      z.int().check(z.minimum(1), z.maximum(50)),
      "How many hits to return, newest first (default 10).",
    )),
    since_days: z.optional(described(
      z.number().check(z.positive(), z.maximum(36_500)),
      "Only what is at most this many days old.",
    )),
    tool_output: z.optional(described(
      z.boolean(),
      "Also search tool calls and their output in the transcripts (default false).",
    )),
  }),
  readOnly: true,
  run: async (env, args) => {
    const limit = args.limit ?? 10;
    const since = args.since_days === undefined
      ? null
      : new Date(env.now().getTime() - args.since_days * DAY_MS).toISOString();
    const result = await search(env, args.query, {
      regex: false,
      tools: args.tool_output ?? false,
      since,
      limit,
    });
    const quoted = JSON.stringify(shownLine(args.query, 200));
    if (result.total === 0) {
      return answer([
        `Nothing in mpm's records matches ${quoted}.` +
        (args.tool_output ? "" : " (Tool output was not searched: set tool_output to include it.)"),
        ...notes(result.notes),
      ], "");
    }
    const [elsewhere, fromOwnKey] = await Promise.all([
      snapshotsElsewhere(env, result.hits),
      findProjectRoot(env.cwd).then((root) =>
        sentWithOwnKeyCopies(root, pulledSessions(result.hits))
      ),
    ]);
    const shown = result.hits.length;
    const head = `${result.total} match${result.total === 1 ? "" : "es"} for ${quoted}` +
      (shown < result.total ? `; the newest ${shown}:` : ", newest first:");
    const hits = result.hits.map((hit) => {
      const where = [
        when(hit.time),
        hit.session === null ? null : `session ${hit.session}`,
        `${hit.source} ${hit.kind}`,
        hit.file,
      ].filter((part): part is string => part !== null).map((p) => shownLine(p, 200)).join(" · ");
      return [
        `- ${where} · ${whoseHit(hit, elsewhere, fromOwnKey)}`,
        `  ${shownExcerpt(hit.text, hit.match)}`,
      ].join("\n");
    });
    if (shown < result.total) {
      hits.push(`(${result.total - shown} more: a larger limit, or since_days, narrows it.)`);
    }
    return answer(
      [head, hits.join("\n"), ...notes(result.notes)],
      "Ask for fewer hits (limit) or a narrower query.",
    );
  },
});

function notes(list: readonly string[]): string[] {
  if (list.length === 0) return [];
  return [["Not searched:", ...list.slice(0, 10).map((n) => `- ${shownLine(n, 300)}`)].join("\n")];
}
