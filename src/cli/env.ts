/**
 * Everything a command may know about its process; nothing below main.ts reads Deno.env or the
 * clock.
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
  /** A progress line, only when stderr is a terminal; use `progressFor`/`withProgress`. */
  progress?: (label: string) => Progress;
  /** Colour is used only on a TTY and never with NO_COLOR. */
  color: boolean;
  /** Reads all of stdin, at most `limit` bytes; longer input is an error. */
  readStdin: (limit: number) => Promise<string>;
  /** Reads stdin's next bytes into `buffer` (null at end), for `mpm mcp`. Absent in tests. */
  readChunk?: (buffer: Uint8Array) => Promise<number | null>;
  /** Path of the running executable (deno, or the compiled mpm). */
  execPath: string;
  /** The script mpm runs from: main.ts, dist/mpm.js, or the binary itself. */
  mainModule: string;
  /** Writes text or bytes to stdout now (`replay`, `board --json`); false once the reader left. */
  out?: (text: string | Uint8Array) => Promise<boolean>;
  /** Reads a typed line when stdin and stdout are terminals (`replay --step`); null at end. */
  readLine?: () => Promise<string | null>;
  /** The home folder from the account database, for a run without HOME. */
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
