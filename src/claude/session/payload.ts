/**
 * The JSON Claude Code writes to a hook's stdin. Fields mpm does not use pass through (every
 * schema is loose) so a newer Claude Code with more fields is still accepted; values such as
 * `source` or `reason` are plain strings for the same reason, with the known ones listed.
 */
import * as z from "../../kernel/zod.ts";

export const SESSION_START_SOURCES = ["startup", "resume", "clear", "compact", "fork"] as const;
export const SESSION_END_REASONS = ["clear", "logout", "prompt_input_exit", "other"] as const;
export const PRE_COMPACT_TRIGGERS = ["manual", "auto"] as const;

/**
 * Each event's schema is built the first time a payload of that event is read, not at import:
 * a hook reads one payload, and need not build all eight.
 */
function common() {
  return {
    session_id: z.string().check(z.minLength(1)),
    transcript_path: z.optional(z.string()),
    cwd: z.string().check(z.minLength(1)),
    hook_event_name: z.string().check(z.minLength(1)),
    permission_mode: z.optional(z.string()),
  };
}

const commonPayloadSchema = () => z.looseObject(common());

const sessionStartPayloadSchema = () =>
  z.looseObject({
    ...common(),
    hook_event_name: z.literal("SessionStart"),
    source: z.string(),
    model: z.optional(z.string()),
  });

const sessionEndPayloadSchema = () =>
  z.looseObject({
    ...common(),
    hook_event_name: z.literal("SessionEnd"),
    reason: z.string(),
  });

const preCompactPayloadSchema = () =>
  z.looseObject({
    ...common(),
    hook_event_name: z.literal("PreCompact"),
    trigger: z.string(),
    custom_instructions: z.optional(z.nullable(z.string())),
  });

const stopPayloadSchema = () =>
  z.looseObject({
    ...common(),
    hook_event_name: z.literal("Stop"),
    stop_hook_active: z.boolean(),
    last_assistant_message: z.optional(z.string()),
  });

const postToolUseFailurePayloadSchema = () =>
  z.looseObject({
    ...common(),
    hook_event_name: z.literal("PostToolUseFailure"),
    tool_name: z.string(),
    tool_input: z.unknown(),
    tool_use_id: z.optional(z.string()),
    error: z.string(),
    is_interrupt: z.optional(z.boolean()),
    duration_ms: z.optional(z.number()),
  });

/** Fired when a turn ends on an API error (rate limit, auth…); its detail fields vary. */
const stopFailurePayloadSchema = () =>
  z.looseObject({
    ...common(),
    hook_event_name: z.literal("StopFailure"),
    error: z.optional(z.unknown()),
    error_details: z.optional(z.unknown()),
    last_assistant_message: z.optional(z.string()),
  });

const userPromptSubmitPayloadSchema = () =>
  z.looseObject({
    ...common(),
    hook_event_name: z.literal("UserPromptSubmit"),
    prompt: z.string(),
  });

const EVENT_SCHEMAS = {
  SessionStart: sessionStartPayloadSchema,
  SessionEnd: sessionEndPayloadSchema,
  PreCompact: preCompactPayloadSchema,
  Stop: stopPayloadSchema,
  PostToolUseFailure: postToolUseFailurePayloadSchema,
  StopFailure: stopFailurePayloadSchema,
  UserPromptSubmit: userPromptSubmitPayloadSchema,
} as const;

type Built<F extends () => z.ZodMiniType> = z.infer<ReturnType<F>>;

export type SessionStartPayload = Built<typeof sessionStartPayloadSchema>;
export type SessionEndPayload = Built<typeof sessionEndPayloadSchema>;
export type PreCompactPayload = Built<typeof preCompactPayloadSchema>;
export type StopPayload = Built<typeof stopPayloadSchema>;
export type PostToolUseFailurePayload = Built<typeof postToolUseFailurePayloadSchema>;
export type StopFailurePayload = Built<typeof stopFailurePayloadSchema>;
export type UserPromptSubmitPayload = Built<typeof userPromptSubmitPayloadSchema>;
/** Any other event: only the common fields are checked. */
export type OtherPayload = Built<typeof commonPayloadSchema>;

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
  const schema = typeof event === "string" && Object.hasOwn(EVENT_SCHEMAS, event)
    ? EVENT_SCHEMAS[event as keyof typeof EVENT_SCHEMAS]()
    : commonPayloadSchema();
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, payload: parsed.data };
  const issue = parsed.error.issues[0];
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
