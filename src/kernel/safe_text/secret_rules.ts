/**
 * The table of secrets mpm redacts, and the keyword prefilter that keeps it cheap.
 *
 * Tried in this order (an earlier rule's `[REDACTED:…]` is left alone by later ones):
 * - vendor tokens recognised by their shape alone (`ghp_…`, `glpat-…`, `xoxb-…`, `AKIA…`), so a
 *   token is caught in plain prose, glued to a word (`MY_ghp_…`) or inside any quoting;
 * - mpm's own rules for credentials that only their context gives away (`--password X`,
 *   `redis://:pw@host`, `curl -u user:pw`, `Cookie:` headers, `.npmrc`, `.netrc`, …);
 * - vendor names in an assignment (`adafruit_api_key = "…"`), then any name that says its value
 *   is secret (`password=…`, `"api_key": "…"`).
 *
 * The vendor rules are modelled on gitleaks' default rules (config/gitleaks.toml, MIT licence,
 * read at v8.30.0-27-gb58d3f10, 222 rules): the token prefixes, lengths and keywords are its
 * facts; the regular expressions are written here for JavaScript. Left out: gitleaks'
 * `generic-api-key` (mpm's name-based `secret` rule does that job), `pkcs12-file` (a file name,
 * not text) and `kubernetes-secret-yaml` (spans a whole document).
 *
 * Cost. A rule runs only when one of its keywords (lower case; each match holds one, or its name
 * does when the match looks back at a name) appears in the text. One pass of an Aho–Corasick
 * automaton finds them all, however many rules there are. Nothing is compiled at import: the
 * automaton on the first redaction, each rule's expression the first time its keyword shows up.
 * Every expression is linear: bounded repetitions, classes that cannot overlap what follows, and
 * a literal, a lookbehind or a separator where a match may start. Single-line rules never consume
 * a line break, so a long text can be redacted a piece of whole lines at a time (redact.ts).
 */

export interface SecretRule {
  /** The `<kind>` written into `[REDACTED:<kind>]`. */
  readonly kind: string;
  /** Lower-case strings of which every match contains one; the rule runs only when one appears. */
  readonly keywords: readonly string[];
  /**
   * The regular expression's source. With a group named `secret`, only that group is replaced and
   * the rest of the match stays (the name in `password=…`); without one the whole match goes.
   */
  readonly source: string;
  /** `"i"` for a case-insensitive rule (`g` and `d` are always added). */
  readonly flags?: string;
  /** Spans lines (private key blocks): run over the whole text before it is cut into lines. */
  readonly multiline?: boolean;
  /** The least Shannon entropy (bits per character) of the secret; below it, a look-alike. */
  readonly entropy?: number;
  /** A last check on the secret and the match's named groups; false leaves the match. */
  readonly accept?: (
    secret: string,
    groups: Readonly<Record<string, string | undefined>>,
  ) => boolean;
}

const r = String.raw;

/**
 * Inside a JSON string (a transcript's line, a hook payload) line breaks and tabs are escaped, so
 * a token on a new line reads `\nghp_…`: an escape counts as a separator wherever a rule wants
 * one before its match.
 */
const ESCAPE = r`(?<=\\[nrt])`;
/** Where a word starts: `\b`, or right after an escaped line break. */
const W = r`(?:\b|${ESCAPE})`;
/**
 * A token starts where no letter or digit comes before it: `"ghp_…`, `=ghp_…`, `MY_ghp_…`,
 * `\nghp_…`.
 */
const B = r`(?:(?<![A-Za-z0-9])|${ESCAPE})`;
/** …and ends where no letter or digit follows it. */
const E = r`(?![A-Za-z0-9])`;

function token(kind: string, body: string, extra: Partial<SecretRule> = {}): SecretRule {
  return { kind, keywords: [literalStart(body)], source: `${B}(?:${body})${E}`, ...extra };
}

/** The literal text a pattern begins with, lower case (`dp\.pt`: "dp.pt"). */
function literalStart(pattern: string): string {
  return pattern.match(/^(?:[^[\](){}?*+|^$\\]|\\[./_-])*/)![0].replace(/\\(.)/g, "$1")
    .toLowerCase();
}

/**
 * What may sit between a vendor's word and the value in an assignment, in the forms config files
 * and code use: `ADOBE_TOKEN=…`, `"adobe_token": "…"`, `adobeToken := "…"`,
 * `var adobeToken string = "…"`, `'adobe_token' => '…'`, `setProperty("ADOBE_TOKEN", "…")`.
 */
const OPERATOR = r`(?:[ \t]{1,4}[A-Za-z][\w.]{0,19}){0,3}?[ \t]{0,4}(?:\\?["'\x60])?` +
  r`[ \t]{0,4}(?::::=|::=|:=|\?=|\.=|=>|=|:|,)[ \t]{0,4}(?:\\?["'\x60])?[ \t]{0,4}`;
/** A word of prose between the vendor's word and the value (`for`, `staging`, `is`). */
const PROSE_WORD = r`[ \t]{1,3}[A-Za-z][A-Za-z-]{0,15}`;
/**
 * The same in a sentence: `the airtable key is …`, `Adobe token for staging: …`, `our asana secret
 * was …`. A word that names a secret must sit between them, so `the adafruit library is …` is
 * left alone.
 */
const PROSE = `(?:${PROSE_WORD}){0,2}?[ \t]{1,3}(?:api[ \t_-]?)?` +
  r`(?:key|token|secret|password|passphrase|credentials?|id|pat)s?` +
  `(?:${PROSE_WORD}){0,3}?(?:[ \t]{0,3}:[ \t]{0,3}|[ \t]{1,3})`;
const ASSIGN = `[\\w.-]{0,40}(?:${OPERATOR}|${PROSE})`;
/**
 * A value ends at a quote, a space, a separator, an escaped line break or the end; in a sentence,
 * also at its full stop, question or exclamation mark, which may close a quote or a JSON string.
 */
const VALUE_END = r`(?=[ \t\r\n"'\x60;,)}\]]|\\[nrt"]|[.?!](?:[ \t\r\n"'\x60)]|\\[nrt"]|$)|$)`;

/** A vendor's word in a name (`names`, a regex alternation) assigned a value of its shape. */
function named(kind: string, names: string, value: string, extra: Partial<SecretRule> = {}) {
  return {
    kind,
    keywords: keywordsOf(names),
    source: `(?:${names})${ASSIGN}(?<secret>${value})${VALUE_END}`,
    flags: "i",
    ...extra,
  };
}

/** The words `names` spells, lower case (`linked[_-]?in`: linkedin, linked_in, linked-in). */
function keywordsOf(names: string): string[] {
  const words = names.replace(/^\(\?-i:(.*)\)$/, "$1").toLowerCase().split("|")
    .flatMap((w) => w.includes("[_-]?") ? ["", "_", "-"].map((s) => w.replace("[_-]?", s)) : [w]);
  return [...new Set(words)];
}

/**
 * Vendor words that are also pieces of other words ("sumOfExposures", "CameraKit", "rookTable"):
 * matched only as `Okta`, `okta` or `OKTA`.
 */
function cased(...words: string[]): string {
  const forms = words.flatMap((w) => [w, w[0].toUpperCase() + w.slice(1), w.toUpperCase()]);
  return `(?-i:${forms.join("|")})`;
}

const UUID = r`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`;

const hasDigit = (text: string): boolean => /[0-9]/.test(text);
/** Not a bare hex string (a commit id or a checksum that happens to share a prefix). */
const notHexOnly = (text: string): boolean => !/^[0-9a-f]+$/.test(text);

