/**
 * One headless Chromium per test, driven over the DevTools protocol. Starting and closing Chromium
 * costs about 1 CPU-second, a page load in a running browser about a fifth of that (measured with
 * every descendant counted, its detached crash handler too), so a test starts Chromium once and
 * loads its pages in one tab: `load` (always a new document, so the page's start-up runs again
 * even for a `#fragment`), `dom` (what `--dump-dom` printed), `screenshot` (what `--screenshot`
 * wrote). The port is the browser's own choice on 127.0.0.1, read from its stderr; nothing else
 * is reached. Every wait has a deadline, so a hung browser fails the test with one sentence, and
 * disposal closes the browser and awaits it on every path.
 */
import { join } from "node:path";
import { HANG_GUARD_MS } from "../helpers.ts";

/** Chromium's path, or undefined when it is not installed (the caller skips its test). */
export const CHROMIUM: string | undefined = findChromium();

function findChromium(): string | undefined {
  const candidates = [
    "/usr/bin/chromium",
    ...(Deno.env.get("PATH") ?? "").split(":")
      .flatMap((dir) => dir ? [join(dir, "chromium"), join(dir, "chromium-browser")] : []),
  ];
  return candidates.find((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  });
}

/**
 * Only a hang guard (tests/helpers.ts HANG_GUARD_MS): a page load takes well under 2 s, a cold
 * start on a busy 2-core machine much longer.
 */
const WAIT_MS = HANG_GUARD_MS;
/** Disposal: a graceful Browser.close first, then SIGKILL if Chromium has not exited by then. */
const CLOSE_MS = 5_000;

export interface LoadOptions {
  /** The `prefers-color-scheme` the page sees (what `--force-dark-mode` gave); light if unset. */
  readonly colorScheme?: "light" | "dark";
}

export interface Browser extends AsyncDisposable {
  /** Opens url as a new document and waits for its load event. */
  load(url: string, options?: LoadOptions): Promise<void>;
  /** The document as it stands: `document.documentElement.outerHTML`. */
  dom(): Promise<string>;
  /** Writes a PNG of the viewport to path. */
  screenshot(path: string): Promise<void>;
  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  evaluate(expression: string): Promise<unknown>;
  /** The viewport's size from now on (a phone's, say). */
  viewport(width: number, height: number): Promise<void>;
  /** The errors the pages logged since the browser started: exceptions, console and CSP errors. */
  readonly errors: readonly string[];
}

export interface LaunchOptions {
  readonly profile: string;
  readonly width: number;
  readonly height: number;
}

async function within<T>(promise: Promise<T>, ms: number, failure: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(failure)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The last line Chromium wrote to stderr, for an error message. */
function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return (lines[lines.length - 1] ?? "").slice(-300);
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  sessionId?: string;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/** A DevTools connection: commands with a deadline each, events to listeners. */
class Connection {
  #next = 1;
  #pending = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  #listeners = new Set<(message: Message) => void>();
  #closed: Promise<void>;

  constructor(private readonly socket: WebSocket) {
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as Message;
      if (message.id !== undefined) {
        const waiter = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(`Chromium refused: ${message.error.message}.`));
        else waiter?.resolve(message.result ?? {});
      } else {
        for (const listener of this.#listeners) listener(message);
      }
    };
    this.#closed = new Promise((resolve) => {
      socket.onclose = () => {
        for (const waiter of this.#pending.values()) {
          waiter.reject(new Error("Chromium closed its DevTools connection."));
        }
        this.#pending.clear();
        resolve();
      };
    });
  }

  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
    ms = WAIT_MS,
  ): Promise<Record<string, unknown>> {
    const id = this.#next++;
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
    });
    this.socket.send(JSON.stringify({ id, method, params, sessionId }));
    return within(answer, ms, `Chromium did not answer ${method} within ${ms / 1000} s.`)
      .finally(() => this.#pending.delete(id));
  }

  listen(listener: (message: Message) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    await within(this.#closed, CLOSE_MS, "the DevTools connection to Chromium did not close.");
  }
}

