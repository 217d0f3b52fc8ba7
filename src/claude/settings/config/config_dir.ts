/** Where Claude Code keeps a person's own configuration: `CLAUDE_CONFIG_DIR`, else `~/.claude`. */
import { join } from "../../../kernel/path.ts";

type Vars = Readonly<Record<string, string | undefined>>;

/** Claude Code's configuration folder: `CLAUDE_CONFIG_DIR`, else `~/.claude`. */
export function claudeConfigDir(home: string, env: Vars): string {
  const configured = env.CLAUDE_CONFIG_DIR?.trim();
  return configured ? configured : join(home, ".claude");
}

/** Whether there is a user configuration folder at all: a home folder, or CLAUDE_CONFIG_DIR. */
export function hasUserConfig(home: string | undefined, env: Vars): boolean {
  return home !== undefined || Boolean(env.CLAUDE_CONFIG_DIR?.trim());
}

/** Where an organisation's managed settings live (read above every other file). */
export function managedSettingsPath(os: string = Deno.build.os): string | undefined {
  if (os === "linux") return "/etc/claude-code/managed-settings.json";
  if (os === "darwin") return "/Library/Application Support/ClaudeCode/managed-settings.json";
  return undefined;
}
