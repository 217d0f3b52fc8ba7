/**
 * Secret redaction for every text mpm stores: summaries, todos, commit messages, error records,
 * hook payloads. A match becomes `[REDACTED:<kind>]`. Vendor tokens are recognised by their
 * documented prefixes; anything else only when it is assigned to a name that says it is secret
 * (`password=…`, `"api_key": "…"`), so prose and git shas stay as they are.
 *
 * Every pattern is linear: character classes that cannot overlap the text after them, bounded
 * repetitions, and lookbehinds that let a match start only where a token starts, so a megabyte
 * of hostile input costs one pass per pattern.
 */

export interface SecretPattern {
  /** The `<kind>` written into `[REDACTED:<kind>]`. */
  readonly kind: string;
  /** A global regular expression. */
  readonly pattern: RegExp;
  /** The replacement; by default the whole match is replaced. */
  readonly replace?: (match: string, ...groups: string[]) => string;
}

export function redacted(kind: string): string {
  return `[REDACTED:${kind}]`;
}

const ALREADY = "[REDACTED";

/** Replaces the last captured group (the secret) and keeps the captured prefix. */
function keepPrefix(kind: string) {
  return (match: string, prefix: string, secret: string): string =>
    secret.startsWith(ALREADY) ? match : prefix + redacted(kind);
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    // Bounded so a BEGIN without END cannot make the scan quadratic; a block cut short (a
    // truncated log) is redacted as far as its base64 body goes.
    kind: "private-key",
    pattern:
      /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----(?:[\s\S]{0,16384}?-----END \1PRIVATE KEY\2-----|[A-Za-z0-9+/=\s:,\\-]*)/g,
  },
  {
    kind: "github-token",
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,251})\b/g,
  },
  { kind: "gitlab-token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { kind: "npm-token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  {
    kind: "slack-webhook",
    pattern: /\bhttps:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g,
  },
  { kind: "slack-token", pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/g },
  // Publishable keys (pk_…) are public by design and stay; secret and restricted keys do not.
  { kind: "stripe-key", pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/g },
  { kind: "stripe-webhook-secret", pattern: /\bwhsec_[A-Za-z0-9]{20,}/g },
  { kind: "anthropic-key", pattern: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}/g },
  {
    // A digit is required so hyphenated words that happen to start with "sk-" stay.
    kind: "openai-key",
    pattern:
      /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{20,}/g,
  },
  { kind: "aws-access-key-id", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  {
    kind: "aws-secret-key",
    pattern:
      /\b((?:aws_?)?secret_?access_?key["']?[ \t]*[:=][ \t]*["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    replace: keepPrefix("aws-secret-key"),
  },
  { kind: "google-api-key", pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  {
    kind: "jwt",
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  },
  {
    // user:password@ — the user stays, it helps to know which account was meant.
    kind: "url-credentials",
    pattern: /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s/?#@:[\]]+:)([^\s/?#]+)(?=@)/gi,
    replace: keepPrefix("url-credentials"),
  },
  {
    // A token used as the user name (https://<token>@github.com). Short names such as
    // git@ or deploy@ are accounts, not secrets: a token is long and has digits.
    kind: "url-credentials",
    pattern: /\b([a-z][a-z0-9+.-]{0,30}:\/\/)((?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{16,})(?=@)/gi,
    replace: keepPrefix("url-credentials"),
  },
  {
    kind: "authorization",
    pattern:
      /\b(Authorization["']?[ \t]*[:=][ \t]*["']?(?:(?:Bearer|Basic|Token|Bot)[ \t]+)?)([^\s"',;]+)/gi,
    replace: keepPrefix("authorization"),
  },
  {
    // Outside an Authorization header "bearer" is also an ordinary word: a token is long and
    // has digits.
    kind: "bearer-token",
    pattern: /\b(Bearer[ \t]+)((?=[A-Za-z0-9._~+/-]*[0-9])[A-Za-z0-9._~+/-]{16,}=*)/gi,
    replace: keepPrefix("bearer-token"),
  },
  {
    // name = value, name: value, "name": "value" — the name is kept, the value goes when the
    // name says it is secret (see isSensitiveKey). The lookahead keeps names that cannot be
    // secret from matching at all, so `config: password=x` is not swallowed whole by `config:`.
    kind: "secret",
    pattern:
      /(?<![A-Za-z0-9_.-])(?=-{0,2}[A-Za-z0-9_.-]{0,100}?(?:pass|secret|token|key|credential))(-{0,2}[A-Za-z][A-Za-z0-9_.-]{0,99})(["']?[ \t]*(?::=|[:=])[ \t]*)(?:(\\?["'])(.*?)\3|([^\s"'`,;&<>()[\]{}=][^\s"'`,;&<>()[\]{}]*))/gi,
    replace: (match, key, separator, quote, quoted, bare) => {
      const value = quote ? quoted : bare;
      if (!value || !isSensitiveKey(key) || isPlaceholder(value)) return match;
      const secret = redacted("secret");
      return key + separator + (quote ? quote + secret + quote : secret);
    },
  },
];

const SENSITIVE_WORDS = new Set([
  "password",
  "passwd",
  "passphrase",
  "secret",
  "token",
  "apikey",
  "accesskey",
  "secretkey",
  "privatekey",
  "credential",
  "credentials",
]);
const SENSITIVE_PAIRS = new Set([
  "api key",
  "access key",
  "private key",
  "encryption key",
  "signing key",
  "master key",
]);
/** A last word that makes the name describe a secret rather than hold one (token_count). */
const DESCRIPTOR_WORDS = new Set([
  "count",
  "limit",
  "type",
  "url",
  "uri",
  "endpoint",
  "file",
  "path",
  "dir",
  "length",
  "len",
  "size",
  "expiry",
  "expires",
  "expiration",
  "ttl",
  "name",
  "id",
  "usage",
  "budget",
  "window",
  "prefix",
  "field",
  "header",
  "policy",
  "hint",
  "required",
  "enabled",
  "reset",
  "strength",
]);

/** Whether an assigned name (`GITHUB_TOKEN`, `apiKey`, `x-api-key`) says its value is secret. */
export function isSensitiveKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  if (DESCRIPTOR_WORDS.has(last)) return false;
  return words.some((word, i) =>
    SENSITIVE_WORDS.has(word) || (i > 0 && SENSITIVE_PAIRS.has(`${words[i - 1]} ${word}`))
  );
}

/** Values that name a secret without being one: `$TOKEN`, `<your-key>`, `***`, `null`. */
function isPlaceholder(value: string): boolean {
  return value.startsWith(ALREADY) || value.startsWith("$") ||
    /^(?:<[^>]*>|\*+|x+|\.{3}|%[A-Za-z_]\w*%|null|none|nil|undefined|true|false|string|str|number|required|optional|(?:process\.env|os\.environ|env)\b.*)$/i
      .test(value);
}

/** The text with every recognised secret replaced by `[REDACTED:<kind>]`. */
export function redact(text: string): string {
  let out = text;
  for (const { kind, pattern, replace } of SECRET_PATTERNS) {
    out = out.replace(pattern, replace ?? (() => redacted(kind)));
  }
  return out;
}

/**
 * A copy of a JSON-like value with every string redacted; a string held under a secret-sounding
 * key (`{"password": "hunter2"}`) is redacted whole, since nothing in it looks like a secret.
 */
export function redactDeep<T>(value: T): T {
  return walk(value, undefined) as T;
}

function walk(value: unknown, key: string | undefined): unknown {
  if (typeof value === "string") {
    if (key !== undefined && value !== "" && isSensitiveKey(key) && !isPlaceholder(value)) {
      return redacted("secret");
    }
    return redact(value);
  }
  if (Array.isArray(value)) return value.map((item) => walk(item, undefined));
  if (value !== null && typeof value === "object" && isPlain(value)) {
    // fromEntries, not assignment, so a "__proto__" key stays an own property.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
  }
  return value;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