// ---------------------------------------------------------------------------------------------
// Vendor tokens, recognised by their shape. More specific shapes come before looser ones that
// share a prefix (sk-ant- before sk-, xoxe. before xox…). A prefix gitleaks matches in any case
// (its `(?i)`) is matched so here too (`flags: "i"`): `GLC_…` goes as `glc_…` does.
// ---------------------------------------------------------------------------------------------

export function vendorTokens(): SecretRule[] {
  return [
    token(
      "1password-secret-key",
      r`A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}`,
      { entropy: 3.8 },
    ),
    token("1password-service-account-token", r`ops_eyJ[A-Za-z0-9+/]{250,8192}={0,3}`),
    token("adobe-client-secret", r`p8e-[A-Za-z0-9]{32}`),
    token("age-secret-key", r`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`),
    token("airtable-personal-access-token", r`pat[A-Za-z0-9]{14}\.[a-f0-9]{64}`),
    token("alibaba-access-key-id", r`LTAI[A-Za-z0-9]{20}`),
    token("anthropic-admin-key", r`sk-ant-admin01-[A-Za-z0-9_-]{20,300}`, {
      keywords: ["sk-ant-admin"],
    }),
    token("anthropic-key", r`sk-ant-[A-Za-z0-9_-]{20,300}`),
    token("artifactory-api-key", r`AKCp[A-Za-z0-9]{69}`, { entropy: 4 }),
    token("artifactory-reference-token", r`cmVmd[A-Za-z0-9]{59}`, { entropy: 4 }),
    token("atlassian-api-token", r`ATATT3[A-Za-z0-9_=-]{150,300}`),
    token(
      "authress-service-client-access-key",
      r`(?:sc|ext|scauth|authress)_[A-Za-z0-9]{5,30}\.[A-Za-z0-9]{4,6}\.acc[_-][A-Za-z0-9-]{10,32}\.[A-Za-z0-9+/_=-]{30,120}`,
      { keywords: [".acc_", ".acc-"] },
    ),
    token("aws-access-key-id", r`(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}`, {
      keywords: ["a3t", "akia", "asia", "abia", "acca"],
    }),
    token("aws-bedrock-api-key", r`ABSK[A-Za-z0-9+/]{109,269}={0,2}`, { entropy: 3 }),
    token(
      "aws-bedrock-api-key",
      r`bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%_-]{0,4096}`,
      { keywords: ["bedrock-api-key-"] },
    ),
    {
      kind: "azure-ad-client-secret",
      keywords: ["q~"],
      source:
        r`(?:(?<![A-Za-z0-9_~.-])|${ESCAPE})[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`,
      entropy: 3,
    },
    token("clickhouse-cloud-api-secret-key", r`4b1d[A-Za-z0-9]{38}`, {
      entropy: 3,
      accept: notHexOnly,
    }),
    token("clojars-api-token", r`CLOJARS_[A-Za-z0-9]{60}`, { flags: "i" }),
    token("cloudflare-origin-ca-key", r`v1\.0-[a-f0-9]{24}-[a-f0-9]{146}`),
    token("databricks-api-token", r`dapi[a-f0-9]{32}(?:-[0-9])?`, { entropy: 3 }),
    token("defined-networking-api-token", r`dnkey-[A-Za-z0-9=_-]{26}-[A-Za-z0-9=_-]{52}`),
    token("digitalocean-access-token", r`doo_v1_[a-f0-9]{64}`),
    token("digitalocean-pat", r`dop_v1_[a-f0-9]{64}`),
    token("digitalocean-refresh-token", r`dor_v1_[a-f0-9]{64}`, { flags: "i" }),
    {
      kind: "discord-webhook",
      keywords: ["/api/webhooks/"],
      source:
        r`${W}https?://(?:[a-z]{1,10}\.)?discord(?:app)?\.com/api/webhooks/[0-9]{5,30}/[A-Za-z0-9_-]{20,100}`,
    },
    token("doppler-api-token", r`dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}`, {
      keywords: ["dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit."],
      entropy: 2,
    }),
    token("dropbox-short-lived-api-token", r`sl\.[A-Za-z0-9_=-]{135,200}`),
    token("dropbox-long-lived-api-token", r`[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_=-]{43}`, {
      keywords: ["aaaaaaaaaa"],
    }),
    token("duffel-api-token", r`duffel_(?:test|live)_[A-Za-z0-9_=-]{43}`),
    token("dynatrace-api-token", r`dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}`),
    token("easypost-api-token", r`EZAK[A-Za-z0-9]{54}`),
    token("easypost-test-api-token", r`EZTK[A-Za-z0-9]{54}`),
    {
      // An app access token is `<app id>|<app secret>`.
      kind: "facebook-access-token",
      keywords: ["|", "%"],
      // Found from the separator, looking back for the id: far fewer places to try than every
      // digit. The app id is public and stays.
      source: r`(?<=(?<![0-9])[0-9]{15,16})(?:\||%7[Cc]|%)(?<secret>[0-9A-Za-z_-]{27,40})${E}`,
      entropy: 3,
    },
    token("facebook-page-access-token", r`EAA[MC][A-Za-z0-9]{100,1024}`, {
      keywords: ["eaam", "eaac"],
      entropy: 4,
    }),
    token("flutterwave-secret-key", r`FLWSECK(?:_TEST)?-[a-hA-H0-9]{32}-X`),
    token("flutterwave-public-key", r`FLWPUBK(?:_TEST)?-[a-hA-H0-9]{32}-X`),
    token("flutterwave-encryption-key", r`FLWSECK(?:_TEST)?-?[a-hA-H0-9]{12}`),
    token(
      "flyio-access-token",
      r`fo1_[\w-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,4096}={0,3}|fm2_[A-Za-z0-9+/]{100,4096}={0,3}`,
      { keywords: ["fo1_", "fm1a_", "fm1r_", "fm2_"], entropy: 4 },
    ),
    token("frameio-api-token", r`fio-u-[A-Za-z0-9_=-]{64}`),
    token("github-token", r`gh[pousr]_[A-Za-z0-9]{36,251}`, {
      keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    }),
    {
      kind: "github-token",
      keywords: ["github_pat_"],
      source: r`${B}github_pat_[A-Za-z0-9_]{22,251}(?![A-Za-z0-9_])`,
    },
    token("gitlab-token", r`glpat-[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{9})?`),
    token("gitlab-cicd-job-token", r`glcbt-[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20,300}`),
    token("gitlab-deploy-token", r`gldt-[0-9a-zA-Z_-]{20,300}`),
    token("gitlab-feature-flag-client-token", r`glffct-[0-9a-zA-Z_-]{20,300}`),
    token("gitlab-feed-token", r`glft-[0-9a-zA-Z_-]{20,300}`),
    token("gitlab-incoming-mail-token", r`glimt-[0-9a-zA-Z_-]{25,300}`),
    token("gitlab-kubernetes-agent-token", r`glagent-[0-9a-zA-Z_-]{50,300}`),
    token("gitlab-oauth-app-secret", r`gloas-[0-9a-zA-Z_-]{64,300}`),
    token("gitlab-pipeline-trigger-token", r`glptt-[0-9a-f]{40}`),
    token("gitlab-runner-registration-token", r`GR1348941[\w-]{20,300}`),
    token("gitlab-runner-token", r`glrt-[0-9a-zA-Z_-]{20,300}(?:\.[0-9a-z]{9})?`),
    token("gitlab-scim-token", r`glsoat-[0-9a-zA-Z_-]{20,300}`),
    {
      kind: "gitlab-session-cookie",
      keywords: ["_gitlab_session="],
      source: r`_gitlab_session=[0-9a-z]{32}${E}`,
    },
    token("google-api-key", r`AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])`),
    token("grafana-api-key", r`eyJrIjoi[A-Za-z0-9]{70,400}={0,3}`, { flags: "i" }),
    token("grafana-cloud-api-token", r`glc_[A-Za-z0-9+/]{32,400}={0,3}`, {
      entropy: 3,
      flags: "i",
    }),
    token("grafana-service-account-token", r`glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}`, {
      entropy: 3,
      flags: "i",
    }),
    token("harness-api-key", r`(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}`, {
      keywords: ["pat.", "sat."],
    }),
    token("hashicorp-tf-api-token", r`[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}`, {
      keywords: ["atlasv1"],
    }),
    token("heroku-api-key", r`HRKU-AA[0-9a-zA-Z_-]{58}`),
    token("huggingface-access-token", r`hf_[A-Za-z]{34}`, { entropy: 2 }),
    token("huggingface-organization-api-token", r`api_org_[A-Za-z]{34}`, { entropy: 2 }),
    token("infracost-api-token", r`ico-[A-Za-z0-9]{32}`, { entropy: 3 }),
    token("intra42-client-secret", r`s-s4t2(?:ud|af)-[A-Fa-f0-9]{64}`),
    token(
      "jwt-base64",
      // The base64 of `{"` and a header's name: alg, apu, apv, aud, b64, crit, cty, epk, enc, jku,
      // jwk, iss, iv, kid, key_ops, kty, nonce, p2c, p2s, ppt, sub, svt, tag, typ, url, use, ver,
      // version, x, x5c, x5t, x5t#S256, x5u, zip.
      r`ZXlK(?:aGJHY2lPaU|aGNIVWlPaU|aGNIWWlPaU|aGRXUWlPaU|aU5qUWlP|amNtbDBJanBi|amRIa2lPaU|` +
        r`bGNHc2lPbn|bGJtTWlPaU|cWEzVWlPaU|cWQyc2lPb|cGMzTWlPaU|cGRpSTZJ|cmFXUWlP|` +
        r`clpYbGZiM0J6SWpwY|cmRIa2lPaUp|dWIyNWpaU0k2|d01tTWlP|d01uTWlPaU|d2NIUWlPaU|emRXSWlPaU|` +
        r`emRuUWlP|MFlXY2lPaU|MGVYQWlPaUp|MWNtd2l|MWMyVWlPaUp|MlpYSWlPaU|MlpYSnphVzl1SWpv|NElqb2|` +
        r`NE5XTWlP|NE5YUWlPaU|NE5YUWpVekkxTmlJNkl|NE5YVWlPaU|NmFYQWlPaU)[A-Za-z0-9/_+-]{40,8192}={0,2}`,
    ),
    token("linear-api-key", r`lin_api_[A-Za-z0-9]{40}`),
    token("mailchimp-api-key", r`[a-f0-9]{32}-us[0-9]{1,2}`, { keywords: ["-us"] }),
    token(
      "mapbox-api-token",
      r`(?:pk|sk|tk)\.eyJ[A-Za-z0-9_-]{20,200}\.[A-Za-z0-9_-]{20,100}|(?:pk|sk)\.[A-Za-z0-9]{60}\.[A-Za-z0-9_-]{22}`,
      { keywords: ["pk.", "sk.", "tk."] },
    ),
    token("maxmind-license-key", r`[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk`, {
      keywords: ["_mmk"],
      entropy: 4,
    }),
    {
      kind: "microsoft-teams-webhook",
      keywords: ["webhook.office.com"],
      source: r`${W}https://[a-z0-9-]{1,63}\.webhook\.office\.com/webhookb2/[A-Za-z0-9@/-]{40,400}`,
    },
    token("new-relic-user-api-key", r`NRAK-[A-Z0-9]{27}`),
    token("new-relic-admin-api-key", r`NRAA-[a-f0-9]{27}`),
    token("new-relic-insert-key", r`NRII-[A-Za-z0-9-]{32}`),
    token("new-relic-browser-api-token", r`NRJS-[a-f0-9]{19}`),
    token("notion-api-token", r`ntn_[0-9]{11}[A-Za-z0-9]{35}`, { entropy: 4 }),
    token("notion-api-token", r`secret_[A-Za-z0-9]{43}`, { entropy: 4 }),
    token("npm-token", r`npm_[A-Za-z0-9]{36}`, { entropy: 2, flags: "i" }),
    token("octopus-deploy-api-key", r`API-[A-Z0-9]{26}`, { entropy: 3, accept: hasDigit }),
    {
      // A digit is required so hyphenated words that happen to start with "sk-" stay.
      kind: "openai-key",
      keywords: ["sk-"],
      source:
        r`${B}sk-(?:proj-|svcacct-|admin-)?(?=[A-Za-z0-9_-]{0,300}[0-9])[A-Za-z0-9_-]{20,300}`,
    },
    {
      kind: "openshift-user-token",
      keywords: ["sha256~"],
      source: r`${B}sha256~[\w-]{43}(?![\w-])`,
    },
    token("perplexity-api-key", r`pplx-[A-Za-z0-9]{48}`),
    token("plaid-api-token", r`access-(?:sandbox|development|production)-${UUID}`, {
      keywords: ["access-sandbox-", "access-development-", "access-production-"],
    }),
    token("planetscale-api-token", r`pscale_tkn_[\w=.-]{32,64}`, { entropy: 3 }),
    token("planetscale-oauth-token", r`pscale_oauth_[\w=.-]{32,64}`, { entropy: 3 }),
    token("planetscale-password", r`pscale_pw_[\w=.-]{32,64}`, { entropy: 3, flags: "i" }),
    token("postman-api-token", r`PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}`),
    token("prefect-api-token", r`pnu_[A-Za-z0-9]{36}`),
    token("pulumi-api-token", r`pul-[a-f0-9]{40}`),
    token("pypi-upload-token", r`pypi-Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)[\w-]{50,1000}`),
    token("readme-api-token", r`rdme_[a-z0-9]{70}`),
    token("rubygems-api-token", r`rubygems_[a-f0-9]{48}`),
    token("scalingo-api-token", r`tk-us-[\w-]{48}`),
    token("sendgrid-api-token", r`SG\.[A-Za-z0-9=_.-]{66}`),
    token("sendinblue-api-token", r`(?:xkeysib|xsmtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}`, {
      keywords: ["xkeysib-", "xsmtpsib-"],
    }),
    token("sentry-org-token", r`sntrys_eyJ[A-Za-z0-9+/]{20,800}={0,2}_[A-Za-z0-9+/]{43}`, {
      keywords: ["sntrys_"],
    }),
    token("sentry-user-token", r`sntryu_[a-f0-9]{64}`),
    token("settlemint-application-access-token", r`sm_aat_[A-Za-z0-9]{16}`),
    token("settlemint-personal-access-token", r`sm_pat_[A-Za-z0-9]{16}`),
    token("settlemint-service-access-token", r`sm_sat_[A-Za-z0-9]{16}`),
    token("shippo-api-token", r`shippo_(?:live|test)_[a-fA-F0-9]{40}`),
    token("shopify-access-token", r`shpat_[a-fA-F0-9]{32}`),
    token("shopify-custom-access-token", r`shpca_[a-fA-F0-9]{32}`),
    token("shopify-private-app-access-token", r`shppa_[a-fA-F0-9]{32}`),
    token("shopify-shared-secret", r`shpss_[a-fA-F0-9]{32}`),
    {
      kind: "sidekiq-sensitive-url",
      keywords: ["contribsys.com"],
      source:
        r`${W}https?://(?<secret>[a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com`,
      flags: "i",
    },
    token("slack-config-access-token", r`xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{163,166}`, { flags: "i" }),
    token("slack-config-refresh-token", r`xoxe-[0-9]-[A-Za-z0-9]{146}`, { entropy: 2, flags: "i" }),
    token("slack-app-token", r`xapp-[0-9]-[A-Za-z0-9]{1,40}-[0-9]{1,40}-[A-Za-z0-9]{1,200}`, {
      flags: "i",
    }),
    token("slack-token", r`xox[abceoprs]-[A-Za-z0-9-]{8,250}`, {
      keywords: ["xoxa-", "xoxb-", "xoxc-", "xoxe-", "xoxo-", "xoxp-", "xoxr-", "xoxs-"],
    }),
    {
      kind: "slack-webhook",
      keywords: ["hooks.slack.com"],
      source:
        r`${B}(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{10,300}`,
    },
    token("sonar-api-token", r`sq[upa]_[a-f0-9]{40}`, { keywords: ["squ_", "sqp_", "sqa_"] }),
    token("sourcegraph-access-token", r`sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}`, {
      entropy: 3,
      flags: "i",
    }),
    token("square-access-token", r`(?:EAAA|sq0atp-)[\w-]{22,60}`, {
      keywords: ["eaaa", "sq0atp-"],
      entropy: 3,
    }),
    token("square-oauth-secret", r`sq0csp-[\w-]{43}`),
    // Publishable keys (pk_…) are public by design and stay; secret and restricted keys do not.
    token("stripe-key", r`[sr]k_(?:live|test|prod)_[A-Za-z0-9]{10,247}`, {
      keywords: ["sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_"],
    }),
    token("stripe-webhook-secret", r`whsec_[A-Za-z0-9]{20,247}`),
    {
      kind: "telegram-bot-api-token",
      keywords: [":aa"],
      source: r`(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])`,
    },
    token("twilio-api-key", r`SK[0-9a-fA-F]{32}`, { entropy: 3 }),
    {
      kind: "twitter-bearer-token",
      keywords: ["aaaaaaaaaaaaaaaaaaaaaa"],
      source: r`(?:(?<![A-Za-z0-9+/%])|${ESCAPE})A{22}[A-Za-z0-9%]{80,100}(?![A-Za-z0-9+/%=])`,
    },
    token("typeform-api-token", r`tfp_[A-Za-z0-9._=-]{59}`, { flags: "i" }),
    token("vault-batch-token", r`hvb\.[\w-]{138,300}`, { entropy: 4 }),
    token("vault-service-token", r`hvs\.[\w-]{90,300}`, { entropy: 3.5 }),
    token("vault-recovery-token", r`hvr\.[\w-]{90,300}`, { entropy: 3.5 }),
    // Before Vault 1.10 a service token was `s.` and 24 characters; one with no digit is a word.
    token("vault-service-token", r`s\.[A-Za-z0-9]{24}`, { entropy: 3.5, accept: hasDigit }),
    token("yandex-api-key", r`AQVN[A-Za-z0-9_-]{35,38}`),
    token("yandex-access-token", r`t1\.[A-Za-z0-9_-]{1,200}={0,2}\.[A-Za-z0-9_-]{86}={0,2}`),
    {
      kind: "jwt",
      keywords: ["eyj"],
      source: r`${W}eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,8192}`,
    },
    {
      // Header and claims, both JSON in base64, with or without a signature (`alg: none`).
      kind: "jwt",
      keywords: [".ey"],
      source:
        r`${W}ey[A-Za-z0-9_-]{15,8192}\.ey[A-Za-z0-9_-]{15,8192}\.(?:[A-Za-z0-9_-]{8,8192}={0,2})?`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// mpm's own rules: credentials that only their context gives away. Each replaces the secret and
// keeps the context, so `--password [REDACTED:cli-password]` still says what was there.
// ---------------------------------------------------------------------------------------------

/** A command-line value: quoted, or one word that is not another flag, a pipe or a variable. */
const CLI_VALUE = r`"[^"\r\n]{1,200}"|'[^'\r\n]{1,200}'|[^\s"'\x60<>|&;$-][^\s"'\x60<>|&;]{0,200}`;
/**
 * Up to `n` more words of the same command (not past a pipe or `;`), as few as will do. Word by
 * word, so the search for what follows costs one try per word, not one per character.
 */
const words = (n: number): string => r`(?:[ \t]{1,20}[^\s|;]{1,2048}){0,${n}}?`;

/** Words that follow `--password` in prose about the flag rather than on a command line. */
const PROSE_WORDS = new Set([
  "a",
  "an",
  "and",
  "argument",
  "as",
  "flag",
  "for",
  "from",
  "if",
  "in",
  "is",
  "of",
  "on",
  "option",
  "or",
  "the",
  "to",
  "was",
  "when",
  "with",
]);

/** A command-line value that is not prose about the flag and not `$VAR`, `<pw>`, `***`. */
function cliSecret(secret: string): boolean {
  const value = secret.replace(/^(["'])(.*)\1$/s, "$2");
  return !PROSE_WORDS.has(value.toLowerCase()) && !isPlaceholder(value);
}

/** `scheme://`, found from the `://` and looking back for the scheme. */
const SCHEME = r`://(?<=\b[a-z][a-z0-9+.-]{0,30}://)`;

function mpmRules(): SecretRule[] {
  return [
    {
      // user:password@ — the user stays, it helps to know which account was meant. The user may be
      // empty (`redis://:pw@host`).
      kind: "url-credentials",
      keywords: ["://"],
      source: SCHEME + r`[^\s/?#@:[\]]{0,200}:(?<secret>[^\s/?#\x60]{1,500})(?=@)`,
      flags: "i",
      accept: (secret) => !isPlaceholder(secret),
    },
    {
      // A token used as the user name (https://<token>@github.com). Short names such as git@ or
      // deploy@ are accounts, not secrets: a token is long and has digits.
      kind: "url-credentials",
      keywords: ["://"],
      source: SCHEME + r`(?<secret>(?=[A-Za-z0-9_-]{0,300}[0-9])[A-Za-z0-9_-]{16,300})(?=@)`,
      flags: "i",
    },
    {
      kind: "authorization",
      keywords: ["authorization"],
      source:
        r`${W}Authorization(?:\\?["'])?[ \t]*[:=][ \t]*["']?(?:(?:Bearer|Basic|Token|Bot)[ \t]+)?(?<secret>[^\s"'\x60,;]{1,4096})`,
      flags: "i",
    },
    {
      // Outside an Authorization header "bearer" is also an ordinary word: a token is long and has
      // digits.
      kind: "bearer-token",
      keywords: ["bearer"],
      source:
        r`${W}Bearer[ \t]+(?<secret>(?=[A-Za-z0-9._~+/-]{0,4096}[0-9])[A-Za-z0-9._~+/-]{16,4096}=*)`,
      flags: "i",
    },
    {
      // A cookie header held as a JSON or YAML key, as HAR files and fetch dumps hold them:
      // `{"Cookie": "sid=…"}`, `"headers": {"cookie": "…"}`, `'Set-Cookie': '…'`. The quoted
      // value goes whole.
      kind: "cookie",
      keywords: ["cookie"],
      source:
        r`${W}(?:Set-)?Cookies?(?<kq>\\?["'])[ \t]*:[ \t]*(?<q>\\?["'])(?<secret>(?:(?!\k<q>)[^\r\n]){1,4096})\k<q>`,
      flags: "i",
      accept: (secret) => !isPlaceholder(secret),
    },
    {
      // `Cookie: a=1; b=2` and `Set-Cookie: id=…; Path=/`: the whole value, to the line's end.
      kind: "cookie",
      keywords: ["cookie"],
      source:
        r`${W}(?:Set-)?Cookie(?:\\?["'])?[ \t]*:[ \t]*(?<secret>[^\s"'\x60;=\\]{1,200}=[^\r\n"'\x60\\]{0,4096})`,
      flags: "i",
    },
    {
      kind: "cookie",
      keywords: ["--cookie"],
      source:
        r`(?:(?<![\w-])|${ESCAPE})--cookie(?:=|[ \t]{1,4})["']?(?<secret>[^\s"'\x60;=]{1,200}=[^\r\n"'\x60]{0,4096})`,
    },
    {
      // `curl -u user:password`; `-u user` alone makes curl ask, and stays.
      kind: "curl-credentials",
      keywords: ["curl"],
      source: r`${W}curl${
        words(30)
      }[ \t]{1,20}(?:-u|--user)(?:=|[ \t]{0,4})["']?[^\s:"']{0,100}:(?<secret>[^\s"'\x60]{1,200})`,
      accept: (secret) => !isPlaceholder(secret),
    },
    {
      kind: "sshpass-password",
      keywords: ["sshpass"],
      source:
        r`${W}sshpass(?:[ \t]{1,20}-[A-Za-oq-z][^\s]{0,100}){0,4}[ \t]{1,20}-p[ \t]{0,4}(?<secret>${CLI_VALUE})`,
      accept: cliSecret,
    },
    {
      // `docker login -p X` (and podman, nerdctl, helm registry, …); `docker run -p 8080:80` is
      // a port, hence the `login`.
      kind: "registry-password",
      keywords: ["login"],
      source: r`${W}(?:docker|podman|nerdctl|buildah|skopeo|oras|crane|regctl|helm|finch)${
        words(3)
      }[ \t]{1,20}login${words(12)}[ \t]{1,20}-p(?:[ \t]{1,4}|=)?(?<secret>${CLI_VALUE})`,
      accept: cliSecret,
    },
    {
      // mysql's `-pSECRET`, glued; `-p` alone (or `-p db`) makes it ask. Only on a mysql command
      // line: elsewhere `-p` is a port, a parent folder or a patch.
      kind: "mysql-password",
      keywords: ["mysql", "mariadb"],
      source:
        r`${W}(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlpump|mysqlsh|mariadb|mariadb-dump|mariadb-admin)${
          words(20)
        }[ \t]{1,20}-p(?<secret>${CLI_VALUE})`,
      accept: cliSecret,
    },
    {
      // `--password X`, `--api-key X`, keytool's `-storepass X` (`--password=X` is a name rule's).
      // Not `--password-file path` nor `--password-stdin`: the name must say it holds a secret.
      kind: "cli-password",
      keywords: ["pass", "pwd", "token", "secret", "key", "credential"],
      source:
        r`(?:(?<![\w-])|${ESCAPE})--?(?=[\w-]{0,100}?(?:pass|pwd|token|secret|key|credential))` +
        r`(?<name>[A-Za-z0-9]{1,20}(?:[-_][A-Za-z0-9]{1,20}){0,4})[ \t]{1,4}(?<secret>${CLI_VALUE})`,
      flags: "i",
      accept: (secret, groups) => isSensitiveKey(groups.name ?? "") && cliSecret(secret),
    },
    {
      // .npmrc: `//registry.example.com/:_authToken=…`, `_auth=…`, `_password=…`.
      kind: "npmrc-auth",
      keywords: ["_auth", "_password"],
      source:
        r`${B}_(?:authToken|auth|password)[ \t]*=[ \t]*["']?(?<secret>[^\s"'\x60$][^\s"'\x60]{0,2047})`,
    },
    {
      // Docker's config.json: `"auth": "<base64 of user:password>"`.
      kind: "docker-auth",
      keywords: ['"auth"'],
      source: r`"auth"[ \t]*:[ \t]*"(?<secret>[A-Za-z0-9+/]{8,4096}={0,2})"`,
      accept: (secret) => {
        try {
          return atob(secret).includes(":");
        } catch {
          return false;
        }
      },
    },
    {
      // Azure connection strings: `AccountName=x;AccountKey=…;` and Service Bus's SharedAccessKey.
      kind: "azure-storage-key",
      keywords: ["accountkey", "sharedaccesskey"],
      source:
        r`${B}(?:AccountKey|SharedAccessKey)[ \t]*=[ \t]*(?<secret>[A-Za-z0-9+/]{20,200}={0,2})`,
      flags: "i",
    },
    {
      // The signature of an Azure SAS URL or connection string (`…&sig=…`).
      kind: "azure-sas-signature",
      keywords: ["sig="],
      source: r`[?&;]sig=(?<secret>[A-Za-z0-9%+/=]{20,200})`,
    },
    {
      // An S3 pre-signed URL carries the session's token.
      kind: "aws-session-token",
      keywords: ["x-amz-security-token="],
      source: r`[?&]X-Amz-Security-Token=(?<secret>[A-Za-z0-9%+/=_-]{20,4096})`,
      flags: "i",
    },
    {
      // .netrc: `machine host login user password secret`, on one line…
      kind: "netrc-password",
      keywords: ["password"],
      source:
        r`${W}(?:login|user)[ \t]+[^\s]{1,200}[ \t]+password[ \t]+(?<secret>[^\s\x60]{1,200})`,
      accept: (secret) => !isPlaceholder(secret),
    },
    {
      // …or with `password secret` as a line of its own (a .netrc spread over lines). Only a line
      // with nothing else, so prose such as "password reset done" stays.
      kind: "netrc-password",
      keywords: ["password"],
      source:
        r`password(?<=(?:^|\n|\\n)[ \t]{0,40}password)[ \t]+(?<secret>[^\s\\\x60]{1,200})(?=[ \t]*(?:\r?\n|\\n|$))`,
      accept: (secret) => !isPlaceholder(secret) && !PROSE_WORDS.has(secret.toLowerCase()),
    },
    {
      // AWS's secret access key is 40 characters of base64 with nothing to recognise it by but its
      // name.
      kind: "aws-secret-key",
      keywords: ["secret"],
      source:
        r`${W}(?:aws_?)?secret_?access_?key(?:\\?["'])?[ \t]*[:=][ \t]*["']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])`,
      flags: "i",
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Vendor names in assignments: the value is replaced when the name holds the vendor's word and
// the value has the vendor's shape (`ADOBE_CLIENT_ID = "…32 hex…"`).
// ---------------------------------------------------------------------------------------------

export function vendorNames(): SecretRule[] {
  return [
    named("adafruit-api-key", "adafruit", r`[a-z0-9_-]{32}`),
    named("adobe-client-id", "adobe", r`[a-f0-9]{32}`, { entropy: 2 }),
    named("airtable-api-key", "airtable", r`[a-z0-9]{17}`),
    named("algolia-api-key", "algolia", r`[a-z0-9]{32}`),
    named("alibaba-secret-key", "alibaba", r`[a-z0-9]{30}`, { entropy: 2 }),
    named("asana-client-id", "asana", r`[0-9]{16}`),
    named("asana-client-secret", "asana", r`[a-z0-9]{32}`),
    named(
      "atlassian-api-token",
      cased("atlassian", "confluence", "jira"),
      r`[a-z0-9]{20}[a-f0-9]{4}`,
      { entropy: 3.5 },
    ),
    named("beamer-api-token", "beamer", r`b_[a-z0-9=_-]{44}`),
    named("bitbucket-client-id", "bitbucket", r`[a-z0-9]{32}`),
    named("bitbucket-client-secret", "bitbucket", r`[a-z0-9=_-]{64}`),
    named("bittrex-key", "bittrex", r`[a-z0-9]{32}`),
    named("cisco-meraki-api-key", cased("meraki"), r`[0-9a-f]{40}`, { entropy: 3 }),
    named("cloudflare-api-key", "cloudflare", r`[a-z0-9_-]{40}`, { entropy: 2 }),
    named("cloudflare-global-api-key", "cloudflare", r`[a-f0-9]{37}`, { entropy: 2 }),
    named("codecov-access-token", "codecov", r`[a-z0-9]{32}`),
    named("cohere-api-token", "cohere|co_api_key", r`[a-z0-9]{40}`, { entropy: 4 }),
    named("coinbase-access-token", "coinbase", r`[a-z0-9_-]{64}`),
    named("confluent-access-token", "confluent", r`[a-z0-9]{16}`),
    named("confluent-secret-key", "confluent", r`[a-z0-9]{64}`),
    named("contentful-delivery-api-token", "contentful", r`[a-z0-9=_-]{43}`),
    named("datadog-access-token", "datadog", r`[a-z0-9]{40}`),
    named("discord-api-token", "discord", r`[a-f0-9]{64}`),
    named("discord-client-id", "discord", r`[0-9]{18}`, { entropy: 2 }),
    named("discord-client-secret", "discord", r`[a-z0-9=_-]{32}`, { entropy: 2 }),
    named("droneci-access-token", "droneci", r`[a-z0-9]{32}`),
    named("dropbox-api-token", "dropbox", r`[a-z0-9]{15}`),
    named("etsy-access-token", cased("etsy"), r`[a-z0-9]{24}`, { entropy: 3 }),
    named("facebook-secret", "facebook", r`[a-f0-9]{32}`, { entropy: 3 }),
    named("fastly-api-token", "fastly", r`[a-z0-9=_-]{32}`),
    named("finicity-api-token", "finicity", r`[a-f0-9]{32}`),
    named("finicity-client-secret", "finicity", r`[a-z0-9]{20}`),
    named("finnhub-access-token", "finnhub", r`[a-z0-9]{20}`),
    named("flickr-access-token", "flickr", r`[a-z0-9]{32}`),
    named("freemius-secret-key", "freemius|secret_key", r`sk_[^\s"'\x60]{29}`),
    named("freshbooks-access-token", "freshbooks", r`[a-z0-9]{64}`),
    named("gitter-access-token", "gitter", r`[a-z0-9_-]{40}`),
    named("gocardless-api-token", "gocardless", r`live_[a-z0-9_=-]{40}`),
    named("heroku-api-key", "heroku", UUID),
    named("hubspot-api-key", "hubspot", UUID),
    named("intercom-api-key", "intercom", r`[a-z0-9=_-]{60}`),
    named("jfrog-api-key", "jfrog|artifactory|bintray|xray", r`[a-z0-9]{73}`),
    named("jfrog-identity-token", "jfrog|artifactory|bintray|xray", r`[a-z0-9]{64}`),
    named("kraken-access-token", "kraken", r`[a-z0-9/=_+-]{80,90}`),
    named("kucoin-access-token", "kucoin", r`[a-f0-9]{24}`),
    named("kucoin-secret-key", "kucoin", UUID),
    named("launchdarkly-access-token", "launchdarkly", r`[a-z0-9=_-]{40}`),
    named("linear-client-secret", "linear", r`[a-f0-9]{32}`, { entropy: 2 }),
    named("linkedin-client-id", "linked[_-]?in", r`[a-z0-9]{14}`, { entropy: 2 }),
    named("linkedin-client-secret", "linked[_-]?in", r`[a-z0-9]{16}`, { entropy: 2 }),
    named("lob-api-key", "lob", r`(?:live|test)_[a-f0-9]{35}`),
    named("lob-pub-api-key", "lob", r`(?:test|live)_pub_[a-f0-9]{31}`),
    named("looker-client-id", "looker", r`[a-z0-9]{20}`),
    named("looker-client-secret", "looker", r`[a-z0-9]{24}`),
    named("mailgun-private-api-token", "mailgun", r`key-[a-f0-9]{32}`),
    named("mailgun-pub-key", "mailgun", r`pubkey-[a-f0-9]{32}`),
    named("mailgun-signing-key", "mailgun", r`[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}`),
    named("mattermost-access-token", "mattermost", r`[a-z0-9]{26}`),
    named("messagebird-api-token", "message[_-]?bird", r`[a-z0-9]{25}`),
    named("messagebird-client-id", "message[_-]?bird", UUID),
    named("netlify-access-token", "netlify", r`[a-z0-9=_-]{40,46}`),
    named("new-relic-user-api-id", "new[_-]?relic", r`[a-z0-9]{64}`),
    named("nytimes-access-token", "nytimes|new-york-times|newyorktimes", r`[a-z0-9=_-]{32}`),
    named("okta-access-token", cased("okta"), r`00[\w=-]{40}`, { entropy: 4 }),
    named("plaid-client-id", "plaid", r`[a-z0-9]{24}`, { entropy: 3.5 }),
    named("plaid-secret-key", "plaid", r`[a-z0-9]{30}`, { entropy: 3.5 }),
    named("privateai-api-token", "private[_-]?ai", r`[a-z0-9]{32}`, { entropy: 3 }),
    named("rapidapi-access-token", "rapidapi", r`[a-z0-9_-]{50}`),
    named("sendbird-access-id", "sendbird", UUID),
    named("sendbird-access-token", "sendbird", r`[a-f0-9]{40}`),
    named("sentry-access-token", "sentry", r`[a-f0-9]{64}`, { entropy: 3 }),
    named(
      "sidekiq-secret",
      "bundle_enterprise__contribsys__com|bundle_gems__contribsys__com",
      r`[a-f0-9]{8}:[a-f0-9]{8}`,
      { keywords: ["contribsys__com"] },
    ),
    named("snyk-api-token", r`snyk[ _.-]?(?:(?:api|oauth)[ _.-]?)?(?:key|token)`, UUID, {
      keywords: ["snyk"],
    }),
    named("sonar-api-token", r`sonar[_.-]?(?:login|token)`, r`(?:squ_|sqp_|sqa_)?[a-z0-9=_-]{40}`, {
      keywords: ["sonar"],
    }),
    named("squarespace-access-token", "squarespace", UUID),
    named("sumologic-access-id", cased("sumo"), r`su[a-z0-9]{12}`, { entropy: 3 }),
    named("sumologic-access-token", cased("sumo"), r`[a-z0-9]{64}`, { entropy: 3 }),
    named("telegram-bot-api-token", "telegr", r`[0-9]{5,16}:A[a-z0-9_-]{34}`),
    named("trello-access-token", "trello", r`[a-z0-9-]{32}`),
    named("travisci-access-token", "travis", r`[a-z0-9]{22}`),
    named("twitch-api-token", "twitch", r`[a-z0-9]{30}`),
    named("twitter-access-secret", "twitter", r`[a-z0-9]{45}`),
    named("twitter-access-token", "twitter", r`[0-9]{15,25}-[a-z0-9]{20,40}`),
    named("twitter-api-key", "twitter", r`[a-z0-9]{25}`),
    named("twitter-api-secret", "twitter", r`[a-z0-9]{50}`),
    named("yandex-aws-access-token", "yandex", r`YC[a-z0-9_-]{38}`),
    named("zendesk-secret-key", "zendesk", r`[a-z0-9]{40}`),
    {
      kind: "nuget-config-password",
      keywords: ["<add key="],
      source: r`<add key="(?:ClearText)?Password"[ \t]{1,20}value="(?<secret>[^"\r\n]{1,200})"`,
      flags: "i",
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Names that say their value is secret. These come last: anything a vendor rule recognised is
// already `[REDACTED:…]` and is left as it is.
// ---------------------------------------------------------------------------------------------

/** A bare value: one word, no quotes, brackets or separators. */
const BARE = r`[^\s"'\x60,;&<>()[\]{}=][^\s"'\x60,;&<>()[\]{}]{0,4096}`;
/**
 * After a bare value, whether code goes on (`token = getToken()`, `password = input(…)`): then
 * the value is an expression, not a secret.
 */
const CALL = r`(?=(?<call>\()?)`;
/** Bare values that are code, as in `credentials: new AWS.SharedIniFileCredentials(…)`. */
const CODE_WORDS = new Set([
  "async",
  "await",
  "function",
  "lambda",
  "new",
  "require",
  "return",
  "self",
  "this",
  "typeof",
  "yield",
]);
/**
 * A bare value that is a secret rather than a piece of code: not a call, not a keyword, not the
 * name again (`this.token = token`, `api_key: apiKey`).
 */
function notCode(secret: string, groups: Readonly<Record<string, string | undefined>>): boolean {
  const first = secret.split(/[ \t]/)[0];
  const letters = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");
  const name = nameWords(groups.name ?? "");
  return groups.call === undefined && !CODE_WORDS.has(first.toLowerCase()) &&
    letters(first) !== letters(groups.name ?? "") && letters(first) !== name[name.length - 1] &&
    letters(first) !== name.slice(-2).join("");
}
/**
 * A name holding one of `words`, then `=`, `:` or `:=` (quotes allowed around the name, as in
 * JSON). The match starts at the separator and looks back for the name, which must not start
 * inside another name: a separator is much rarer than the start of a word, so there are far
 * fewer places to try.
 */
function nameIs(words: string): string {
  return r`(?<=(?:(?<![A-Za-z0-9_.\\-])|${ESCAPE})(?<name>-{0,2}[A-Za-z][A-Za-z0-9_.-]{0,99})` +
    r`(?:\\?["'])?[ \t]*)(?<=(?:${words})[A-Za-z0-9_.-]{0,100}(?:\\?["'])?[ \t]*)(?::=|[:=])[ \t]*`;
}

/** A bare value that ends before an escaped line break (`hunter2\n  user: bob`). */
const BARE_TO_BREAK =
  r`[^\s"'\x60,;&<>()[\]{}=\\](?:[^\s"'\x60,;&<>()[\]{}\\]|\\(?![nrt])){0,4096}`;
/** A bare value that starts with an escaped line break is the next line's, not this name's. */
const ESCAPED_BREAK = /^\\[nrt]/;

function nameRules(): SecretRule[] {
  return [
    {
      // YAML's value on the next, indented line (`password:` then `    hunter2`), written out or
      // escaped inside a JSON string (`password:\n    hunter2`).
      kind: "secret",
      keywords: ["pass", "pwd", "secret", "token", "key", "credential"],
      multiline: true,
      source:
        r`(?<=(?:(?<![A-Za-z0-9_.\\-])|${ESCAPE})(?<name>[A-Za-z][A-Za-z0-9_.-]{0,99})(?:\\?["'])?)` +
        r`(?<=(?:pass|pwd|secret|token|key|credential)[A-Za-z0-9_.-]{0,100}(?:\\?["'])?)` +
        r`:[ \t]*(?:\r?\n|(?:\\r)?\\n)[ \t]{1,40}(?<secret>${BARE_TO_BREAK})${CALL}`,
      flags: "i",
      // A value ending in `:` is the next line's own name (`token:` then `  type: bearer`).
      accept: (secret, groups) =>
        isSensitiveKey(groups.name ?? "") && !isPlaceholder(secret) && !secret.endsWith(":") &&
        notCode(secret, groups),
    },
    {
      // An environment variable's password may be several words (`PASSWORD=correct horse battery
      // staple`, as .env files allow): up to the end of the line, or to the next `name=`, flag or
      // comment. Elsewhere (`password=hunter2 rotate`, `--password=x`) a value is one word, left to
      // the rule below.
      kind: "secret",
      keywords: ["pass", "pwd"],
      source: nameIs("pass|pwd") +
        r`(?<secret>${BARE}(?:[ \t]{1,20}(?![A-Za-z_][\w.-]{0,100}[:=]|[-#])[^\s"'\x60,;&<>()[\]{}]{1,4096}){0,20})${CALL}`,
      flags: "i",
      accept: (secret, groups) =>
        /^[A-Z][A-Z0-9_]*$/.test(groups.name ?? "") && isPasswordName(groups.name ?? "") &&
        !isPlaceholder(secret.split(/[ \t]/)[0]) && notCode(secret, groups),
    },
    {
      // name = value, name: value, "name": "value" — the value goes when the name says it is
      // secret (see isSensitiveKey). The name must hold one of the words, so `config: password=x`
      // is not swallowed whole by `config:`.
      kind: "secret",
      keywords: ["pass", "pwd", "secret", "token", "key", "credential"],
      source: nameIs("pass|pwd|secret|token|key|credential") +
        r`(?:(?<q>\\?["'])(?<secret>.*?)\k<q>|(?<secret>${BARE})${CALL})`,
      flags: "i",
      accept: (secret, groups) =>
        secret !== "" && isSensitiveKey(groups.name ?? "") && !isPlaceholder(secret) &&
        (groups.q !== undefined || (notCode(secret, groups) && !ESCAPED_BREAK.test(secret))),
    },
  ];
}

const PRIVATE_KEY: SecretRule = {
  // Bounded so a BEGIN without END cannot make the scan quadratic; a block cut short (a truncated
  // log) is redacted as far as its base64 body goes.
  kind: "private-key",
  keywords: ["-----begin"],
  source:
    r`-----BEGIN ((?:[A-Z0-9]+ ){0,8})PRIVATE KEY( BLOCK)?-----(?:[\s\S]{0,16384}?-----END \1PRIVATE KEY\2-----|[A-Za-z0-9+/=\s:,\\-]*)`,
  multiline: true,
};

let rules: readonly SecretRule[] | undefined;

/**
 * Every rule, in the order they are tried. Built on first use (the table is functions, not
 * constants), so a command that never redacts does not pay for it at start-up.
 */
export function secretRules(): readonly SecretRule[] {
  return rules ??= [
    PRIVATE_KEY,
    ...vendorTokens(),
    ...mpmRules(),
    ...vendorNames(),
    ...nameRules(),
  ];
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

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
  // A cookie header's value is a session: `{"Cookie": "sid=…"}`, `{"headers": {"cookie": …}}`.
  "cookie",
  "cookies",
]);
const SENSITIVE_PAIRS = new Set([
  "api key",
  "access key",
  "private key",
  "encryption key",
  "signing key",
  "master key",
]);
/** Short forms that mean a password only after another word: DB_PASS, SMTP_PASS, MYSQL_PWD. */
const PASSWORD_SUFFIXES = new Set(["pass", "pwd"]);
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
  // Flags that say where a secret comes from: `--password-stdin`, `--password-prompt`.
  "stdin",
  "prompt",
]);

function nameWords(key: string): string[] {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
}

/**
 * A word that is a password with something glued in front: PGPASSWORD, MYSQLPASSWORD, and
 * keytool's storepass and keypass.
 */
function gluedPassword(word: string): boolean {
  return word.endsWith("password") || word.endsWith("passwd") || word.endsWith("storepass") ||
    word.endsWith("keypass");
}

/** Whether an assigned name (`GITHUB_TOKEN`, `apiKey`, `x-api-key`) says its value is secret. */
export function isSensitiveKey(key: string): boolean {
  const words = nameWords(key);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  if (DESCRIPTOR_WORDS.has(last)) return false;
  if (words.length > 1 && PASSWORD_SUFFIXES.has(last)) return true;
  return words.some((word, i) =>
    SENSITIVE_WORDS.has(word) || gluedPassword(word) ||
    (i > 0 && SENSITIVE_PAIRS.has(`${words[i - 1]} ${word}`))
  );
}

/** Whether the name holds a password (whose value may be several words), not a token or a key. */
function isPasswordName(key: string): boolean {
  const words = nameWords(key);
  const last = words[words.length - 1];
  if (last === undefined || DESCRIPTOR_WORDS.has(last)) return false;
  return gluedPassword(last) || last === "passphrase" ||
    (words.length > 1 && PASSWORD_SUFFIXES.has(last));
}

/** Values that name a secret without being one: `$TOKEN`, `<your-key>`, `***`, `null`. */
export function isPlaceholder(value: string): boolean {
  return value.startsWith("[REDACTED") || value.startsWith("$") ||
    /^(?:<[^>]*>|\*+|x+|\.{3}|…|%[A-Za-z_]\w*%|null|none|nil|undefined|true|false|string|str|number|required|optional|(?:process\.env|os\.environ|env)\b.*)$/i
      .test(value);
}

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// ---------------------------------------------------------------------------------------------
// The prefilter. Built on the first redaction, not at import: start-up cost matters to a CLI.
// ---------------------------------------------------------------------------------------------

/**
 * The keywords of a set of rules, indexed by their first two characters (upper-case letters
 * folded onto lower case): the scan looks up each pair of characters of the text and compares
 * only the few keywords that start with it, so it finds every keyword wherever it occurs, inside
 * or across another, in one pass. (One alternation of the 270 keywords as a regular expression
 * costs about ten times as much: nearly every letter starts some keyword.) Building it is a few
 * hundred insertions, nothing compiled.
 */
interface Scanner {
  /** The column of each ASCII character; 0 for a character no keyword holds. */
  readonly column: Uint8Array;
  readonly columns: number;
  /**
   * For each pair of columns (`first * columns + second`), 1 + the index in `lists` of the
   * keywords that start with those two characters, or 0; for each single column, of the keyword
   * that is that one character. Typed arrays, since the scan reads one for every character.
   */
  readonly pairs: Uint16Array;
  readonly singles: Uint16Array;
  readonly lists: readonly (readonly Keyword[])[];
}

interface Keyword {
  readonly word: string;
  readonly rules: number[];
}

/** Which rules a scanner looks for: all, the multi-line ones or the single-line ones. */
type Lines = "all" | "multiline" | "single-line";

const scanners = new Map<"all" | "single-line", Scanner>();
const compiled: (RegExp | undefined)[] = [];

function buildScanner(lines: "all" | "single-line"): Scanner {
  const keywords = new Map<string, Keyword>();
  secretRules().forEach((rule, index) => {
    if (lines === "single-line" && rule.multiline) return;
    for (const word of rule.keywords) {
      const keyword = keywords.get(word) ?? { word, rules: [] };
      keyword.rules.push(index);
      keywords.set(word, keyword);
    }
  });
  const column = new Uint8Array(128);
  let columns = 1;
  for (const word of keywords.keys()) {
    for (let i = 0; i < word.length; i++) {
      const code = word.charCodeAt(i);
      if (column[code] === 0) column[code] = columns++;
    }
  }
  for (let code = 65; code <= 90; code++) column[code] = column[code + 32]; // A-Z as a-z
  const pairs = new Uint16Array(columns * columns);
  const singles = new Uint16Array(columns);
  const lists: Keyword[][] = [];
  for (const keyword of keywords.values()) {
    const first = column[keyword.word.charCodeAt(0)];
    const [table, at] = keyword.word.length === 1
      ? [singles, first]
      : [pairs, first * columns + column[keyword.word.charCodeAt(1)]];
    if (table[at] === 0) table[at] = lists.push([]);
    lists[table[at] - 1].push(keyword);
  }
  return { column, columns, pairs, singles, lists };
}

/**
 * Whether `word` (lower case) is in the text at `at`, ignoring the case of ASCII letters; its
 * first two characters are known to be.
 */
function holds(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let i = 2; i < word.length; i++) {
    let code = text.charCodeAt(at + i);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== word.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * The indexes into secretRules(), in order, of the rules whose keywords appear in the text: all
 * of them, or only the multi-line or the single-line ones.
 */
export function rulesFor(text: string, lines: Lines = "all"): number[] {
  if (lines === "multiline") return multilineRulesFor(text);
  let scanner = scanners.get(lines);
  if (!scanner) scanners.set(lines, scanner = buildScanner(lines));
  const { column, columns, pairs, singles, lists } = scanner;
  const hit = new Set<number>();
  const found = (list: number, at: number) => {
    for (const keyword of lists[list - 1]) {
      if (holds(text, at, keyword.word)) { for (const rule of keyword.rules) hit.add(rule); }
    }
  };
  let code = text.length > 0 ? text.charCodeAt(0) : 0;
  let c = code < 128 ? column[code] : 0;
  for (let i = 0; i < text.length; i++) {
    code = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    const d = code < 128 ? column[code] : 0;
    if (c !== 0) {
      if (singles[c] !== 0) found(singles[c], i);
      if (d !== 0 && pairs[c * columns + d] !== 0) found(pairs[c * columns + d], i);
    }
    c = d;
  }
  return [...hit].sort((a, b) => a - b);
}

let multilineKeywords: { rule: number; pattern: RegExp }[] | undefined;

/**
 * The multi-line rules (one, private keys) are few: each one's keywords as a plain
 * case-insensitive alternation, which V8 searches for faster than the scanner can walk the text.
 */
function multilineRulesFor(text: string): number[] {
  multilineKeywords ??= secretRules().flatMap((rule, index) =>
    rule.multiline
      ? [{
        rule: index,
        pattern: new RegExp(
          rule.keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"),
          "i",
        ),
      }]
      : []
  );
  return multilineKeywords.filter(({ pattern }) => pattern.test(text)).map(({ rule }) => rule);
}

/** The rule's expression, compiled the first time it is needed. */
export function ruleRegExp(index: number): RegExp {
  let re = compiled[index];
  if (!re) {
    const rule = secretRules()[index];
    re = new RegExp(rule.source, `gd${rule.flags ?? ""}`);
    compiled[index] = re;
  }
  return re;
}
