/**
 * Writes src/mcp/tool_list.ts: `tools/list`'s answer as data, which `mpm mcp`'s front
 * (src/mcp/front.ts) gives without loading the tools' code or the SDK. Run after changing a
 * tool's name, title, description or input in src/mcp/tools.ts; src/mcp/front_test.ts fails
 * until the two agree.
 *
 *   deno run --allow-read --allow-write --allow-run scripts/mcp_tool_list.ts
 */
import { fileURLToPath } from "node:url";
import { listed } from "../src/mcp/call.ts";
import { TOOLS } from "../src/mcp/tools.ts";

const file = fileURLToPath(new URL("../src/mcp/tool_list.ts", import.meta.url));
const calls = TOOLS.map(listed).map((t) => {
  const { type: _, properties, required, ...rest } = t.inputSchema as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw new Error(`${t.name}: an input schema tool() can't say`);
  const args = [t.name, t.title, t.annotations.readOnlyHint, t.description, properties];
  return `tool(${[...args, ...(required ? [required] : [])].map((a) => JSON.stringify(a))})`;
});
const text = `/**
 * \`tools/list\`'s answer, as data: what src/mcp/tools.ts lists (\`TOOLS.map(listed)\`), written by
 * scripts/mcp_tool_list.ts, so that the front (front.ts) answers it before the tools' code loads.
 * front_test.ts checks that the two agree. Do not edit: run the script.
 */
const tool = (
  name: string,
  title: string,
  readOnlyHint: boolean,
  description: string,
  properties: Record<string, unknown>,
  required?: string[],
) => ({
  name,
  title,
  description,
  inputSchema: { type: "object" as const, properties, ...(required ? { required } : {}) },
  annotations: { title, readOnlyHint, openWorldHint: false },
});

export const TOOL_LIST = [${calls.join(",\n")}];
`;
await Deno.writeTextFile(file, text);
await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", file] }).output();
console.log(`Wrote ${file}.`);
