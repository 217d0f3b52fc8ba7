/**
 * `mpm upgrade`: the newest release's binary (MPM_INSTALL_BASE, else GitHub's latest), checked
 * against SHA256SUMS, run (`--version`) from a temp file beside the binary, then renamed over it.
 * `--check` only asks, so it answers from source and package installs too.
 */
import { dirname, join } from "../kernel/path.ts";
import { IntegrityError, MpmError } from "../kernel/errors.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import { quoted } from "../kernel/format/text.ts";
import { versionLine } from "../kernel/version.ts";
import { discardStaged, placeStaged, stageAtomic } from "../disk/files/atomic.ts";
import { setMode } from "../disk/files/entries.ts";
import { buildInfo } from "../cli/build_info.ts";
import { boolFlag, type Declared, type Parsed } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { dropScratchDir, makeScratchDir, writeScratchFile } from "../disk/files/confine/scratch.ts";
import { download, downloadFrom, fileSha256, runVersion } from "./outside.ts";
import {
  assetFor,
  checksumIn,
  compareVersions,
  INSTALL_COMMAND,
  notReplaceable,
  releaseBase,
  releaseNamed,
  runByDeno,
  versionOf,
} from "./plan.ts";

interface Outcome {
  path: string;
  /** The running mpm's --version line. */
  was: string;
  /** The release's --version line (null when the release is this very binary). */
  newest: string | null;
  newer: boolean;
  upgraded: boolean;
  /** Why this mpm is not one `mpm upgrade` replaces (run from source, a package's); null if it is. */
  refused: string | null;
}

async function upgrade(env: Env, parsed: Parsed) {
  const check = boolFlag(parsed, "check") ?? false;
  const exe = env.execPath;
  const refused = notReplaceable(exe) ?? null;
  // A check only asks, so it answers from source or a package manager's install too.
  if (refused && !check) {
    throw new MpmError(`${refused}.`, `The binary installs with: ${INSTALL_COMMAND}`);
  }
  const info = buildInfo();
  const was = versionLine(info);
  const base = releaseBase(env.vars);
  const asset = assetFor(info.target);
  // What the hint of a failed download says to run again: the command as it was given.
  const again = check ? "mpm upgrade --check" : "mpm upgrade";
  const listed = await downloadFrom(`${base}/SHA256SUMS`, again);
  const named = refused ? releaseNamed(listed.via) : undefined;
  if (named) {
    // The address named the release: enough for a check, with nothing downloaded to run.
    const newer = compareVersions(named, info.version) > 0;
    return report(parsed, {
      path: exe,
      was,
      newest: `mpm ${named}`,
      newer,
      upgraded: false,
      refused,
    });
  }
  const expected = checksumIn(new TextDecoder().decode(listed.bytes), asset);
  if (!expected) {
    throw new MpmError(
      `The release at ${base} lists no ${asset} in its SHA256SUMS; nothing was changed.`,
      "There is no release binary for this platform; build one with `deno task compile`.",
    );
  }
  if (!refused && await fileSha256(exe) === expected) {
    return report(parsed, { path: exe, was, newest: null, newer: false, upgraded: false, refused });
  }
  const bytes = await verified(base, asset, expected, again);
  if (refused) {
    // Nothing here to replace: the release's binary tells its version from a scratch folder.
    const line = await versionInScratch(asset, bytes);
    const newer = compareVersions(versionOf(line)!, info.version) > 0;
    return report(parsed, { path: exe, was, newest: line, newer, upgraded: false, refused });
  }
  // Beside the running binary (the same file system, so the rename is atomic), executable.
  const staged = await stageAtomic(exe, bytes, { root: dirname(exe) });
  try {
    await staged.flushed;
    await setMode(staged.temp, 0o755);
    const line = releaseLine(asset, await runVersion(staged.temp));
    const newer = compareVersions(versionOf(line)!, info.version) > 0;
    if (check || !newer) {
      await discardStaged([staged]);
      return report(parsed, { path: exe, was, newest: line, newer, upgraded: false, refused });
    }
    await placeStaged([staged]);
    return report(parsed, { path: exe, was, newest: line, newer, upgraded: true, refused });
  } catch (error) {
    await discardStaged([staged]);
    throw error;
  }
}

