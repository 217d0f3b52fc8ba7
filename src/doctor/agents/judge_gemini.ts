/**
 * `mpm doctor` on Gemini CLI (pure). Checked with 0.61.0: an untrusted folder runs no settings
 * hooks at all, saying so only in its debug log.
 */
import {
  formerEventsIn,
  GEMINI_HOOK_ENTRIES,
  geminiJson,
  mpmEventsIn,
} from "../../agents/gemini/hooks.ts";
import { dirname } from "../../kernel/path.ts";
import type { Check } from "../judges/judge.ts";
import { jsonObject } from "../../hooks/install/settings/settings_file.ts";
import { foreignServerCheck, versionCheck } from "./judge_agent.ts";

export interface GeminiSettingsFile {
  scope: "user" | "project";
  /** As a person is shown it (`~/.gemini/settings.json`). */
  shown: string;
  /** Undefined when there is none. */
  text?: string;
}

export interface GeminiFacts {
  /** Whether Gemini is here at all: its folder, or `gemini` on PATH. */
  found: boolean;
  /** Its version ("0.61.0"); null: not read; undefined: no gemini on PATH. */
  version?: string | null;
  /** Why the version could not be read, when it could not. */
  versionError?: string;
  settings: readonly GeminiSettingsFile[];
  /** `trustedFolders.json` as shown, and its text (undefined when there is none). */
  trustShown: string;
  trust?: string;
  /** `GEMINI_CLI_TRUST_WORKSPACE` where doctor runs. */
  trustEnv?: string;
  /** The project's root, as Gemini's trust names folders. */
  root: string;
}

const INSTALL = "mpm hooks install --agent gemini";

// deno-lint-ignore no-explicit-any
type Json = any;

/** Whether `path` is `folder` or inside it. */
function within(folder: string, path: string): boolean {
  const base = folder.endsWith("/") ? folder : `${folder}/`;
  return path === folder || path.startsWith(base);
}

/** What trustedFolders.json says of `root`: the longest rule holding it. */
export function trustOf(trust: Json, root: string): boolean | undefined {
  let best = -1;
  let level: string | undefined;
  for (const [rule, value] of Object.entries(trust ?? {})) {
    const folder = value === "TRUST_PARENT" ? dirname(rule) : rule;
    if (within(folder.replace(/\/+$/, "") || "/", root) && rule.length > best) {
      best = rule.length;
      level = String(value);
    }
  }
  if (level === "DO_NOT_TRUST") return false;
  return level === "TRUST_FOLDER" || level === "TRUST_PARENT" ? true : undefined;
}

/** Why Gemini will run no hook in this project, or whether it still has to ask; null: it runs. */
function trustCheck(facts: GeminiFacts, user: Json): Check | null {
  if (facts.trustEnv === "true" || user?.security?.folderTrust?.enabled === false) return null;
  const trust = jsonObject(geminiJson(facts.trust));
  if (trust === null) {
    return {
      id: "gemini-trust",
      status: "fail",
      message: `Gemini CLI cannot read ${facts.trustShown} (not a JSON object): it stops at ` +
        "start until it is fixed.",
      fix: `Fix or remove ${facts.trustShown}.`,
    };
  }
  const trusted = trustOf(trust, facts.root);
  if (trusted === true) return null;
  if (trusted === false) {
    return {
      id: "gemini-trust",
      status: "fail",
      message: "Gemini CLI runs no hooks in this project, mpm's nor yours: it is not trusted in " +
        `${facts.trustShown}.`,
      fix: "Trust it in Gemini CLI (/permissions), or set it to TRUST_FOLDER in " +
        `${facts.trustShown}.`,
    };
  }
  return {
    id: "gemini-trust",
    status: "info",
    message: "Gemini CLI has not been told to trust this project: it asks at its first start " +
      "here, and runs no hooks, mpm's included, unless you trust it.",
  };
}

