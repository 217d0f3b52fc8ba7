/** One `tools/call`; reads take no lock, as records are replaced atomically. */
import * as z from "../kernel/zod.ts";
import { errorText } from "../kernel/errors.ts";
import { type Env, homeDir } from "../cli/env.ts";
import { useMachineKeyFrom } from "../disk/machine_key.ts";
import { errorLine, shownLine } from "./tools/render.ts";
import type { Tool } from "./tools/tool.ts";
import { TOOLS } from "./tools.ts";

/** A tool's entry in `tools/list`. */
export function listed(t: Tool) {
  const schema = z.toJSONSchema(t.input, { io: "input" }) as Record<string, unknown>;
  delete schema.$schema;
  return {
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: { ...schema, type: "object" as const },
    annotations: { title: t.title, readOnlyHint: t.readOnly, openWorldHint: false },
  };
}

/** What a `tools/call` answers: text, or an error in one sentence. */
export interface ToolAnswer {
  [key: string]: unknown;
  content: { type: "text"; text: string }[];
  isError?: boolean;
}

function failed(sentence: string): ToolAnswer {
  return { content: [{ type: "text", text: errorLine(sentence) }], isError: true };
}

/** The first problem with the arguments, in one sentence. */
function badArguments(name: string, error: z.core.$ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.length ? issue.path.join(".") : "the arguments";
  return `Bad argument to ${name}: ${path}: ${issue?.message ?? "invalid input"}.`;
}

/** Runs one call; every failure is an error result in one sentence, so the server goes on. */
export async function callTool(env: Env, name: string, args: unknown): Promise<ToolAnswer> {
  const found = TOOLS.find((t) => t.name === name);
  if (!found) {
    return failed(
      `mpm has no tool ${JSON.stringify(shownLine(name, 100))}; its tools are ${
        TOOLS.map((t) => t.name).join(", ")
      }.`,
    );
  }
  const parsed = z.safeParse(found.input, args ?? {});
  if (!parsed.success) return failed(badArguments(name, parsed.error));
  // A server lives long: a machine key another process made since the last call is looked for.
  useMachineKeyFrom(env.vars, homeDir(env));
  try {
    const text = await found.run(env, parsed.data as Record<string, unknown>);
    return { content: [{ type: "text", text }] };
  } catch (error) {
    return failed(errorText(error));
  }
}
