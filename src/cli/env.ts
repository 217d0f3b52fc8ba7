/**
 * Everything a command may know about the process it runs in. main.ts builds the one real Env;
 * nothing below it reads Deno.args, Deno.env or the clock directly.
 */
export interface Env {
  /** The folder mpm was started in. */
  cwd: string;
  /** Environment variables. */
  vars: Readonly<Record<string, string>>;
  now: () => Date;
  /** Writes to stderr at once (progress, warnings). Stdout is what a command returns. */
  warn: (text: string) => void;
  /** True when stdout is a terminal. */
  isTTY: boolean;
  /** True when stderr is a terminal (progress is drawn only then). */
  stderrIsTTY: boolean;
  /**
   * Starts a progress line for long work (src/cli/progress.ts): given only when stderr is a
   * terminal; commands reach it through `progressFor`/`withProgress`, which add the --json rule.
   */
  progress?: (label: string) => Progress;
  /** Colour is used only on a TTY and never with NO_COLOR. */
  color: boolean;
  /** Reads all of stdin, at most `limit` bytes; longer input is an error. */
  readStdin: (limit: number) => Promise<string>;
  /**
   * Reads what stdin holds next into `buffer` (its length, or null at end of input), for a
   * command that serves lines as they come (`mpm mcp`). Absent in tests.
   */
  readChunk?: (buffer: Uint8Array) => Promise<number | null>;
  /** Path of the running executable (deno, or the compiled mpm). */
  execPath: string;
  /** The script mpm runs from: main.ts, dist/mpm.js, or the binary itself. */
  mainModule: string;
  /**
   * Writes to stdout at once, for output too long to return whole (`mpm replay`); false once
   * the reader has gone (a closed pipe). Absent in tests: the command returns its text.
   */
  out?: (text: string) => Promise<boolean>;
  /**
   * Reads one line a person types, when stdin and stdout are both terminals (`replay --step`);
   * null at end of input. Absent otherwise.
   */
  readLine?: () => Promise<string | null>;
  /**
   * The user's home folder as the account database has it, for a run without HOME (main.ts
   * looks it up only then): still this person's home, where their Claude Code files and this
   * machine's key are.
   */
  accountHome?: string;
}

export function homeDir(env: Env): string | undefined {
  return env.vars.HOME ?? env.vars.USERPROFILE ?? env.accountHome;
}

/** A progress line a command drives: `note` changes its detail (a count, a name); `end` wipes it. */
export interface Progress {
  note(detail: string): void;
  end(): void;
}