/** The release's binary for this platform, its sha256 the one SHA256SUMS gives. */
async function verified(
  base: string,
  asset: string,
  expected: string,
  again: string,
): Promise<Uint8Array> {
  const bytes = await download(`${base}/${asset}`, again);
  const actual = sha256Hex(bytes);
  if (actual !== expected) {
    throw new IntegrityError(
      `The downloaded ${asset} does not match the release's SHA256SUMS (expected ${expected}, ` +
        `got ${actual}); nothing was changed.`,
      `Run \`${again}\` again; if it still differs, the release or the connection is not to be ` +
        "trusted.",
    );
  }
  return bytes;
}

/** The release binary's --version line, run from a private scratch folder thrown away after. */
async function versionInScratch(asset: string, bytes: Uint8Array): Promise<string> {
  const dir = await makeScratchDir("mpm-upgrade-");
  try {
    const path = join(dir, asset);
    await writeScratchFile(path, bytes);
    await setMode(path, 0o755);
    return releaseLine(asset, await runVersion(path));
  } finally {
    await dropScratchDir(dir);
  }
}

/** What the release's binary said of its version; an error when it did not run or is not mpm. */
function releaseLine(asset: string, ran: { line: string } | { failed: string }): string {
  if ("failed" in ran) {
    throw new MpmError(
      `The downloaded ${asset} does not run on this machine (${ran.failed}); mpm was left as ` +
        "it was.",
      "Report it with the output of `mpm --version` and `uname -a`.",
    );
  }
  if (!versionOf(ran.line)) {
    throw new MpmError(
      `The downloaded ${asset} is not mpm: its --version printed ${quoted(ran.line)}; ` +
        "mpm was left as it was.",
    );
  }
  return ran.line;
}

function report(parsed: Parsed, outcome: Outcome) {
  if (boolFlag(parsed, "json")) {
    const { refused, ...rest } = outcome;
    return json({ ...rest, replaceable: refused === null });
  }
  const short = (line: string) => line.replace(/, deno [^,]+, target [^)]+\)$/, ")");
  if (outcome.newer && outcome.refused) {
    return text(
      `A newer mpm is out: ${short(outcome.newest!)} (this is ${short(outcome.was)}). ` +
        // From source, the way up is the binary; a package's is its manager's upgrade.
        (runByDeno(outcome.path)
          ? `${outcome.refused}: ${INSTALL_COMMAND}`
          : `${outcome.refused}.`),
    );
  }
  if (outcome.upgraded) {
    return text(`Upgraded ${outcome.path}: ${short(outcome.was)} → ${short(outcome.newest!)}.`);
  }
  if (outcome.newer) {
    return text(
      `A newer mpm is out: ${short(outcome.newest!)} (this is ${short(outcome.was)}). ` +
        "Run `mpm upgrade` to install it.",
    );
  }
  const newest = outcome.newest ? ` (the release is ${short(outcome.newest)})` : "";
  return text(`${short(outcome.was)} is up to date${newest}.`);
}

export const upgradeCommand: Declared = {
  details: `Downloads the newest release's SHA256SUMS and the binary for this platform from where
install.sh gets them (MPM_INSTALL_BASE, else the latest GitHub release), verifies the checksum,
runs the new binary's --version from beside this one, and only then renames it over this
binary, so a download that fails, differs or does not run leaves mpm as it was. It says which
version mpm was and is. A binary run through \`deno run\` or installed by a package manager is
not replaced: update it the way it was installed (\`--check\` still says what the newest
release is).`,
  flags: [
    { name: "check", description: "Only say whether a newer mpm is out; change nothing." },
    {
      name: "json",
      description: "Print {path, was, newest, newer, upgraded, replaceable} as JSON.",
    },
  ],
  examples: ["mpm upgrade --check", "mpm upgrade"],
  run: upgrade,
};
