/** One tool of `mpm mcp`: name, description, zod input and a handler returning bounded text. */
import * as z from "../../kernel/zod.ts";
import type { Env } from "../../cli/env.ts";

/** One tool: what `tools/list` shows of it, and what runs on `tools/call`. */
export interface Tool {
  name: string;
  title: string;
  /** Written for the model: what it is for, what it returns, when to call it. */
  description: string;
  input: z.ZodMiniObject;
  /** Reads only (an MCP annotation: a client may call it without asking). */
  readOnly: boolean;
  run: (env: Env, args: Record<string, unknown>) => Promise<string>;
}

/** A tool's declaration, its handler typed by its input. */
export function tool<S extends z.ZodMiniObject>(declared: {
  name: string;
  title: string;
  description: string;
  input: S;
  readOnly: boolean;
  run: (env: Env, args: z.output<S>) => Promise<string>;
}): Tool {
  return declared as unknown as Tool;
}

export const described = <T extends z.ZodMiniType>(schema: T, text: string) =>
  schema.check(z.describe(text)) as T;
