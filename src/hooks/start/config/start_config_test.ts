import { assertEquals, assertStringIncludes } from "../../../../tests/assert.ts";
import { DEFAULT_SOURCES, defaultStartConfig, startSources } from "./start_config.ts";
import { parseStartConfig, startConfigSchemas } from "./start_config_schema.ts";

Deno.test("no config file: the defaults", () => {
  const config = defaultStartConfig();
  assertEquals(config.sources, DEFAULT_SOURCES);
  assertEquals([config.limit, config.commits, config.files], [10_000, 10, []]);
});

Deno.test("the written-out defaults are what the schema gives for an empty config", () => {
  assertEquals(defaultStartConfig(), startConfigSchemas().SessionStartConfigSchema.parse({}));
  assertEquals(parseStartConfig("{}").config, defaultStartConfig());
});

Deno.test("a valid config sets sources and order; other keys are left to others", () => {
  const text = JSON.stringify({
    sync: { x: 1 },
    session_start: { sources: ["readme", "session"], readme_lines: 5, limit: 4000 },
  });
  const { config, warning } = parseStartConfig(text);
  assertEquals(config.sources, ["readme", "session"]);
  assertEquals([config.readme_lines, config.limit], [5, 4000]);
  assertEquals(warning, null);
});

Deno.test("a bad config is one warning and the defaults", () => {
  for (
    const [text, why] of [
      ["{", "not valid JSON"],
      [JSON.stringify({ session_start: { sources: ["session", "session"] } }), "listed twice"],
      [JSON.stringify({ session_start: { limit: 20000 } }), "session_start.limit"],
      [JSON.stringify({ session_start: { colour: "red" } }), "session_start"],
    ]
  ) {
    const { config, warning } = parseStartConfig(text);
    assertEquals(config.sources, DEFAULT_SOURCES);
    assertStringIncludes(warning ?? "", why);
  }
});

Deno.test("a list without handoff still gets it, right after session (or first)", () => {
  assertEquals(startSources(["session", "context"]), ["session", "handoff", "context"]);
  assertEquals(startSources(["context", "session"]), ["context", "session", "handoff"]);
  assertEquals(startSources(["context"]), ["handoff", "context"]);
  assertEquals(startSources(["context", "handoff", "session"]), ["context", "handoff", "session"]);
  assertEquals(DEFAULT_SOURCES.slice(0, 2), ["session", "handoff"]);
});
