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
const text = `/**
 * \`tools/list\`'s answer, as data: what src/mcp/tools.ts lists (\`TOOLS.map(listed)\`), written by
 * scripts/mcp_tool_list.ts, so that the front (front.ts) answers it before the tools' code loads.
 * front_test.ts checks that the two agree. Do not edit: run the script.
 */
export const TOOL_LIST = ${JSON.stringify(TOOLS.map(listed), null, 2)};
`;
await Deno.writeTextFile(file, text);
await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", file] }).output();
console.log(`Wrote ${file}.`);
