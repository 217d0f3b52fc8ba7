/** `mpm search`'s answer, newest first. Pure. */
import { agentLabel } from "../kernel/agent_name.ts";
import type { Style } from "../kernel/format/style.ts";
import { shown } from "../kernel/safe_text/shown.ts";
import { FROM_REPOSITORY, notYours } from "../kernel/safe_text/whose.ts";
import { excerpt, quotedQuery } from "./match.ts";
import type { Hit } from "./sources.ts";

export interface SearchResult {
  query: string;
  regex: boolean;
  tools: boolean;
  since: string | null;
  /** Every hit, before the limit. */
  total: number;
  hits: Hit[];
  notes: string[];
}

/** A hit's excerpt as before, match, after, each redacted again as shown. */
export function excerptParts(hit: Hit, as: "plain" | "printable"): [string, string, string] {
  const ex = excerpt(hit.text, hit.match);
  return [
    ex.text.slice(0, ex.match[0]),
    ex.text.slice(ex.match[0], ex.match[1]),
    ex.text.slice(ex.match[1]),
  ].map((part) => shown(part, { as })) as [string, string, string];
}

/** The JSON document: each hit with its excerpt in place of the whole text. */
export function searchJson(result: SearchResult) {
  return {
    query: result.query,
    regex: result.regex,
    tools: result.tools,
    since: result.since,
    total: result.total,
    hits: result.hits.map((hit) => {
      const [before, match, after] = excerptParts(hit, "plain");
      return {
        time: hit.time,
        source: hit.source,
        kind: hit.kind,
        session: hit.session,
        claude_session: hit.claude_session,
        excerpt: before + match + after,
        match: [before.length, before.length + match.length],
        file: hit.file,
        open: hit.open,
        // Whose: present only for a transcript or error record not the person's (sources.ts).
        ...(hit.imported_from === undefined ? {} : { imported_from: hit.imported_from }),
        // The agent: present only for another agent's conversation than Claude Code's.
        ...(hit.agent === undefined ? {} : { agent: hit.agent }),
      };
    }),
    notes: result.notes,
  };
}

function when(iso: string | null): string {
  return iso === null ? "(no time)" : iso.replace("T", " ").slice(0, 16) + " UTC";
}

/** The Claude sessions of hits a pull brought, whose senders are asked of git after. */
export function pulledSessions(hits: readonly Hit[]): string[] {
  return hits.filter((h) =>
    h.source === "transcript" && h.imported_from !== undefined &&
    h.imported_from !== FROM_REPOSITORY
  ).map((h) => h.claude_session).filter((id): id is string => id !== null);
}

/** The hits for a terminal; `fromOwnKey`: sessions from the person's other machine. */
export function renderSearch(
  result: SearchResult,
  s: Style,
  color: boolean,
  fromOwnKey: ReadonlySet<string> = new Set(),
): string[] {
  const quoted = quotedQuery(result.query);
  if (result.total === 0) {
    const where = result.tools ? "" : " (tool output is searched with --tools)";
    return [`Nothing matches ${quoted}${where}.`];
  }
  const listed = result.hits.length;
  const lines = [
    s.bold(
      `${result.total} match${result.total === 1 ? "" : "es"} for ${quoted}` +
        (listed < result.total ? `, the newest ${listed}:` : ", newest first:"),
    ),
  ];
  for (const hit of result.hits) {
    const [before, match, after] = excerptParts(hit, "printable");
    const whose = hit.imported_from === undefined ? null : `(${
      notYours(
        hit.imported_from,
        hit.source === "transcript" && fromOwnKey.has(hit.claude_session ?? ""),
      )
    })`;
    const kind = hit.agent === undefined
      ? `${hit.source} · ${hit.kind}`
      : `${hit.source} · ${agentLabel(hit.agent)} · ${hit.kind}`;
    const where = [hit.session ?? "no session", kind, hit.file, whose]
      .filter((part): part is string => Boolean(part))
      .map((part) => shown(part, { as: "printable" })).join("  ");
    lines.push(
      "",
      `${s.dim(when(hit.time))}  ${where}`,
      `  ${before}${color ? `\x1b[1;33m${match}\x1b[22;39m` : `«${match}»`}${after}`,
    );
    if (hit.open) lines.push(`  ${s.cyan(shown(hit.open, { as: "printable" }))}`);
  }
  if (listed < result.total) {
    lines.push("", s.dim(`${result.total - listed} more: --limit 0 shows all.`));
  }
  return lines;
}
