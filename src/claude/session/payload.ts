/**
 * The JSON Claude Code writes to a hook's stdin, loosely checked so a newer payload still passes.
 */
import {
  boolean,
  type Check,
  checkValue,
  literal,
  nullable,
  number,
  object,
  optional,
  type Out,
  string,
  unknown,
} from "../../kernel/check.ts";

/** The fields every event's payload has; checked by hand, not by zod (kernel/check.ts). */
const common = {
  session_id: string({ min: 1 }),
  transcript_path: optional(string()),
  cwd: string({ min: 1 }),
  hook_event_name: string({ min: 1 }),
  permission_mode: optional(string()),
};

const commonPayload = object(common, "keep");

const sessionStartPayload = object({
  ...common,
  hook_event_name: literal("SessionStart"),
  source: string(),
  model: optional(string()),
}, "keep");

const sessionEndPayload = object({
  ...common,
  hook_event_name: literal("SessionEnd"),
  reason: string(),
}, "keep");

const preCompactPayload = object({
  ...common,
  hook_event_name: literal("PreCompact"),
  trigger: string(),
  custom_instructions: optional(nullable(string())),
}, "keep");

const stopPayload = object({
  ...common,
  hook_event_name: literal("Stop"),
  stop_hook_active: boolean,
  last_assistant_message: optional(string()),
}, "keep");

const postToolUseFailurePayload = object({
  ...common,
  hook_event_name: literal("PostToolUseFailure"),
  tool_name: string(),
  tool_input: unknown,
  tool_use_id: optional(string()),
  error: string(),
  is_interrupt: optional(boolean),
  duration_ms: optional(number),
}, "keep");

/** Fired when a turn ends on an API error (rate limit, auth…); its detail fields vary. */
const stopFailurePayload = object({
  ...common,
  hook_event_name: literal("StopFailure"),
  error: optional(unknown),
  error_details: optional(unknown),
  last_assistant_message: optional(string()),
}, "keep");

const userPromptSubmitPayload = object({
  ...common,
  hook_event_name: literal("UserPromptSubmit"),
  prompt: string(),
}, "keep");

const EVENT_CHECKS: Record<string, Check<HookPayload>> = {
  SessionStart: sessionStartPayload,
  SessionEnd: sessionEndPayload,
  PreCompact: preCompactPayload,
  Stop: stopPayload,
  PostToolUseFailure: postToolUseFailurePayload,
  StopFailure: stopFailurePayload,
  UserPromptSubmit: userPromptSubmitPayload,
};

export type SessionStartPayload = Out<typeof sessionStartPayload>;
export type SessionEndPayload = Out<typeof sessionEndPayload>;
export type PreCompactPayload = Out<typeof preCompactPayload>;
export type StopPayload = Out<typeof stopPayload>;
export type PostToolUseFailurePayload = Out<typeof postToolUseFailurePayload>;
export type StopFailurePayload = Out<typeof stopFailurePayload>;
export type UserPromptSubmitPayload = Out<typeof userPromptSubmitPayload>;
/** Any other event: only the common fields are checked. */
export type OtherPayload = Out<typeof commonPayload>;

export type HookPayload =
  | SessionStartPayload
  | SessionEndPayload
  | PreCompactPayload
  | StopPayload
  | PostToolUseFailurePayload
  | StopFailurePayload
  | UserPromptSubmitPayload
  | OtherPayload;

export type ParsedPayload = { ok: true; payload: HookPayload } | { ok: false; error: string };

/** A model id as Claude Code or a provider (Bedrock, Vertex, a gateway) names one. */
const MODEL_ID = /^[A-Za-z0-9.:/[\]_-]{1,100}$/;

/** A payload's `model` when it has a model id's shape, else null. */
export function modelId(value: unknown): string | null {
  return typeof value === "string" && MODEL_ID.test(value) ? value : null;
}

/** The fields an agent may send as null for "none" (Codex CLI 0.169.0's Stop and SessionStart). */
const NULL_MEANS_NONE = ["transcript_path", "last_assistant_message"] as const;

/** Longest stretch of the input quoted back in an error, so a reason stays one short line. */
const QUOTE_LIMIT = 60;

/** Validates a hook's stdin. Never throws: a hook must not break Claude Code. */
export function parsePayload(text: string): ParsedPayload {
  if (text.trim() === "") return { ok: false, error: "the hook payload is empty" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8 quotes the input back ("…" is not valid JSON); it may hold secrets, so it goes.
    const reason = oneLine(error).replace(/,? ".*" is not valid JSON$/, "");
    return { ok: false, error: `the hook payload is not valid JSON (${reason})` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, error: "the hook payload is not a JSON object" };
  }
  const event = (value as { hook_event_name?: unknown }).hook_event_name;
  // Codex sends null where it has none (its schema's NullableString): no rollout (`codex exec
  // --ephemeral`), a turn that ended with no message. Null means absent here.
  const given = value as Record<string, unknown>;
  for (const field of NULL_MEANS_NONE) if (given[field] === null) delete given[field];
  const check = typeof event === "string" && Object.hasOwn(EVENT_CHECKS, event)
    ? EVENT_CHECKS[event]
    : commonPayload;
  const checked = checkValue(check, value);
  if (checked.ok) return { ok: true, payload: checked.value };
  const issue = checked.problem;
  const field = issue.path.length > 0 ? issue.path.join(".") : "payload";
  if (/received undefined/.test(issue.message)) {
    return { ok: false, error: `the hook payload has no ${field}` };
  }
  return { ok: false, error: `the hook payload's ${field} is invalid (${oneLine(issue.message)})` };
}

function oneLine(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : String(reason);
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > QUOTE_LIMIT * 2 ? `${flat.slice(0, QUOTE_LIMIT * 2)}…` : flat;
}
