/**
 * The replay page as a person sees it: Chromium (headless) opens the file from file://, and the
 * test reads the page it built (events, sidebar, a diff), checks that nothing left the page
 * (a local server counts requests that hostile transcript text tries to make), and keeps
 * screenshots in dist/test-artifacts/. Without Chromium the test is skipped with one line.
 */
import { join } from "node:path";
import { readEntryBatches } from "../../src/claude/transcript/transcript_reader.ts";
import { TranscriptParser } from "../../src/claude/transcript/transcript_entries.ts";
import { fromTranscript, HTML_LIMITS, type TimelineEvent } from "../../src/replay/timeline.ts";
import { recordEvents } from "../../src/replay/record_events.ts";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { ROOT, tempDir } from "../helpers.ts";
import { CHROMIUM, launchChromium } from "./chromium.ts";
import { MIXED, MIXED_ID, REAL, REAL_ID, renderHtml, SECRETS } from "./replay_helpers.ts";

if (CHROMIUM === undefined) {
  console.log("replay browser test skipped: Chromium is not installed (apt-get install chromium).");
}

const ARTIFACTS = join(ROOT, "dist", "test-artifacts");

async function transcriptEvents(path: string, id: string): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [];
  const ctx = { root: "/home/dev/shop", claudeSession: id, limits: HTML_LIMITS };
  for (
    const entry of (await Array.fromAsync(readEntryBatches(path, new TranscriptParser()))).flat()
  ) {
    const event = fromTranscript(entry, ctx);
    if (event) events.push(event);
  }
  return events;
}

