/**
 * What proves who sent a commit: its ssh signature against the allowed signers; this checkout's own
 * key is the person's. Unsigned proves nothing.
 */
import { join } from "../../kernel/path.ts";
import { sha256Hex } from "../../kernel/hashing/checksum.ts";
import { gitVars, runGit } from "../run/run.ts";

/** How git is told to read signatures here, and this checkout's own signing key. */
export interface Signers {
  /** `-c` options placed before `log` so that git checks ssh signatures at all. */
  config: string[];
  /** Names the allowed signers read (file and text): a verification kept is good for it only. */
  stamp: string;
  /** The SHA256 fingerprint of this checkout's ssh signing key, as git's `%GK` prints it. */
  own: string | null;
}

/** The committed allowed signers, relative to the project. */
export const COMMITTED_SIGNERS = ".claude-mpm/allowed_signers";

/** An allowed signers file is lines of keys: one over this is not read (and verifies nothing). */
const MAX_SIGNERS_BYTES = 1024 * 1024;

/** The fields `signedBy` reads, as a `git log --format` part: `%G?`, `%GK`, `%GS`. */
export const SIGNATURE_FORMAT = "%G?%x00%GK%x00%GS";

/** What a commit's signature proves. */
export interface Signature {
  /** The fingerprint of a key whose signature is good (verified or not); null: none. */
  key: string | null;
  /** The key is the one the allowed signers give to the commit's email. */
  verified: boolean;
}

/** What `%G?`, `%GK`, `%GS` say of a commit by `email`: the key when good, verified if theirs. */
export function signedBy(status: string, key: string, principal: string, email: string) {
  const good = (status === "G" || status === "U") && key.trim().startsWith("SHA256:");
  return {
    key: good && key.trim() !== "" ? key.trim() : null,
    verified: good && status === "G" && principal.trim().toLowerCase() === email,
  } satisfies Signature;
}

async function readBounded(path: string): Promise<string | null> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile || info.size > MAX_SIGNERS_BYTES) return null;
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

function home(path: string): string {
  const vars = gitVars();
  const dir = vars.HOME ?? vars.USERPROFILE;
  return path.startsWith("~/") && dir ? join(dir, path.slice(2)) : path;
}

/** The SHA256 fingerprint of an OpenSSH public key line; null for anything else. Pure. */
export function fingerprintOf(line: string): string | null {
  const blob = line.trim().split(/\s+/)[1];
  if (blob === undefined || !/^[A-Za-z0-9+/]+=*$/.test(blob)) return null;
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(blob), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  const digest = sha256Hex(bytes).match(/../g)!.map((h) => String.fromCharCode(parseInt(h, 16)));
  return `SHA256:${btoa(digest.join("")).replace(/=+$/, "")}`;
}

/** This checkout's ssh signing key's fingerprint (the private key is never read). */
async function ownKey(root: string, signingKey: string | undefined): Promise<string | null> {
  if (!signingKey) return null;
  const literal = signingKey.startsWith("key::")
    ? signingKey.slice(5)
    : /^(ssh|ecdsa|sk)-/.test(signingKey)
    ? signingKey
    : null;
  if (literal !== null) return fingerprintOf(literal);
  const path = home(signingKey);
  const full = path.startsWith("/") ? path : join(root, path);
  const text = await readBounded(full.endsWith(".pub") ? full : `${full}.pub`);
  return text === null ? null : fingerprintOf(text.split("\n")[0]);
}

/** Whether this checkout signs with ssh, with what key, and its allowed signers file. */
export interface SigningConfig {
  ssh: boolean;
  key: string | undefined;
  allowed: string | undefined;
}

/** The keys signingOf reads, as a `git config --get-regexp` alternation (lower case). */
export const SIGNING_KEYS = "user\\.signingkey|gpg\\.format|gpg\\.ssh\\.allowedsignersfile";

/** Whether this checkout signs with ssh, and its allowed signers file, in one git process. */
export async function signingConfig(root: string): Promise<SigningConfig> {
  const out = await runGit(root, ["config", "-z", "--get-regexp", `^(${SIGNING_KEYS})$`]);
  const values = new Map<string, string>();
  for (const item of out?.code === 0 ? out.stdout.split("\0") : []) {
    const cut = item.indexOf("\n");
    if (cut > 0) values.set(item.slice(0, cut).toLowerCase(), item.slice(cut + 1));
  }
  return signingOf(values);
}

/** The signing config from git's values by key (lower case, the last of each). Pure. */
export function signingOf(values: ReadonlyMap<string, string>): SigningConfig {
  const key = values.get("user.signingkey")?.trim() || undefined;
  return {
    ssh: values.get("gpg.format")?.trim().toLowerCase() === "ssh",
    key,
    allowed: values.get("gpg.ssh.allowedsignersfile"),
  };
}

/** The allowed signers path as git reads it (`--type=path`); git is asked for any form but "~/". */
async function allowedPath(root: string, allowed: string | undefined): Promise<string> {
  const named = allowed?.trim() ?? "";
  const vars = gitVars();
  const plain = !named.startsWith("~") && !named.startsWith("%(");
  if (plain || (named.startsWith("~/") && (vars.HOME ?? vars.USERPROFILE))) return home(named);
  const out = await runGit(root, ["config", "--type=path", "--get", "gpg.ssh.allowedSignersFile"]);
  return out?.code === 0 ? out.stdout.trim() : "";
}

/**
 * How git reads signatures in the repository at `root`, and whose key is this checkout's;
 * `given`: the signing config as the caller already read it (no git process then).
 */
export async function readSigners(root: string, given?: SigningConfig): Promise<Signers> {
  const signing = given ?? await signingConfig(root);
  const [own, named] = await Promise.all([
    signing.ssh ? ownKey(root, signing.key) : null,
    allowedPath(root, signing.allowed),
  ]);
  if (named !== "") {
    const full = named.startsWith("/") ? named : join(root, named);
    return { config: [], stamp: stampOf(full, await readBounded(full)), own };
  }
  const committed = join(root, COMMITTED_SIGNERS);
  let file = false;
  try {
    file = (await Deno.lstat(committed)).isFile;
  } catch {
    // None committed.
  }
  const text = file ? await readBounded(committed) : null;
  // With none at all git checks no ssh signature: an empty list still tells a good one's key.
  const used = text === null ? "/dev/null" : committed;
  return {
    config: ["-c", `gpg.ssh.allowedSignersFile=${used}`],
    stamp: stampOf(used, text),
    own,
  };
}

function stampOf(path: string, text: string | null): string {
  return sha256Hex(`${path}\0${text ?? ""}`);
}
