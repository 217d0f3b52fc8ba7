/**
 * `mpm doctor` on Codex CLI (pure): which of mpm's hooks Codex will silently skip and why, its
 * version, its MCP server.
 */
import { hookHash, hooksIn, mpmHooksIn } from "../../agents/codex/hooks.ts";
import { projectTrusted, readTheirs, trustIn } from "../../agents/codex/config_toml.ts";
import { tomlProblem } from "../../agents/codex/toml_scan.ts";
import { jsonObject } from "../../hooks/install/settings/settings_file.ts";
import type { Check } from "../judges/judge.ts";
import { foreignServerCheck, versionCheck } from "./judge_agent.ts";

export interface CodexHooksFile {
  scope: "user" | "project";
  path: string;
  /** As a person is shown it (`~/.codex/hooks.json`). */
  shown: string;
  /** Undefined when there is none. */
  text?: string;
}

export interface CodexFacts {
  /** Whether Codex is here at all: its home folder, or `codex` on PATH. */
  found: boolean;
  /** `codex --version`'s version ("0.169.0"); null: not run or not read; undefined: no codex. */
  version?: string | null;
  /** Why the version could not be read, when it could not. */
  versionError?: string;
  configShown: string;
  /** The person's config.toml, undefined when there is none. */
  config?: string;
  hooks: readonly CodexHooksFile[];
  /** The project's root, as Codex's `[projects."<root>"]` names it. */
  root: string;
}

const INSTALL = "mpm hooks install --agent codex";

/** What Codex's trust records for a key, whoever wrote it. */
function trusted(config: string | undefined, key: string): string | undefined {
  return trustIn(config).get(key);
}

/** The checks. Nothing at all where there is no Codex. Pure. */
export function codexChecks(facts: CodexFacts): Check[] {
  if (!facts.found) return [];
  const checks: Check[] = [versionCheck(
    {
      id: "codex",
      name: "Codex",
      tested: "0.169",
      differs: "hash or send hooks differently, and skip them without a word",
    },
    facts,
    "codex --version gave none",
  )];
  const problem = facts.config === undefined ? null : tomlProblem(facts.config);
  if (problem !== null) {
    checks.push({
      id: "codex-config",
      status: "fail",
      message: `Codex cannot read ${facts.configShown}: it is not valid TOML (${problem}).`,
      fix: `Fix ${facts.configShown} at that line, then run ${INSTALL}.`,
    });
  }
  const unread = facts.hooks.filter((file) =>
    file.text !== undefined && jsonObject(file.text) === null
  );
  for (const file of unread) {
    checks.push({
      id: "codex-hooks",
      status: "fail",
      message: `Codex cannot read ${file.shown}: it is not a JSON object, so none of its ` +
        "hooks run.",
      fix: `Fix ${file.shown} (or move it away), then run ${INSTALL}${
        file.scope === "project" ? " --scope project" : ""
      }.`,
    });
  }
  const theirs = readTheirs(facts.config ?? "");
  let installed = 0;
  for (const file of facts.hooks) {
    const mine = mpmHooksIn(file.path, file.text);
    if (mine.length === 0) continue;
    installed += mine.length;
    const skipped: string[] = [];
    for (const hook of mine) {
      const hash = trusted(facts.config, hook.key);
      if (hash === undefined) skipped.push(`${hook.event} (not trusted)`);
      else if (hash !== hook.hash) {
        skipped.push(`${hook.event} (trusted as it was before a change)`);
      }
    }
    if (theirs.clash !== undefined) {
      checks.push({
        id: "codex-hooks",
        status: "fail",
        message: `Codex will skip mpm's hooks in ${file.shown}: in ${facts.configShown}, ` +
          `${theirs.clash}, so mpm could not add their trust.`,
        fix: "Trust them once in the Codex TUI's hooks review (/hooks), or write that key as " +
          `a [table] and run ${INSTALL}.`,
      });
    } else if (skipped.length > 0) {
      checks.push({
        id: "codex-hooks",
        status: "fail",
        message: `Codex will skip mpm's hooks in ${file.shown}: ${skipped.join(", ")}.`,
        fix: `${INSTALL}${file.scope === "project" ? " --scope project" : ""}`,
      });
    } else {
      checks.push({
        id: "codex-hooks",
        status: "ok",
        message: `Codex CLI runs mpm's hooks (${
          mine.map((h) => h.event).join(", ")
        }) in ${file.shown}, trusted in ${facts.configShown}.`,
      });
    }
    if (file.scope === "project" && !projectTrusted(facts.config, facts.root)) {
      checks.push({
        id: "codex-hooks",
        status: "fail",
        message: `Codex will skip every hook in ${file.shown}: it runs a project's hooks only ` +
          "in a project it trusts, and this one is not trusted in " + `${facts.configShown}.`,
        fix: "Trust the project when Codex asks (or set [projects." +
          `${JSON.stringify(facts.root)}] trust_level = "trusted").`,
      });
    }
  }
  // The person's own hooks that will be skipped are theirs to see in /hooks; mpm names its own.
  if (installed === 0 && unread.length === 0) {
    const untrusted = facts.hooks.flatMap((file) => hooksIn(file.path, file.text))
      .filter((hook) => trusted(facts.config, hook.key) !== hookHash(hook)).length;
    checks.push({
      id: "codex-hooks",
      status: "info",
      message: "Codex CLI: mpm's hooks are not installed for it" +
        (untrusted > 0 ? ` (Codex will skip ${untrusted} untrusted hook(s) of yours).` : "."),
      fix: INSTALL,
    });
  }
  if (theirs.mcp !== undefined && /\bmpm\b[^\n]*\bmcp\b/.test(theirs.mcp)) {
    checks.push({
      id: "codex-mcp",
      status: "info",
      message:
        `Codex's MCP server "mpm" in ${facts.configShown} is your own registration of mpm mcp.`,
    });
  } else if (theirs.mcp !== undefined) {
    checks.push(foreignServerCheck("codex", "Codex", facts.configShown, theirs.mcp));
  }
  return checks;
}
