import { assertEquals, assertRejects } from "../../tests/assert.ts";
import { Begun, startEarly } from "./early.ts";

/** Lets the runtime report any rejection still unhandled; returns the reasons it reported. */
async function unhandledAfterATurn(): Promise<unknown[]> {
  const reported: unknown[] = [];
  const listener = (event: PromiseRejectionEvent) => {
    reported.push(event.reason);
    event.preventDefault();
  };
  globalThis.addEventListener("unhandledrejection", listener);
  try {
    // One turn of the event loop: where unhandled rejections are reported.
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    globalThis.removeEventListener("unhandledrejection", listener);
  }
  return reported;
}

Deno.test("startEarly starts the work at once, once, and gives its result when awaited", async () => {
  let calls = 0;
  const early = startEarly(() => {
    calls++;
    return Promise.resolve("status");
  });
  assertEquals(calls, 1);
  assertEquals(await early, "status");
  assertEquals(await early, "status");
  assertEquals(calls, 1);
});

Deno.test("startEarly keeps a failure nobody awaits yet from being unhandled", async () => {
  const early = startEarly(() => Promise.reject(new Error("git failed")));
  assertEquals(await unhandledAfterATurn(), []);
  // Awaiting it later still throws.
  await assertRejects(() => early, /git failed/);
});

Deno.test("startEarly turns a start that throws into a rejection met where it is awaited", async () => {
  const early = startEarly((): Promise<string> => {
    throw new Error("no git");
  });
  assertEquals(await unhandledAfterATurn(), []);
  await assertRejects(() => early, /no git/);
});

Deno.test("Begun: a read is taken once, and a begin after the take starts nothing", async () => {
  const begun = new Begun<number>();
  let started = 0;
  const read = () => Promise.resolve(++started);
  begun.begin("a", read);
  begun.begin("a", read);
  assertEquals(await begun.take("a"), 1);
  assertEquals(begun.take("a"), undefined);
  begun.begin("a", read);
  assertEquals(begun.take("a"), undefined);
  assertEquals(begun.take("b"), undefined);
  assertEquals(started, 1);
});

Deno.test("Begun: clear forgets a read left untaken, and the next begin starts afresh", async () => {
  const begun = new Begun<number>();
  let started = 0;
  const read = () => Promise.resolve(++started);
  begun.begin("a", read);
  begun.clear();
  assertEquals(begun.take("a"), undefined);
  begun.clear();
  begun.begin("a", read);
  assertEquals(await begun.take("a"), 2);
});
