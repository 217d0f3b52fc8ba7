/**
 * `tools/list`'s answer, as data: what src/mcp/tools.ts lists (`TOOLS.map(listed)`), written by
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

export const TOOL_LIST = [
  tool(
    "search",
    "Search mpm's records",
    true,
    "Search everything mpm keeps for this project: the person's pauses (summaries, accomplishments, next steps), todos and notes, Claude's handoffs (goal, decisions, what was tried, next step), the context files, hook error records, and the prompts and answers of past Claude Code conversations in mpm's vault. Use it to find what was decided, tried or dropped in earlier sessions before asking the person. Plain text, any case. Returns the newest hits first, each with its date, its session id (pass it to show_session), whose words it holds (the person's own, or a teammate's or a clone's), and a short excerpt with the match between « ».",
    {
      "query": {
        "type": "string",
        "minLength": 1,
        "maxLength": 500,
        "description": "The text to look for.",
      },
      "limit": {
        "type": "integer",
        "minimum": 1,
        "maximum": 50,
        "description": "How many hits to return, newest first (default 10).",
      },
      "since_days": {
        "type": "number",
        "exclusiveMinimum": 0,
        "maximum": 36500,
        "description": "Only what is at most this many days old.",
      },
      "tool_output": {
        "type": "boolean",
        "description":
          "Also search tool calls and their output in the transcripts (default false).",
      },
    },
    ["query"],
  ),
  tool(
    "current_work",
    "The current work",
    true,
    'What the person is working on now, as mpm keeps it: the active session\'s name and todos (open and done), the parent sessions it branched from, and the newest pause of the work: the person\'s last words, next steps, Claude\'s open tasks at that point, and git state at the pause. Call it to orient yourself before planning, or when the person refers to "the work", "where we were" or "the todos".',
    {},
  ),
  tool(
    "show_session",
    "Show one session",
    true,
    "One paused session (a snapshot) as `mpm show` prints it: its name and task, the summary, accomplishments, next steps, todos, Claude's tasks at that point and git state at the pause, with whose words they are. Give the id a search hit or list_recent named (or a unique prefix of one, or its index in list_recent, 0 for the newest); a session's key (s-…, as search names a conversation's session) shows that session's newest snapshot.",
    {
      "id": {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "description":
          "The snapshot's id, a unique prefix of one, its index (0 = newest), or a session's key.",
      },
    },
    ["id"],
  ),
  tool(
    "show_handoff",
    "Show one of Claude's handoffs",
    true,
    "One of the handoffs Claude wrote with /mpm-handoff, as `mpm handoff show` prints it: the person's own last words in that session first, then Claude's handoff (goal, state, decisions and why, what was tried and failed, files, next step, open questions). Without an id, the newest handoff of the current work. Ids are in list_recent.",
    {
      "id": {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "description": "The handoff's id, a unique prefix, or N from list_recent (1 = newest).",
      },
    },
  ),
  tool(
    "list_recent",
    "List recent sessions and handoffs",
    true,
    "The newest paused sessions (id, when, state, name, the first line of the summary, whose words) and the newest handoffs Claude wrote (id, when, goal), newest first. Use the ids with show_session and show_handoff.",
    {
      "limit": {
        "type": "integer",
        "minimum": 1,
        "maximum": 30,
        "description": "How many of each to list (default 10).",
      },
    },
  ),
  tool(
    "team_work",
    "Who works on what",
    true,
    "Who in the team works on what in this project, from this clone's own records and what mpm sync pull brought (the last 14 days): per person, each line of work with its state, when it last moved, the last words, the next step, todo counts, branch and changed files; and the files changed by more than one person's work (overlaps). Give path to ask who else is changing a file or folder before editing it.",
    {
      "path": {
        "type": "string",
        "maxLength": 1000,
        "description":
          "A file or folder, relative to the project's root (an absolute path in it works too).",
      },
    },
  ),
  tool(
    "todo_add",
    "Add a todo",
    false,
    "Add a todo to the person's current work (the active session; with none active, the newest paused work is continued, else an ad-hoc session starts, as `mpm todo add` does). Only when the person asks for it or agrees. Says which session it joined and its number.",
    {
      "text": {
        "type": "string",
        "minLength": 1,
        "maxLength": 500,
        "description":
          "The todo, one line (several lines are joined into one, as `mpm todo add` does).",
      },
    },
    ["text"],
  ),
  tool(
    "todo_done",
    "Complete a todo",
    false,
    "Mark one of the current work's todos done, by the number current_work shows. Only when the work it names is finished. Says which todo it changed, or that it was already done.",
    {
      "number": {
        "type": "integer",
        "minimum": 1,
        "maximum": 1000000,
        "description": "The todo's number.",
      },
    },
    ["number"],
  ),
];
