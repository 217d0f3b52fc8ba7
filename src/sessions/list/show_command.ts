/** `mpm show SESSION`: one snapshot, as text, markdown, YAML or its stored JSON. */
import { renderMarkdown } from "../store/snapshots/render_md.ts";
import { MAX_REPORT_CHARS, renderResumeReport, restOfReport } from "../report/render_report.ts";
import { capped } from "../../kernel/safe_text/capped.ts";
import { yamlText } from "../../kernel/format/yaml.ts";
import { serializeSnapshot } from "../../kernel/snapshot.ts";
import { style } from "../../kernel/format/style.ts";
import { boolFlag, choiceFlag, type Declared } from "../../cli/command.ts";
import { text } from "../../cli/output.ts";
import { openProject, pickSession } from "../store/session/project.ts";

const FORMATS = ["text", "md", "yaml", "json"] as const;

export const showCommand: Declared = {
  json:
    `- \`mpm show SESSION --json\` (the same as \`--format json\`): the stored snapshot record (claude-mpm's
  files converted to it; terminal control characters in its texts removed, see Renderings).`,
  args: [{
    name: "SESSION",
    description: "An id, a unique prefix of one (archived ones too), or the index from `mpm list`.",
    complete: "sessions",
  }],
  flags: [
    {
      name: "format",
      short: "f",
      value: "FORMAT",
      description: "text (default; a long one is cut, saying so), md, yaml or json (whole).",
      complete: [...FORMATS],
    },
    { name: "json", description: "Print the stored JSON (the same as --format json)." },
  ],
  examples: ["mpm show 0", "mpm show session-20251020-143022 --json"],
  run: async (env, parsed) => {
    const format = boolFlag(parsed, "json")
      ? "json"
      : choiceFlag(parsed, "format", FORMATS, "text");
    const project = await openProject(env);
    // Counted as `mpm list` counts (archive left out); an id only the archive holds is still found.
    const { snapshot } = await pickSession(project, parsed.args[0]);
    switch (format) {
      case "json":
        return text(serializeSnapshot(snapshot));
      case "yaml":
        return text(yamlText(snapshot));
      case "md":
        return text(renderMarkdown(snapshot));
      default: {
        // What a person and the model read: capped as resume caps it (a teammate's may be MBs).
        const report = renderResumeReport(snapshot, undefined, env.now(), style(env.color));
        const rest = restOfReport(snapshot.session_id);
        return text(`${capped(report.trimEnd(), MAX_REPORT_CHARS, rest)}\n`);
      }
    }
  },
};
