/**
 * A heavy Claude Code user's `~/.claude.json`, as Claude Code writes it (JSON.stringify with two
 * spaces, no newline at the end): many projects, each with the pasted history older versions
 * kept there, some of it outside ASCII. For the tests and the bench of an install on a big file.
 */

/** The text of a `~/.claude.json` of about `bytes` bytes, with `project`'s own entry inside. */
export function bigClaudeJson(project: string, bytes: number): string {
  const paste = "Retry budget kept at three — upstream limits ✓ 🚀 ".repeat(40);
  const entry = (n: number) => ({
    allowedTools: [],
    history: Array.from({ length: 20 }, (_, i) => ({
      display: `prompt ${n}.${i}: ${paste}`,
      pastedContents: {},
    })),
    mcpContextUris: [],
    mcpServers: {},
    enabledMcpjsonServers: [],
    disabledMcpjsonServers: [],
    hasTrustDialogAccepted: true,
    lastCost: n / 7,
  });
  const one = JSON.stringify(entry(0), null, 2).length;
  const count = Math.max(2, Math.ceil(bytes / one));
  const projects: Record<string, unknown> = {};
  for (let n = 0; n < count; n++) {
    if (n === Math.floor(count / 2)) projects[project] = entry(n);
    else projects[`/home/ada/code/project-${n}`] = entry(n);
  }
  return JSON.stringify(
    { numStartups: 812, firstStartTime: "2025-01-02T03:04:05.000Z", projects, userID: "ab12" },
    null,
    2,
  );
}

/** Where `after` differs from `before` by one insertion: its offset and text, or undefined. */
export function insertion(
  before: Uint8Array,
  after: Uint8Array,
): { at: number; inserted: Uint8Array } | undefined {
  if (after.length < before.length) return undefined;
  let at = 0;
  while (at < before.length && before[at] === after[at]) at++;
  const extra = after.length - before.length;
  for (let i = at; i < before.length; i++) if (before[i] !== after[i + extra]) return undefined;
  return { at, inserted: after.subarray(at, at + extra) };
}
