/** `mpm mcp`'s tools (src/mcp/tools/), in the order `tools/list` gives them. */
import type { Tool } from "./tools/tool.ts";
import { searchTool } from "./tools/search_tool.ts";
import { currentWorkTool } from "./tools/current_work_tool.ts";
import { showSessionTool } from "./tools/show_session_tool.ts";
import { showHandoffTool } from "./tools/show_handoff_tool.ts";
import { listRecentTool } from "./tools/list_recent_tool.ts";
import { teamWorkTool } from "./tools/team_tool.ts";
import { todoAddTool, todoDoneTool } from "./tools/todo_tools.ts";

export const TOOLS: readonly Tool[] = [
  searchTool,
  currentWorkTool,
  showSessionTool,
  showHandoffTool,
  listRecentTool,
  teamWorkTool,
  todoAddTool,
  todoDoneTool,
];
