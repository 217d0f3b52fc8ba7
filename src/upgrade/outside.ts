/**
 * The upgrade's adapter: the only code that reaches the network (`fetch`) or runs a downloaded
 * program (`--version`); bytes reach disk through the disk writer. It sits in the feature: a
 * network floor for one caller would be a floor with nothing on it.
 */
import { MpmError } from "../kernel/errors.ts";
import { sha256HexAsync } from "../kernel/hashing/checksum.ts";

/** How long one download may take before mpm gives up on it. */
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

/** A release's file as bytes; else one sentence whose hint runs `again` (the command as given). */
export async function download(url: string, again = "mpm upgrade"): Promise<Uint8Array> {
  return (await downloadFrom(url, again)).bytes;
}

/** Redirects followed at most, as browsers stop at about twenty. */
const MOST_REDIRECTS = 10;

/**
 * A release's file and every address it went through: GitHub's `latest` redirects via
 * `releases/download/vX.Y.Z/…` (naming the release), so redirects are followed one by one.
 */
export async function downloadFrom(
  url: string,
  again = "mpm upgrade",
): Promise<{ bytes: Uint8Array; via: string[] }> {
  const via = [url];
  let response: Response;
  try {
    if (url.startsWith("file://")) return { bytes: await Deno.readFile(new URL(url)), via };
    const signal = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
    for (;;) {
      response = await fetch(via.at(-1)!, { redirect: "manual", signal });
      const location = response.headers.get("location");
      if (response.status < 300 || response.status > 399 || !location) break;
      await response.body?.cancel();
      if (via.length > MOST_REDIRECTS) throw new RangeError("too many redirects");
      via.push(new URL(location, via.at(-1)).href);
    }
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "there is no such file"
      : error instanceof RangeError
      ? error.message
      : "offline?";
    throw new MpmError(
      `Could not download ${url} (${why}); nothing was changed.`,
      `Check the connection (or MPM_INSTALL_BASE) and run \`${again}\` again.`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new MpmError(
      `Could not download ${url} (HTTP ${response.status}); nothing was changed.`,
      "Check MPM_INSTALL_BASE, or try again later.",
    );
  }
  return { bytes: new Uint8Array(await response.arrayBuffer()), via };
}

/**
 * Retries of a binary just written that the system says is open for writing (ETXTBSY): a child
 * started while it was open holds it for a few milliseconds.
 */
const BUSY_TRIES = 5;
const BUSY_WAIT_MS = 50;

/** What `PATH --version` printed on its first line, or why it did not run. */
export async function runVersion(
  path: string,
): Promise<{ line: string } | { failed: string }> {
  for (let tries = 1;; tries++) {
    const ran = await runVersionOnce(path);
    if (!("busy" in ran) || tries === BUSY_TRIES) return ran;
    await new Promise((resolve) => setTimeout(resolve, BUSY_WAIT_MS));
  }
}

async function runVersionOnce(
  path: string,
): Promise<{ line: string } | { failed: string; busy?: true }> {
  try {
    const out = await new Deno.Command(path, {
      args: ["--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    const decoder = new TextDecoder();
    if (!out.success) {
      const said = decoder.decode(out.stderr).trim().split("\n")[0];
      return { failed: `it exited ${out.code}${said ? `: ${said}` : ""}` };
    }
    return { line: decoder.decode(out.stdout).split("\n")[0].trim() };
  } catch (error) {
    const why = error instanceof Deno.errors.PermissionDenied
      ? "the system would not execute it (a folder mounted noexec, or a file for another system)"
      : error instanceof Error
      ? error.message
      : String(error);
    return /\(os error 26\)|ETXTBSY/.test(why) ? { failed: why, busy: true } : { failed: why };
  }
}

/** The sha256 of the file at `path` (the running binary), or undefined when it cannot be read. */
export async function fileSha256(path: string): Promise<string | undefined> {
  try {
    return await sha256HexAsync(await Deno.readFile(path));
  } catch {
    return undefined;
  }
}
