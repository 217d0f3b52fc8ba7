/**
 * Every relative link in the README and docs/ leads somewhere: to a file that exists and, where it
 * names an anchor, to a heading of that page (by GitHub's slug) or an `<a id>` in it. The docs are
 * cut and linked to each other instead of repeated, so a renamed heading must not strand a link.
 */
import { dirname, join, relative } from "node:path";
import { assertEquals } from "../assert.ts";
import { ROOT } from "../helpers.ts";

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

/** The anchors a page offers: its headings' slugs (repeats numbered as GitHub does) and `<a id>`s. */
function anchors(page: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(page).split("\n")) {
    const heading = line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
    if (heading) {
      const base = slug(heading[1]);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      found.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const id of line.matchAll(/<a id="([^"]+)">/g)) found.add(id[1]);
  }
  return found;
}

/** A page with its fenced blocks blanked: a `#` in a shell block is no heading, `](x)` no link. */
function withoutFences(page: string): string {
  return page.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** The relative links of a page (not web addresses, not mail), without inline code's look-alikes. */
function relativeLinks(page: string): string[] {
  const text = withoutFences(page).replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** What is wrong with each link of the page at `path` (relative to ROOT), read through `read`. */
async function brokenLinks(
  path: string,
  read: (path: string) => Promise<string | null>,
): Promise<string[]> {
  const page = await read(path);
  if (page === null) return [`${path}: not found`];
  const broken: string[] = [];
  for (const link of relativeLinks(page)) {
    const [file, anchor] = link.split("#", 2);
    const target = file === "" ? path : relative(".", join(dirname(path), file));
    const text = target === path ? page : await read(target);
    if (text === null) broken.push(`${path}: ${link} (no ${target})`);
    else if (anchor !== undefined && target.endsWith(".md") && !anchors(text).has(anchor)) {
      broken.push(`${path}: ${link} (no heading #${anchor} in ${target})`);
    }
  }
  return broken;
}

async function readRepo(path: string): Promise<string | null> {
  try {
    const info = await Deno.stat(join(ROOT, path));
    return info.isDirectory ? "" : await Deno.readTextFile(join(ROOT, path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

Deno.test("slug and anchors follow GitHub's rules", () => {
  assertEquals(
    slug("The MCP server — `mpm mcp` (`src/mcp/tools.ts`), `~/.claude.json`"),
    "the-mcp-server--mpm-mcp-srcmcptoolsts-claudejson",
  );
  assertEquals(slug("What a pull can and cannot do"), "what-a-pull-can-and-cannot-do");
  const page = '# A\n```sh\n# not a heading\n```\n## A\n<a id="x-y"></a>\n';
  assertEquals([...anchors(page)].sort(), ["a", "a-1", "x-y"]);
});

Deno.test("a link to a missing file or heading is reported, one in code is not", async () => {
  const pages: Record<string, string> = {
    "docs/a.md": "# Top\nSee [b](b.md#there), [gone](c.md), [top](#top), [bad](#nope),\n" +
      "`[not](a link)`, [web](https://example.com).\n```md\n[fenced](x.md)\n```\n",
    "docs/b.md": "# Elsewhere\n",
  };
  const broken = await brokenLinks("docs/a.md", (path) => Promise.resolve(pages[path] ?? null));
  assertEquals(broken, [
    "docs/a.md: b.md#there (no heading #there in docs/b.md)",
    "docs/a.md: c.md (no docs/c.md)",
    "docs/a.md: #nope (no heading #nope in docs/a.md)",
  ]);
});

Deno.test("every relative link in the README and docs/ resolves", async () => {
  const pages = ["README.md"];
  for await (const entry of Deno.readDir(join(ROOT, "docs"))) {
    if (entry.isFile && entry.name.endsWith(".md")) pages.push(`docs/${entry.name}`);
  }
  const broken: string[] = [];
  for (const page of pages.sort()) broken.push(...await brokenLinks(page, readRepo));
  assertEquals(broken, []);
});