/** The checks. Nothing at all where there is no Gemini. Pure. */
export function geminiChecks(facts: GeminiFacts): Check[] {
  if (!facts.found) return [];
  const checks: Check[] = [versionCheck(
    {
      id: "gemini",
      name: "Gemini",
      tested: "0.61",
      differs: "name or send its events differently",
    },
    facts,
    "it gave none",
  )];
  const files = facts.settings.map((file) => ({
    ...file,
    json: jsonObject(geminiJson(file.text)) as Json,
  }));
  const user = files.find((file) => file.scope === "user")?.json;
  const wanted = GEMINI_HOOK_ENTRIES.map((entry) => entry.event);
  let installed = false;
  for (const file of files) {
    if (file.json === null) {
      checks.push({
        id: "gemini-hooks",
        status: "warn",
        message: `Gemini CLI's ${file.shown} is not a JSON object mpm can read.`,
        fix: `Fix ${file.shown}, then run ${INSTALL}.`,
      });
      continue;
    }
    const events = mpmEventsIn(file.json);
    const former = formerEventsIn(file.json);
    if (events.length === 0 && former.length === 0) continue;
    installed = true;
    const missing = wanted.filter((event) => !events.includes(event));
    const disabled = GEMINI_HOOK_ENTRIES.filter((entry) =>
      files.some((f) =>
        Array.isArray(f.json?.hooksConfig?.disabled) &&
        f.json.hooksConfig.disabled.includes(entry.command)
      )
    ).map((entry) => entry.event);
    const off = files.find((f) => f.json?.hooksConfig?.enabled === false);
    const scope = file.scope === "project" ? " --scope project" : "";
    if (off !== undefined) {
      checks.push({
        id: "gemini-hooks",
        status: "fail",
        message: `Gemini CLI runs no hooks: hooksConfig.enabled is false in ${off.shown}.`,
        fix: `Remove hooksConfig.enabled from ${off.shown} (or set it to true).`,
      });
    } else if (disabled.length > 0) {
      checks.push({
        id: "gemini-hooks",
        status: "fail",
        message: `Gemini CLI skips mpm's ${disabled.join(", ")} hook(s): hooksConfig.disabled ` +
          "lists them.",
        fix: "Take mpm's commands out of hooksConfig.disabled in Gemini's settings.",
      });
    } else if (former.length > 0) {
      checks.push({
        id: "gemini-hooks",
        status: "warn",
        message: `mpm's ${former.join(", ")} hook(s) in ${file.shown} are an earlier mpm's: ` +
          "Gemini waits for them after every reply and at exit.",
        fix: `${INSTALL}${scope} (it puts the current ones in their place)`,
      });
    } else if (missing.length > 0) {
      checks.push({
        id: "gemini-hooks",
        status: "warn",
        message: `mpm's Gemini hooks in ${file.shown} lack ${missing.join(", ")}.`,
        fix: `${INSTALL}${scope}`,
      });
    } else {
      checks.push({
        id: "gemini-hooks",
        status: "ok",
        message: `Gemini CLI has mpm's hooks (${events.join(", ")}) in ${file.shown}.`,
      });
    }
  }
  if (!installed) {
    checks.push({
      id: "gemini-hooks",
      status: "info",
      message: "Gemini CLI: mpm's hooks are not installed for it.",
      fix: INSTALL,
    });
  } else {
    const trust = trustCheck(facts, user);
    if (trust !== null) checks.push(trust);
  }
  for (const file of files) {
    const server = file.json?.mcpServers?.mpm;
    if (server === undefined) continue;
    const runs = [server?.command, ...(Array.isArray(server?.args) ? server.args : [])]
      .filter((part) => typeof part === "string").join(" ");
    if (!/\bmpm\b[^\n]*\bmcp\b/.test(runs)) {
      checks.push(foreignServerCheck("gemini", "Gemini", file.shown, runs));
    }
  }
  return checks;
}
