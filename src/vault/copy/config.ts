/**
 * The vault's settings, `{"vault": {"limit_mb": 200}}` in `.claude-mpm/config.json`; a bad value is
 * reported and the default used.
 */
import { join } from "../../kernel/path.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import type { ProjectPaths } from "../../disk/paths.ts";

export const DEFAULT_LIMIT_MB = 200;
const MB = 1024 * 1024;

export interface VaultConfig {
  limitBytes: number;
  /** What was wrong with the file, one sentence; null when nothing was. */
  problem: string | null;
}

/** The settings in `text` (config.json's), or the defaults and why. */
export function parseVaultConfig(text: string | undefined): VaultConfig {
  const defaults = { limitBytes: DEFAULT_LIMIT_MB * MB, problem: null };
  if (text === undefined) return defaults;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {
      ...defaults,
      problem: `.claude-mpm/config.json is not JSON; the vault keeps ${DEFAULT_LIMIT_MB} MB.`,
    };
  }
  const vault = (raw as { vault?: unknown } | null)?.vault;
  if (vault === undefined) return defaults;
  const limit = (vault as { limit_mb?: unknown } | null)?.limit_mb;
  if (vault === null || typeof vault !== "object" || Array.isArray(vault)) {
    return {
      ...defaults,
      problem:
        `"vault" in .claude-mpm/config.json is not an object; the vault keeps ${DEFAULT_LIMIT_MB} MB.`,
    };
  }
  const unknown = Object.keys(vault).find((k) => k !== "limit_mb");
  if (unknown !== undefined) {
    return {
      ...defaults,
      problem: `"vault" in .claude-mpm/config.json has an unknown key, ${
        JSON.stringify(unknown)
      }; the vault keeps ${DEFAULT_LIMIT_MB} MB.`,
    };
  }
  if (limit === undefined) return defaults;
  if (typeof limit !== "number" || !Number.isFinite(limit) || limit <= 0 || limit > 1024 * 1024) {
    return {
      ...defaults,
      problem:
        `vault.limit_mb in .claude-mpm/config.json must be a positive number of MB; the vault keeps ${DEFAULT_LIMIT_MB} MB.`,
    };
  }
  return { limitBytes: Math.floor(limit * MB), problem: null };
}

export async function readVaultConfig(paths: ProjectPaths): Promise<VaultConfig> {
  const text = await readTextIfExists(join(paths.base, "config.json"), 1024 * 1024)
    .catch(() => undefined);
  return parseVaultConfig(text);
}
