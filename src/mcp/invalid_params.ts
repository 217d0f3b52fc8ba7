/**
 * JSON-RPC's Invalid params in one sentence, where the SDK would dump its validator's report. Pure.
 */
import { errorAnswer, type Message } from "./front.ts";
import { TOOL_LIST } from "./tool_list.ts";

/** JSON-RPC's code for params a method does not take. */
export const INVALID_PARAMS = -32602;

/** The error answer to a request whose params the SDK's schema for its method refused. */
export function invalidParamsAnswer(message: Message): Message {
  const method = typeof message.method === "string" ? message.method : "the request";
  return errorAnswer(message.id ?? null, INVALID_PARAMS, paramsProblem(method, message.params));
}

/** What is wrong with `params` for `method`, in one sentence that says what to send. */
export function paramsProblem(method: string, params: unknown): string {
  switch (method) {
    case "tools/call":
      return callProblem(params);
    case "tools/list":
      return "tools/list's cursor must be a string from an earlier answer's nextCursor; mpm's " +
        "list has one page, so send it without one.";
    case "initialize":
      return "initialize needs params with protocolVersion (a string), capabilities (an object) " +
        "and clientInfo (its name and version).";
    case "ping":
      return "ping takes no params but _meta: send it without them.";
    default:
      return `${method}'s params are not what MCP allows for it.`;
  }
}

function callProblem(params: unknown): string {
  const fields = isObject(params) ? params : {};
  if (typeof fields.name !== "string") {
    return `tools/call needs a tool name: one of ${TOOL_LIST.map((t) => t.name).join(", ")}.`;
  }
  if (fields.arguments !== undefined && !isObject(fields.arguments)) {
    return `tools/call's arguments must be an object of the tool's inputs, not ${
      kindOf(fields.arguments)
    }.`;
  }
  return "tools/call's params may hold only name, arguments, _meta and task as MCP describes " +
    "them: send the tool's name and its arguments.";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON value's kind, as a sentence names it. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