/** Starts Chromium headless with one tab of width × height; dispose of it with `await using`. */
export async function launchChromium(options: LaunchOptions): Promise<Browser> {
  if (CHROMIUM === undefined) throw new Error("Chromium is not installed.");
  const child = new Deno.Command(CHROMIUM, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${options.profile}`,
      `--window-size=${options.width},${options.height}`,
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();

  // stderr is read to its end, or Chromium would block on a full pipe; its tail explains failures.
  let stderr = "";
  let announce: (url: string) => void = () => {};
  const announced = new Promise<string>((resolve) => (announce = resolve));
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const drained = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      stderr = (stderr + chunk.value).slice(-4096);
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (found) announce(found[1]);
    }
  })().catch(() => {});
  const exited = child.status.then(() => {
    throw new Error(`Chromium exited before it opened its DevTools port: ${lastLine(stderr)}`);
  });
  exited.catch(() => {});

  let connection: Connection | undefined;
  const dispose = async () => {
    if (connection) {
      await connection.send("Browser.close", {}, undefined, CLOSE_MS).catch(() => {});
      await connection.close().catch(() => {});
    }
    try {
      await within(child.status, CLOSE_MS, "Chromium did not exit.");
    } catch {
      child.kill("SIGKILL");
      await child.status;
    }
    // Chromium's crash handler runs detached and holds stderr until it notices the browser is
    // gone; after a crash that can take a while, so stop reading rather than wait for it.
    await within(drained, CLOSE_MS, "").catch(() => reader.cancel().catch(() => {}));
  };

  try {
    const url = await within(
      Promise.race([announced, exited]),
      WAIT_MS,
      `Chromium did not open its DevTools port within ${WAIT_MS / 1000} s.`,
    );
    if (new URL(url).hostname !== "127.0.0.1") {
      throw new Error(`Chromium listens on ${url}, not on 127.0.0.1.`);
    }
    const socket = new WebSocket(url);
    connection = new Connection(socket);
    await within(
      new Promise<void>((resolve, reject) => {
        socket.onopen = () => resolve();
        socket.onerror = () => reject(new Error(`Could not connect to Chromium at ${url}.`));
      }),
      WAIT_MS,
      `Could not connect to Chromium at ${url} within ${WAIT_MS / 1000} s.`,
    );
    return await openTab(connection, options, dispose);
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function openTab(
  cdp: Connection,
  options: LaunchOptions,
  dispose: () => Promise<void>,
): Promise<Browser> {
  const { targetInfos } = await cdp.send("Target.getTargets") as {
    targetInfos: { targetId: string; type: string }[];
  };
  const targetId = targetInfos.find((t) => t.type === "page")?.targetId ??
    (await cdp.send("Target.createTarget", { url: "about:blank" })).targetId;
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true }) as {
    sessionId: string;
  };
  const send = (method: string, params?: Record<string, unknown>) =>
    cdp.send(method, params, sessionId);
  await send("Page.enable");
  await send("Page.setLifecycleEventsEnabled", { enabled: true });
  await send("Runtime.enable");
  await send("Log.enable");
  await send("Emulation.setDeviceMetricsOverride", {
    width: options.width,
    height: options.height,
    deviceScaleFactor: 1,
    mobile: false,
  });

  // Load events by loader: one may arrive before Page.navigate's answer names its loader.
  const loaded = new Set<string>();
  let onLoad = () => {};
  const errors: string[] = [];
  const stopErrors = cdp.listen((message) => {
    if (message.sessionId !== sessionId) return;
    // deno-lint-ignore no-explicit-any
    const p = message.params as Record<string, any> | undefined;
    if (message.method === "Runtime.exceptionThrown") {
      errors.push(String(p?.exceptionDetails?.exception?.description ?? p?.exceptionDetails?.text));
    } else if (message.method === "Runtime.consoleAPICalled" && p?.type === "error") {
      errors.push(String(p.args?.map((a: { value?: unknown }) => a.value).join(" ")));
    } else if (message.method === "Log.entryAdded" && p?.entry?.level === "error") {
      errors.push(String(p.entry.text));
    }
  });
  const stopListening = cdp.listen((message) => {
    if (message.sessionId !== sessionId || message.method !== "Page.lifecycleEvent") return;
    if (message.params?.name !== "load") return;
    loaded.add(String(message.params.loaderId));
    onLoad();
  });

  const navigate = async (url: string) => {
    loaded.clear();
    const { loaderId, errorText } = await send("Page.navigate", { url }) as {
      loaderId?: string;
      errorText?: string;
    };
    if (errorText) throw new Error(`Chromium could not open ${url}: ${errorText}.`);
    // Without a loader it was a jump inside the same document, and the page's start-up did not run.
    if (!loaderId) throw new Error(`Chromium did not load ${url} as a new document.`);
    await within(
      new Promise<void>((resolve) => {
        onLoad = () => loaded.has(loaderId) && resolve();
        onLoad();
      }),
      WAIT_MS,
      `Chromium did not finish loading ${url} within ${WAIT_MS / 1000} s.`,
    ).finally(() => (onLoad = () => {}));
  };

  return {
    async load(url, { colorScheme = "light" } = {}) {
      await send("Emulation.setEmulatedMedia", {
        features: [{ name: "prefers-color-scheme", value: colorScheme }],
      });
      // By way of a blank page, so a URL that differs from the last only by its #fragment is
      // still a new document.
      await navigate("about:blank");
      await navigate(url);
    },
    async dom() {
      const { result, exceptionDetails } = await send("Runtime.evaluate", {
        expression: "document.documentElement.outerHTML",
        returnByValue: true,
      }) as { result: { value?: unknown }; exceptionDetails?: unknown };
      if (exceptionDetails || typeof result.value !== "string") {
        throw new Error("Chromium could not read the page's document.");
      }
      return result.value;
    },
    async screenshot(path) {
      const { data } = await send("Page.captureScreenshot", { format: "png" }) as {
        data: string;
      };
      await Deno.writeFile(path, Uint8Array.fromBase64(data));
    },
    async evaluate(expression) {
      const { result, exceptionDetails } = await send("Runtime.evaluate", {
        expression,
        returnByValue: true,
        awaitPromise: true,
      }) as { result: { value?: unknown }; exceptionDetails?: { text?: string } };
      if (exceptionDetails) {
        throw new Error(`The page could not evaluate ${expression}: ${exceptionDetails.text}.`);
      }
      return result.value;
    },
    async viewport(width, height) {
      await send("Emulation.setDeviceMetricsOverride", {
        width,
        height,
        deviceScaleFactor: 1,
        mobile: width < 600,
      });
    },
    errors,
    async [Symbol.asyncDispose]() {
      stopListening();
      stopErrors();
      await dispose();
    },
  };
}