Deno.test({
  name: "the replay page in Chromium: events, sidebar, diffs, jumps, themes, nothing fetched",
  ignore: CHROMIUM === undefined,
  fn: async () => {
    await using dir = await tempDir("mpm-replay-browser-");
    let requests = 0;
    await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
      requests++;
      return new Response("leaked");
    });
    const leak = `http://127.0.0.1:${server.addr.port}`;
    const hostile: TimelineEvent = {
      time: "2026-11-24T09:00:30.000Z",
      source: "claude",
      claude_session: MIXED_ID,
      sidechain: false,
      kind: "text",
      text: `<img src="${leak}/img"></script><script>fetch("${leak}/fetch")</script>` +
        `<link rel="stylesheet" href="${leak}/css">`,
      cut: 0,
    };
    const teammate: TimelineEvent = {
      time: "2026-11-24T09:00:40.000Z",
      source: "claude",
      claude_session: MIXED_ID,
      sidechain: false,
      kind: "prompt",
      text: "run the release script",
      cut: 0,
      imported_from: "origin",
    };
    const records = recordEvents({
      key: "s-demo",
      events: [
        {
          time: "2026-11-23T00:29:00Z",
          command: "start",
          session: "s-demo",
          after: { active: "payments" },
        },
        {
          time: "2026-11-24T09:00:25Z",
          command: "pause",
          session: "s-demo",
          snapshot: "session-1",
        },
      ],
      snapshots: [{
        session_id: "session-1",
        paused_at: "2026-11-24T09:00:25Z",
        summary: "Charges and refunds in",
        summary_source: "user",
        state: "paused",
        key: "s-demo",
      }],
      checkpoints: [{
        name: "before-refunds",
        saved_at: "2026-11-23T00:29:59.880Z",
        note: "charges work",
        branch: "main",
        head: "abc1234",
      }],
      errors: [],
      commits: [{
        sha: "0123456789abcdef",
        subject: "Add charge() and refund()",
        author: "Dev",
        date: "2026-11-23T00:30:03Z",
        ref: "main",
        files: [{ path: "src/pay.ts", added: 8, removed: 0 }],
      }],
      claude: [],
      limits: HTML_LIMITS,
    });
    const events = [
      ...records,
      ...await transcriptEvents(REAL, REAL_ID),
      ...await transcriptEvents(MIXED, MIXED_ID),
      hostile,
      teammate,
    ].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    const page = renderHtml(events, {
      session: {
        key: "s-demo",
        name: "payments",
        task: "Stripe payments",
        active: false,
        span: { start: events[0].time, end: events[events.length - 1].time },
      },
      notes: ["Claude session 7c1d0e52: skipped 1 unreadable line."],
      claude: [{ id: REAL_ID, transcript: REAL }, { id: MIXED_ID, transcript: MIXED }],
      generated: "2026-11-24T10:00:00Z",
      version: "test",
    });
    const file = join(dir.path, "replay.html");
    await Deno.writeTextFile(file, page);
    const url = new URL(`file://${file}`).href;
    // One browser for every page below: a launch costs about five page loads in CPU.
    await using browser = await launchChromium({
      profile: join(dir.path, "profile"),
      width: 1400,
      height: 1000,
    });
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const shot = async (name: string) => {
      const path = join(ARTIFACTS, name);
      await Deno.remove(path).catch(() => {});
      await browser.screenshot(path);
      assert((await Deno.stat(path)).size > 10_000, `${name} was written`);
    };

    await browser.load(url);
    const dom = await browser.dom();
    assertStringIncludes(dom, 'data-ready="true"');
    assert(/^<html [^>]*data-theme="light"/.test(dom), "the page starts light");
    assertEquals(dom.match(/<article class="ev /g)?.length, events.length);
    // The sidebar: files touched with their totals, bookmarks, commits.
    assertStringIncludes(dom, 'data-file="src/pay.ts"');
    assertStringIncludes(dom, 'data-file="src/cart.ts"');
    assertStringIncludes(dom, "+8 −0 · 2×");
    assertStringIncludes(dom, "checkpoint before-refunds");
    assertStringIncludes(dom, "pause: paused: Charges and refunds in");
    assertStringIncludes(dom, "0123456 Add charge() and refund()");
    // A diff, line by line.
    assertStringIncludes(
      dom,
      '<span class="add">+export function refund(amount: number): string {</span>',
    );
    assertStringIncludes(dom, '<span class="hunk">@@ -2,3 +2,7 @@</span>');
    // Collapsed tool calls and thinking; the failed Bash call open.
    assertStringIncludes(dom, '<details class="fold"><summary>thinking</summary>');
    assertStringIncludes(dom, '<details class="fold" open=""><summary>error</summary>');
    // A teammate's prompt says whose it is; the user's own say nothing of the kind.
    assert(
      /<article class="ev k-prompt teammate[ "][^>]*>.*?a teammate's, from origin.*?run the release script/
        .test(dom),
      "the imported prompt is marked as a teammate's",
    );
    assertEquals(dom.match(/<article class="ev [^"]*teammate/g)?.length, 1);
    // Hostile text stays text: no element came of it, and nothing was fetched.
    assertStringIncludes(dom, "&lt;img src=");
    assertNotIncludes(dom, "<img");
    for (const secret of SECRETS) assertNotIncludes(dom, secret);
    assertStringIncludes(dom, "[REDACTED:stripe-key]");
    await shot("replay-light.png");

    // A link to one event opens there, with the later ones still to be played.
    await browser.load(`${url}#ev-3`);
    const jumped = await browser.dom();
    assert(
      /<article class="ev [^"]*current[^"]*" id="ev-3"/.test(jumped),
      "ev-3 is the current event",
    );
    assert(/<article class="ev [^"]*future[^"]*" id="ev-4"/.test(jumped), "ev-4 is not played yet");

    // The system's dark setting: the page reads prefers-color-scheme when it starts.
    await browser.load(url, { colorScheme: "dark" });
    // On the root element: the page's own style sheet also says data-theme="dark".
    assert(/^<html [^>]*data-theme="dark"/.test(await browser.dom()), "the page starts dark");
    await shot("replay-dark.png");
    assertEquals(requests, 0, "the page made a request outside itself");

    // Controls: the counter does count a page that loads an image, and the page's policy
    // alone blocks one even when it is real markup.
    const control = join(dir.path, "control.html");
    await Deno.writeTextFile(control, `<!doctype html><img src="${leak}/control">`);
    await browser.load(new URL(`file://${control}`).href);
    assertEquals(requests, 1, "the control page's image was requested");
    const planted = join(dir.path, "planted.html");
    await Deno.writeTextFile(planted, page.replace("<body>", `<body><img src="${leak}/planted">`));
    await browser.load(new URL(`file://${planted}`).href);
    assertEquals(requests, 1, "the Content-Security-Policy let an image load");
  },
});
