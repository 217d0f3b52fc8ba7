/**
 * Two people on two machines (two HOMEs, so two machine keys; two git identities; one bare
 * remote) each pause work that changes a common file, push and pull. Each one's `mpm board`
 * (text, --json, --html in Chromium) shows both lines of work with their words and the common
 * file as an overlap; the next SessionStart of each names the other's work on that file;
 * `team_work` answers the same through `mpm mcp`; and a work named like markup stays text
 * everywhere. The page's screenshot is docs/board.png, the README's picture.
 */
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { endRun, mpm, type Repo, ROOT, withClones } from "../helpers.ts";
import { payload } from "../hooks/hooks_helpers.ts";
import { envOf } from "../mcp/mcp_helpers.ts";
import { mcpServer } from "../../src/mcp/server.ts";
import { CHROMIUM, launchChromium } from "../replay/chromium.ts";
import { TEAMMATE_TITLE } from "../../src/board/teammates.ts";

const HOSTILE = "<img src=x onerror=alert(1)>";

interface Who {
  repo: Repo;
  name: string;
  email: string;
}

function identity(who: Who): Record<string, string> {
  return {
    HOME: who.repo.home,
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
  };
}

async function run(who: Who, ...args: string[]): Promise<string> {
  const result = await mpm(args, { cwd: who.repo.path, env: identity(who) });
  assertEquals(result.code, 0, `mpm ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

async function sessionStart(who: Who): Promise<string> {
  const result = await mpm(["hook", "session-start"], {
    cwd: who.repo.path,
    env: identity(who),
    stdin: payload("session-start-startup.json", who.repo),
  });
  assertEquals(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).hookSpecificOutput.additionalContext;
}

async function teamWork(who: Who, args: Record<string, unknown>): Promise<string> {
  const env = envOf(who.repo);
  Object.assign(env.vars, identity(who));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await mcpServer(env).connect(serverSide);
  const client = new Client({ name: "test", version: "1" });
  await client.connect(clientSide);
  try {
    const listed = await client.listTools();
    const tool = (listed.tools as { name: string; annotations?: { readOnlyHint?: boolean } }[])
      .find((t) => t.name === "team_work");
    assertEquals(tool?.annotations?.readOnlyHint, true);
    const result = await client.callTool({ name: "team_work", arguments: args });
    assert(result.isError !== true, JSON.stringify(result));
    return (result.content as { text: string }[])[0].text;
  } finally {
    await client.close();
    endRun();
  }
}

Deno.test("two people's work on one file: the board, SessionStart and team_work each show both", async () => {
  await using clones = await withClones();
  const alice: Who = { repo: clones.a, name: "Alice", email: "alice@example.com" };
  const bob: Who = { repo: clones.b, name: "Bob", email: "bob@example.com" };
  await clones.a.commit("Refunds start", {
    "src/payments/refund.ts": "export const refund = 0;\n",
  });
  await clones.a.git("push", "-q", "origin", "main");
  await clones.b.git("pull", "-q", "origin", "main");

  await run(alice, "start", "Refunds");
  await alice.repo.write("src/payments/refund.ts", "export const refund = 1;\n");
  await run(alice, "pause", "-s", "Alice: refunds half done", "-n", "wire the webhook");
  await run(alice, "sync", "push");

  await run(bob, "sync", "pull");
  await run(bob, "start", `${HOSTILE} Payouts`);
  await bob.repo.write("src/payments/refund.ts", "export const refund = 2;\n");
  await bob.repo.write("src/payouts.ts", "export {};\n");
  await bob.repo.git("add", "src/payouts.ts");
  await run(bob, "pause", "-s", `Bob: payouts ${HOSTILE}`);
  await run(bob, "sync", "push");

  // Alice pulls through the board itself.
  const boards = [
    { who: alice, board: JSON.parse(await run(alice, "board", "--pull", "--json")) },
    { who: bob, board: JSON.parse(await run(bob, "board", "--json")) },
  ];
  for (const { who, board } of boards) {
    assertEquals(board.people.map((p: { email: string; you: boolean }) => [p.email, p.you]), [
      [who.email, true],
      [who === alice ? bob.email : alice.email, false],
    ]);
    const works = Object.fromEntries(
      board.people.map((p: { email: string; work: { words: string }[] }) => [
        p.email,
        p.work.map((w) => w.words),
      ]),
    );
    assertEquals(works[alice.email], ["Alice: refunds half done"]);
    assertEquals(works[bob.email], [`Bob: payouts ${HOSTILE}`]);
    assertEquals(board.overlaps.length, 1);
    assertEquals(board.overlaps[0].path, "src/payments/refund.ts");
    assertEquals(
      board.overlaps[0].work.map((w: { email: string; name: string }) => [w.email, w.name]).sort(),
      [[alice.email, "Refunds"], [bob.email, `${HOSTILE} Payouts`]],
    );
  }

  const text = await run(alice, "board");
  assertStringIncludes(text, "Alice <alice@example.com> (you)");
  assertStringIncludes(
    text,
    "Bob <bob@example.com> (a teammate's, pulled with mpm sync pull, unverified)",
  );
  assertStringIncludes(
    text,
    "! src/payments/refund.ts — you: Refunds · bob@example.com (unverified):",
  );
  assertStringIncludes(text, "Next: wire the webhook");
  assertEquals((await run(alice, "board", "--person", "bob", "--json")).includes("Refunds"), true);

  // SessionStart: each is told the other's work on the common file, as a teammate's, inert.
  const told = { alice: await sessionStart(alice), bob: await sessionStart(bob) };
  assertStringIncludes(told.alice, TEAMMATE_TITLE);
  assertStringIncludes(
    told.alice,
    "- bob@example.com (unverified) — &lt;img src=x onerror=alert(1)> Payouts, paused ",
  );
  assertStringIncludes(told.alice, "also changed src/payments/refund.ts");
  assertNotIncludes(told.alice, "<img");
  assertStringIncludes(told.bob, "- alice@example.com (unverified) — Refunds, paused ");
  assertStringIncludes(told.bob, "also changed src/payments/refund.ts");

  // team_work through mpm mcp: the same people, work and overlap; a path narrows it.
  const answer = await teamWork(alice, {});
  assertStringIncludes(answer, "Person: Alice (alice@example.com) — the person's own");
  assertStringIncludes(answer, "Person: Bob (bob@example.com) — a teammate's");
  assertStringIncludes(answer, "- src/payments/refund.ts: the person (Refunds) · bob@example.com");
  assertStringIncludes(answer, "Words: Bob: payouts &lt;img src=x onerror=alert(1)>");
  assertNotIncludes(answer, "<img");
  const narrowed = await teamWork(alice, { path: "src/payouts.ts" });
  assertStringIncludes(narrowed, "Bob (bob@example.com)");
  assertNotIncludes(narrowed, "Person: Alice");

  // The page in Chromium: both lanes, the overlap on top, the markup as text, nothing fetched.
  const page = join(alice.repo.path, "..", "board.html");
  assertStringIncludes(await run(alice, "board", "--html", page), "2 people, 2 lines of work");
  if (CHROMIUM === undefined) {
    console.log("board browser check skipped: Chromium is not installed.");
    return;
  }
  let requests = 0;
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
    requests++;
    return new Response("leaked");
  });
  await using browser = await launchChromium({
    profile: join(alice.repo.path, "..", "profile"),
    width: 1280,
    height: 800,
  });
  await browser.load(new URL(`file://${page}`).href);
  const dom = await browser.dom();
  assertStringIncludes(dom, 'data-ready="true"');
  assertEquals(dom.match(/<section class="lane[ "]/g)?.length, 2);
  assertEquals(dom.match(/<article class="card/g)?.length, 2);
  assertStringIncludes(dom, "<code>src/payments/refund.ts</code>");
  assertStringIncludes(dom, "Alice: refunds half done");
  assertStringIncludes(dom, "&lt;img src=x onerror=alert(1)&gt; Payouts");
  assertNotIncludes(dom, "<img");
  // The filter: Bob's name leaves Bob's lane; a file leaves the cards that changed it.
  const visible = () =>
    browser.evaluate(
      `[...document.querySelectorAll(".lane:not(.hidden) .card:not(.hidden) h3")].map((h) => h.textContent)`,
    );
  const type = (q: string) =>
    browser.evaluate(
      `(() => { const f = document.getElementById("filter"); f.value = ${JSON.stringify(q)};` +
        ` f.dispatchEvent(new Event("input")); })()`,
    );
  await type("bob@");
  assertEquals(await visible(), [`${HOSTILE} Payouts`]);
  await type("payouts.ts");
  assertEquals(await visible(), [`${HOSTILE} Payouts`]);
  await type("refund.ts");
  assertEquals((await visible() as string[]).length, 2);
  await type("");
  assertEquals((await visible() as string[]).length, 2);
  // Readable at 1280 px and on a phone: nothing runs off the side.
  const fits = () => browser.evaluate("document.documentElement.scrollWidth <= innerWidth");
  assertEquals(await fits(), true);
  await browser.viewport(390, 844);
  await browser.load(new URL(`file://${page}`).href);
  assertEquals(await fits(), true);
  // Dark when the system is.
  await browser.viewport(1280, 800);
  await browser.load(new URL(`file://${page}`).href, { colorScheme: "dark" });
  const background = await browser.evaluate("getComputedStyle(document.body).backgroundColor");
  assertEquals(background, "rgb(18, 21, 27)");

  // A page of a busier team, for the README.
  await demoShot(browser, alice);
  assertEquals(browser.errors, [], "the page logged no error");
  assertEquals(requests, 0, "the page made a request outside itself");
  // The control: the counter does count a page that fetches.
  const control = join(alice.repo.path, "..", "control.html");
  await Deno.writeTextFile(
    control,
    `<!doctype html><img src="http://127.0.0.1:${server.addr.port}/x">`,
  );
  await browser.load(new URL(`file://${control}`).href);
  assertEquals(requests, 1, "the control page's image was requested");
});

/** docs/board.png: the page of a made-up team of three, light, at 1280 px. */
async function demoShot(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  who: Who,
): Promise<void> {
  const { renderBoardPage } = await import("../../src/board/board_html.ts");
  const { DEMO } = await import("./board_demo.ts");
  const file = join(who.repo.path, "..", "demo.html");
  await Deno.writeTextFile(file, renderBoardPage(DEMO, "test"));
  await browser.load(new URL(`file://${file}`).href);
  const shot = join(ROOT, "docs", "board.png");
  await browser.screenshot(shot);
  assert((await Deno.stat(shot)).size > 10_000, "docs/board.png was written");
}

Deno.test("work committed before a pause still overlaps a teammate's uncommitted change to the file", async () => {
  await using clones = await withClones();
  const alice: Who = { repo: clones.a, name: "Alice", email: "alice@example.com" };
  const bob: Who = { repo: clones.b, name: "Bob", email: "bob@example.com" };
  await clones.a.commit("x", { "src/x.ts": "export const x = 0;\n" });
  await clones.a.git("push", "-q", "origin", "main");
  await clones.b.git("pull", "-q", "origin", "main");

  // Alice changes src/x.ts and commits it: her tree is clean when she pauses.
  await run(alice, "start", "Rework x");
  await alice.repo.commit("Rework x", { "src/x.ts": "export const x = 1;\n" });
  await run(alice, "pause", "-s", "x reworked");
  const mine = JSON.parse(await run(alice, "show", "0", "--json"));
  assertEquals(mine.git_context.is_clean, true);
  assertEquals(mine.mpm.work_files, ["src/x.ts"]);
  await run(alice, "sync", "push");

  await run(bob, "sync", "pull");
  await run(bob, "start", "Also x");
  await bob.repo.write("src/x.ts", "export const x = 2;\n");
  await run(bob, "pause", "-s", "x half done");
  await run(bob, "sync", "push");

  for (const who of [alice, bob]) {
    const board = JSON.parse(
      await run(who, "board", ...(who === alice ? ["--pull"] : []), "--json"),
    );
    assertEquals(board.overlaps.map((o: { path: string }) => o.path), ["src/x.ts"]);
    assertEquals(
      board.overlaps[0].work.map((w: { email: string; name: string }) => [w.email, w.name]).sort(),
      [[alice.email, "Rework x"], [bob.email, "Also x"]],
    );
  }
  // Bob's next SessionStart names Alice's work on the file he has changed.
  const told = await sessionStart(bob);
  assertStringIncludes(told, "- alice@example.com (unverified) — Rework x, paused ");
  assertStringIncludes(told, "also changed src/x.ts");
  // And Alice's, whose own change to it is committed: her pause recorded it as her work's.
  const hers = await sessionStart(alice);
  assertStringIncludes(hers, "- bob@example.com (unverified) — Also x, paused ");
  assertStringIncludes(hers, "also changed src/x.ts");
});
