/** The flags `mpm start` and `mpm branch` share: what a new session is for, and its todos. */
import type { FlagSpec } from "../../cli/command.ts";

export const sessionFlags: FlagSpec[] = [
  { name: "task", value: "TEXT", description: "What the session is for." },
  {
    name: "template",
    short: "t",
    value: "T",
    description: "Seed the todos from template T (`mpm template list`).",
    complete: "templates",
  },
  {
    name: "var",
    value: "KEY=VALUE",
    multiple: true,
    description: "Fill {{KEY}} in the template (repeatable).",
  },
];
