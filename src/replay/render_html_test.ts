import { createHash } from "node:crypto";
import {
  assert,
  assertEquals,
  assertNotIncludes,
  assertStringIncludes,
} from "../../tests/assert.ts";
import { CSP } from "./render_html.ts";
import { scriptJson } from "../kernel/safe_text/html_page.ts";
import { renderHtml } from "../../tests/replay/replay_helpers.ts";
import type { TimelineEvent } from "./timeline.ts";

const end = {
  session: {
    key: "s-1",
    name: "pay</title><script>alert(1)</script>",
    task: null,
    active: false,
    span: { start: "2026-11-24T09:00:00Z", end: "2026-11-24T10:00:00Z" },
  },
  notes: ["1 unreadable line"],
  claude: [{ id: "c1", transcript: "/t.jsonl" }],
  generated: "2026-11-24T10:00:00Z",
  version: "0.1.0",
};

const hostile: TimelineEvent = {
  time: "2026-11-24T09:30:00Z",
  source: "claude",
  claude_session: "c1",
  sidechain: false,
  kind: "text",
  text: "</script><script>fetch('http://example.com')</script><!-- \u2028",
  cut: 0,
};

Deno.test("data is JSON that cannot close its script element", () => {
  const json = scriptJson({ text: "</script><!--" });
  assertNotIncludes(json, "<");
  assertEquals(JSON.parse(json), { text: "</script><!--" });
});

Deno.test("the page: one file, a policy that forbids every outside request, the events inside", () => {
  const page = renderHtml([hostile], end);
  assertStringIncludes(page, `<meta http-equiv="Content-Security-Policy" content="${CSP}">`);
  assertStringIncludes(CSP, "default-src 'none'");
  assertStringIncludes(CSP, "connect-src 'none'");
  // The only script the policy allows is the page's own, by hash.
  const script = page.match(/<script>([\s\S]*?)<\/script>/)![1];
  const hash = createHash("sha256").update(script).digest("base64");
  assertStringIncludes(CSP, `script-src 'sha256-${hash}'`);
  assertNotIncludes(CSP, "unsafe-inline");
  // Four script elements (events, meta, the viewer): the transcript's </script> opened none.
  assertEquals(page.match(/<script/g)!.length, 3);
  assertEquals(page.match(/<\/script>/g)!.length, 3);
  assertStringIncludes(
    page,
    "<title>Replay: pay&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>",
  );
  const events = JSON.parse(
    page.match(/id="mpm-events" type="application\/json">([\s\S]*?)<\/script>/)![1],
  );
  assertEquals(events[0].text, hostile.kind === "text" ? hostile.text : "");
  // Nothing to load from anywhere: no src or href attributes at all.
  assert(!/\s(?:src|href)=/.test(page), "the page references something outside it");
});

Deno.test("the page's texts hold no control character, escape sequence or bidirectional override", () => {
  const prompt: TimelineEvent = {
    ...hostile,
    text: "Add a\x1b]0;pwned\x07\x1b[2J\u202e payment\x07 module\n\tnext line",
  };
  const page = renderHtml([prompt], {
    ...end,
    session: { ...end.session, name: "pay\x1b[31m\u202eday", task: "t\x07ask" },
    notes: ["a\x1b[2Jnote"],
  });
  const block = (id: string) =>
    JSON.parse(
      page.match(new RegExp(`id="${id}" type="application/json">([\\s\\S]*?)</script>`))![1],
    );
  assertEquals(block("mpm-events")[0].text, "Add a payment module\n\tnext line");
  const meta = block("mpm-meta");
  assertEquals([meta.session.name, meta.session.task, meta.notes[0]], ["payday", "task", "anote"]);
  assertStringIncludes(page, "<title>Replay: payday</title>");
  // deno-lint-ignore no-control-regex
  const controls = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
  assert(!controls.test(page), "a control is left");
});
