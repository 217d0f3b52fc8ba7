import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../../../tests/assert.ts";
import { redactSettingsText } from "./redact_settings.ts";

const KEY = "sk-ant-api03-" + "a1B2c3D4e5F6g7H8i9J0".repeat(3);

Deno.test("redactSettingsText redacts env secrets in place and keeps the file's layout", () => {
  const text = `{
  "env": {
    "ANTHROPIC_API_KEY": "${KEY}",
    "DB_PASSWORD": "hunter2",
    "EDITOR": "vim"
  },
  "permissions": { "allow": ["Bash(git status)", "Bash(curl -H 'x: ${KEY}')"] },
    "hooks": {}
}
`;
  const out = redactSettingsText(text);
  assertNotIncludes(out, KEY);
  assertNotIncludes(out, "hunter2");
  assertStringIncludes(out, `"EDITOR": "vim"`);
  assertStringIncludes(out, `"Bash(git status)"`);
  assertStringIncludes(out, `\n    "hooks": {}\n}\n`);
  const parsed = JSON.parse(out);
  assertEquals(Object.keys(parsed.env), ["ANTHROPIC_API_KEY", "DB_PASSWORD", "EDITOR"]);
  assertStringIncludes(parsed.env.DB_PASSWORD, "[REDACTED");
});

Deno.test("redactSettingsText leaves a file without secrets byte for byte", () => {
  const text = '{"hooks":{"SessionStart":[{"hooks":[{"type":"command","command":"x.sh"}]}]}}\n';
  assertEquals(redactSettingsText(text), text);
});

Deno.test("redactSettingsText still redacts tokens in a file that is not JSON", () => {
  const out = redactSettingsText(`{ "env": { "KEY": "${KEY}", } // half edited`);
  assertNotIncludes(out, KEY);
});
