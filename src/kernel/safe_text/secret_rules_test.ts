import {
  assert,
  assertEquals,
  assertNotIncludes,
  assertStringIncludes,
} from "../../../tests/assert.ts";
import { redact } from "./redact.ts";
import { ruleRegExp, rulesFor, secretRules, vendorNames, vendorTokens } from "./secret_rules.ts";

// Fake tokens are generated when the tests run, from the shapes the vendors document, so no
// token-shaped string sits in the repository for a scanner to trip on. `{A36}` is 36 characters
// of class A; the generator is seeded, so every run sees the same tokens.
const CLASSES: Record<string, string> = {
  A: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  a: "abcdefghijklmnopqrstuvwxyz0123456789",
  U: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  h: "0123456789abcdef",
  H: "0123456789ABCDEF",
  d: "0123456789",
  L: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  w: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
  b: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  B: "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", // bech32, upper case (age keys)
};

let seed = 0x5eed;
function next(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
}

function fake(template: string): string {
  return template.replace(/\{([A-Za-z])(\d+)\}/g, (_, cls: string, n: string) => {
    const alphabet = CLASSES[cls];
    let out = "";
    for (let i = 0; i < Number(n); i++) out += alphabet[Math.floor(next() * alphabet.length)];
    return out;
  });
}

const UUID = "{h8}-{h4}-4{h3}-a{h3}-{h12}";

/** Per vendor token kind, the documented shapes (one example each). */
const TOKENS: Record<string, string[]> = {
  "1password-secret-key": ["A3-{U6}-{U11}-{U5}-{U5}-{U5}", "A3-{U6}-{U6}-{U5}-{U5}-{U5}-{U5}"],
  "1password-service-account-token": ["ops_eyJ{b300}"],
  "adobe-client-secret": ["p8e-{A32}"],
  "age-secret-key": ["AGE-SECRET-KEY-1{B58}"],
  "airtable-personal-access-token": ["pat{A14}.{h64}"],
  "alibaba-access-key-id": ["LTAI{A20}"],
  "anthropic-admin-key": ["sk-ant-admin01-{w93}AA"],
  "anthropic-key": ["sk-ant-api03-{w93}AA"],
  "artifactory-api-key": ["AKCp{A69}"],
  "artifactory-reference-token": ["cmVmd{A59}"],
  "atlassian-api-token": ["ATATT3{A186}"],
  "authress-service-client-access-key": ["sc_{a12}.{a5}.acc_{a20}.{b40}"],
  "aws-access-key-id": ["AKIA{U16}", "ASIA{U16}", "A3TX{U16}"],
  "aws-bedrock-api-key": ["ABSK{b120}", "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t{b80}"],
  "azure-ad-client-secret": ["{A3}8Q~{A34}"],
  "clickhouse-cloud-api-secret-key": ["4b1d{A38}"],
  "clojars-api-token": ["CLOJARS_{a60}"],
  "cloudflare-origin-ca-key": ["v1.0-{h24}-{h146}"],
  "databricks-api-token": ["dapi{h32}", "dapi{h32}-2"],
  "defined-networking-api-token": ["dnkey-{a26}-{a52}"],
  "digitalocean-access-token": ["doo_v1_{h64}"],
  "digitalocean-pat": ["dop_v1_{h64}"],
  "digitalocean-refresh-token": ["dor_v1_{h64}"],
  "discord-webhook": ["https://discord.com/api/webhooks/{d18}/{w68}"],
  "doppler-api-token": ["dp.pt.{A43}", "dp.st.{A43}"],
  "dropbox-short-lived-api-token": ["sl.{w140}"],
  "dropbox-long-lived-api-token": ["{A11}AAAAAAAAAA{A43}"],
  "duffel-api-token": ["duffel_test_{w43}"],
  "dynatrace-api-token": ["dt0c01.{U24}.{A64}"],
  "easypost-api-token": ["EZAK{A54}"],
  "easypost-test-api-token": ["EZTK{A54}"],
  "facebook-access-token": ["{d15}|{w32}"],
  "facebook-page-access-token": ["EAAC{A120}"],
  "flutterwave-secret-key": ["FLWSECK_TEST-{h32}-X"],
  "flutterwave-public-key": ["FLWPUBK_TEST-{h32}-X"],
  "flutterwave-encryption-key": ["FLWSECK_TEST-{h12}"],
  "flyio-access-token": ["fo1_{w43}", "fm2_{b120}"],
  "frameio-api-token": ["fio-u-{w64}"],
  "github-token": ["ghp_{A36}", "gho_{A36}", "ghs_{A36}", "github_pat_11{A20}_{A59}"],
  "gitlab-token": ["glpat-{A20}", "glpat-{w27}.01{a7}"],
  "gitlab-cicd-job-token": ["glcbt-{A5}_{A20}"],
  "gitlab-deploy-token": ["gldt-{A20}"],
  "gitlab-feature-flag-client-token": ["glffct-{A20}"],
  "gitlab-feed-token": ["glft-{A20}"],
  "gitlab-incoming-mail-token": ["glimt-{A25}"],
  "gitlab-kubernetes-agent-token": ["glagent-{A50}"],
  "gitlab-oauth-app-secret": ["gloas-{A64}"],
  "gitlab-pipeline-trigger-token": ["glptt-{h40}"],
  "gitlab-runner-registration-token": ["GR1348941{A20}"],
  "gitlab-runner-token": ["glrt-{A20}", "glrt-t1_{A27}.01{a7}"],
  "gitlab-scim-token": ["glsoat-{A20}"],
  "gitlab-session-cookie": ["_gitlab_session={a32}"],
  "google-api-key": ["AIza{w35}"],
  "grafana-api-key": ["eyJrIjoi{A80}"],
  "grafana-cloud-api-token": ["glc_{A40}"],
  "grafana-service-account-token": ["glsa_{A32}_{h8}"],
  "harness-api-key": ["pat.{w22}.{A24}.{A20}"],
  "hashicorp-tf-api-token": ["{A14}.atlasv1.{A64}"],
  "heroku-api-key": ["HRKU-AA{w58}"],
  "huggingface-access-token": ["hf_{L34}"],
  "huggingface-organization-api-token": ["api_org_{L34}"],
  "infracost-api-token": ["ico-{A32}"],
  "intra42-client-secret": ["s-s4t2ud-{h64}"],
  "jwt-base64": ["ZXlKaGJHY2lPaU{b60}"],
  "linear-api-key": ["lin_api_{A40}"],
  "mailchimp-api-key": ["{h32}-us21"],
  "mapbox-api-token": ["pk.eyJ1Ijoi{A40}.{w22}"],
  "maxmind-license-key": ["{A6}_{A29}_mmk"],
  "microsoft-teams-webhook": [
    `https://contoso.webhook.office.com/webhookb2/${UUID}@${UUID}/IncomingWebhook/{h32}/${UUID}`,
  ],
  "new-relic-user-api-key": ["NRAK-{U27}"],
  "new-relic-admin-api-key": ["NRAA-{h27}"],
  "new-relic-insert-key": ["NRII-{A32}"],
  "new-relic-browser-api-token": ["NRJS-{h19}"],
  "notion-api-token": ["ntn_{d11}{A35}", "secret_{A43}"],
  "npm-token": ["npm_{A36}"],
  "octopus-deploy-api-key": ["API-{U26}"],
  "openai-key": ["sk-proj-{w74}T3BlbkFJ{w74}", "sk-{A20}T3BlbkFJ{A20}"],
  "openshift-user-token": ["sha256~{w43}"],
  "perplexity-api-key": ["pplx-{A48}"],
  "plaid-api-token": [`access-sandbox-${UUID}`],
  "planetscale-api-token": ["pscale_tkn_{w43}"],
  "planetscale-oauth-token": ["pscale_oauth_{w43}"],
  "planetscale-password": ["pscale_pw_{w43}"],
  "postman-api-token": ["PMAK-{h24}-{h34}"],
  "prefect-api-token": ["pnu_{A36}"],
  "pulumi-api-token": ["pul-{h40}"],
  "pypi-upload-token": ["pypi-AgEIcHlwaS5vcmc{w70}"],
  "readme-api-token": ["rdme_{a70}"],
  "rubygems-api-token": ["rubygems_{h48}"],
  "scalingo-api-token": ["tk-us-{w48}"],
  "sendgrid-api-token": ["SG.{w22}.{w43}"],
  "sendinblue-api-token": ["xkeysib-{h64}-{A16}"],
  "sentry-org-token": ["sntrys_eyJpYXQiO{b60}_{b43}"],
  "sentry-user-token": ["sntryu_{h64}"],
  "settlemint-application-access-token": ["sm_aat_{A16}"],
  "settlemint-personal-access-token": ["sm_pat_{A16}"],
  "settlemint-service-access-token": ["sm_sat_{A16}"],
  "shippo-api-token": ["shippo_live_{h40}"],
  "shopify-access-token": ["shpat_{h32}"],
  "shopify-custom-access-token": ["shpca_{h32}"],
  "shopify-private-app-access-token": ["shppa_{h32}"],
  "shopify-shared-secret": ["shpss_{h32}"],
  "sidekiq-sensitive-url": ["https://{h8}:{h8}@gems.contribsys.com/"],
  "slack-config-access-token": ["xoxe.xoxp-1-{A164}"],
  "slack-config-refresh-token": ["xoxe-1-{A146}"],
  "slack-app-token": ["xapp-1-{U11}-{d13}-{h64}"],
  "slack-token": ["xoxb-{d13}-{d13}-{A24}", "xoxp-{d12}-{d12}-{d12}-{h32}"],
  "slack-webhook": ["https://hooks.slack.com/services/T{U8}/B{U10}/{A24}"],
  "sonar-api-token": ["squ_{h40}"],
  "sourcegraph-access-token": ["sgp_{h16}_{h40}", "sgp_local_{h40}"],
  "square-access-token": ["EAAA{w60}", "sq0atp-{w22}"],
  "square-oauth-secret": ["sq0csp-{w43}"],
  "stripe-key": ["sk_live_{A24}", "rk_test_{A24}"],
  "stripe-webhook-secret": ["whsec_{A32}"],
  "telegram-bot-api-token": ["{d10}:AA{w33}"],
  "twilio-api-key": ["SK{h32}"],
  "twitter-bearer-token": ["AAAAAAAAAAAAAAAAAAAAAA{A90}"],
  "typeform-api-token": ["tfp_{w59}"],
  "vault-batch-token": ["hvb.{w150}"],
  "vault-service-token": ["hvs.{w95}", "s.{A12}7{A11}"],
  "vault-recovery-token": ["hvr.{w95}"],
  "yandex-api-key": ["AQVN{w37}"],
  "yandex-access-token": ["t1.{w40}.{w86}"],
  "jwt": ["eyJhbGciOiJIUzI1NiJ9.eyJ{w40}.{w43}", "eyJhbGciOiJub25lIn0.eyJ{w30}."],
};

/** Per vendor name kind, a name as configs write it and a value of the vendor's shape. */
const NAMED: Record<string, [name: string, value: string]> = {
  "adafruit-api-key": ["ADAFRUIT_IO_KEY", "{w32}"],
  "adobe-client-id": ["ADOBE_CLIENT_ID", "{h32}"],
  "airtable-api-key": ["AIRTABLE_BASE", "{A17}"],
  "algolia-api-key": ["ALGOLIA_ADMIN", "{A32}"],
  "alibaba-secret-key": ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "{A30}"],
  "asana-client-id": ["ASANA_CLIENT_ID", "{d16}"],
  "asana-client-secret": ["ASANA_CLIENT", "{A32}"],
  "atlassian-api-token": ["JIRA_API", "{a20}{h4}"],
  "beamer-api-token": ["BEAMER_API", "b_{w44}"],
  "bitbucket-client-id": ["BITBUCKET_CLIENT_ID", "{A32}"],
  "bitbucket-client-secret": ["BITBUCKET_CLIENT", "{w64}"],
  "bittrex-key": ["BITTREX_API", "{A32}"],
  "cisco-meraki-api-key": ["MERAKI_DASHBOARD_API", "{h40}"],
  "cloudflare-api-key": ["CLOUDFLARE_API", "{w40}"],
  "cloudflare-global-api-key": ["CLOUDFLARE_GLOBAL", "{h37}"],
  "codecov-access-token": ["CODECOV", "{A32}"],
  "cohere-api-token": ["CO_API_KEY", "{A40}"],
  "coinbase-access-token": ["COINBASE_API", "{w64}"],
  "confluent-access-token": ["CONFLUENT_CLOUD_API", "{A16}"],
  "confluent-secret-key": ["CONFLUENT_CLOUD", "{A64}"],
  "contentful-delivery-api-token": ["CONTENTFUL_DELIVERY", "{w43}"],
  "datadog-access-token": ["DATADOG_APP", "{a40}"],
  "discord-api-token": ["DISCORD_PUBLIC", "{h64}"],
  "discord-client-id": ["DISCORD_CLIENT_ID", "{d18}"],
  "discord-client-secret": ["DISCORD_CLIENT", "{w32}"],
  "droneci-access-token": ["DRONECI_SERVER", "{A32}"],
  "dropbox-api-token": ["DROPBOX_APP", "{a15}"],
  "etsy-access-token": ["ETSY_KEYSTRING", "{a24}"],
  "facebook-secret": ["FACEBOOK_APP", "{h32}"],
  "fastly-api-token": ["FASTLY_API", "{w32}"],
  "finicity-api-token": ["FINICITY_APP", "{h32}"],
  "finicity-client-secret": ["FINICITY_PARTNER", "{A20}"],
  "finnhub-access-token": ["FINNHUB_API", "{a20}"],
  "flickr-access-token": ["FLICKR_API", "{A32}"],
  "freemius-secret-key": ["freemius_secret", "sk_{A29}"],
  "freshbooks-access-token": ["FRESHBOOKS_ACCESS", "{a64}"],
  "gitter-access-token": ["GITTER", "{w40}"],
  "gocardless-api-token": ["GOCARDLESS_ACCESS", "live_{w40}"],
  "heroku-api-key": ["HEROKU_API", UUID],
  "hubspot-api-key": ["HUBSPOT_API", UUID.replace(/h/g, "H")],
  "intercom-api-key": ["INTERCOM_ACCESS", "{w60}"],
  "jfrog-api-key": ["ARTIFACTORY_API", "{A73}"],
  "jfrog-identity-token": ["JFROG_ACCESS", "{A64}"],
  "kraken-access-token": ["KRAKEN_PRIVATE", "{b88}"],
  "kucoin-access-token": ["KUCOIN_API", "{h24}"],
  "kucoin-secret-key": ["KUCOIN_API_SECRET", UUID],
  "launchdarkly-access-token": ["LAUNCHDARKLY_SDK", "{w40}"],
  "linear-client-secret": ["LINEAR_CLIENT", "{h32}"],
  "linkedin-client-id": ["LINKEDIN_CLIENT_ID", "{a14}"],
  "linkedin-client-secret": ["LINKEDIN_CLIENT", "{A16}"],
  "lob-api-key": ["LOB_API", "live_{h35}"],
  "lob-pub-api-key": ["LOB_PUBLISHABLE", "test_pub_{h31}"],
  "looker-client-id": ["LOOKER_CLIENT_ID", "{A20}"],
  "looker-client-secret": ["LOOKER_CLIENT", "{A24}"],
  "mailgun-private-api-token": ["MAILGUN_API", "key-{h32}"],
  "mailgun-pub-key": ["MAILGUN_PUBLIC", "pubkey-{h32}"],
  "mailgun-signing-key": ["MAILGUN_WEBHOOK_SIGNING", "{h32}-{h8}-{h8}"],
  "mattermost-access-token": ["MATTERMOST", "{a26}"],
  "messagebird-api-token": ["MESSAGEBIRD_ACCESS", "{A25}"],
  "messagebird-client-id": ["MESSAGEBIRD_CLIENT_ID", UUID],
  "netlify-access-token": ["NETLIFY_AUTH", "{w43}"],
  "new-relic-user-api-id": ["NEW_RELIC_ACCOUNT", "{a64}"],
  "nytimes-access-token": ["NYTIMES_API", "{w32}"],
  "okta-access-token": ["OKTA_API", "00{w40}"],
  "plaid-client-id": ["PLAID_CLIENT_ID", "{a24}"],
  "plaid-secret-key": ["PLAID", "{a30}"],
  "privateai-api-token": ["PRIVATE_AI_API", "{a32}"],
  "rapidapi-access-token": ["RAPIDAPI", "{w50}"],
  "sendbird-access-id": ["SENDBIRD_APP_ID", UUID],
  "sendbird-access-token": ["SENDBIRD_API", "{h40}"],
  "sentry-access-token": ["SENTRY_AUTH", "{h64}"],
  "sidekiq-secret": ["BUNDLE_ENTERPRISE__CONTRIBSYS__COM", "{h8}:{h8}"],
  "snyk-api-token": ["SNYK_TOKEN", UUID],
  "sonar-api-token": ["SONAR_LOGIN", "{a40}"],
  "squarespace-access-token": ["SQUARESPACE_API", UUID],
  "sumologic-access-id": ["SUMO_ACCESS_ID", "su{A12}"],
  "sumologic-access-token": ["SUMO_ACCESS", "{A64}"],
  "telegram-bot-api-token": ["TELEGRAM_BOT", "{d9}:AB{w33}"],
  "trello-access-token": ["TRELLO", "{a32}"],
  "travisci-access-token": ["TRAVIS_API", "{A22}"],
  "twitch-api-token": ["TWITCH_CLIENT", "{a30}"],
  "twitter-access-secret": ["TWITTER_ACCESS", "{A45}"],
  "twitter-access-token": ["TWITTER_ACCESS", "{d19}-{A40}"],
  "twitter-api-key": ["TWITTER_API", "{A25}"],
  "twitter-api-secret": ["TWITTER_API", "{A50}"],
  "yandex-aws-access-token": ["YANDEX_ACCESS", "YC{w38}"],
  "zendesk-secret-key": ["ZENDESK_API", "{A40}"],
};

interface Example {
  kind: string;
  text: string;
  secret: string;
}

const tokenExamples: Example[] = Object.entries(TOKENS).flatMap(([kind, templates]) =>
  templates.flatMap((template) => {
    const token = fake(template);
    return [
      { kind, text: `deployed with ${token} yesterday`, secret: token },
      { kind, text: `api_value = "${token}"`, secret: token },
    ];
  })
);

const namedExamples: Example[] = Object.entries(NAMED).flatMap(([kind, [name, template]]) => {
  const value = fake(template);
  return [
    { kind, text: `deployed with ${name}=${value} yesterday`, secret: value },
    { kind, text: `${name.toLowerCase()} = "${value}"`, secret: value },
  ];
});

const nuget = fake("{A16}");
const vendorExamples: Example[] = [...tokenExamples, ...namedExamples, {
  kind: "nuget-config-password",
  text: `<add key="ClearTextPassword" value="${nuget}" />`,
  secret: nuget,
}];

for (const { kind, text, secret } of vendorExamples) {
  Deno.test(`redact ${kind}: ${text.slice(0, 60)}`, () => {
    const out = redact(text);
    assertNotIncludes(out, secret);
    assertStringIncludes(out, `[REDACTED:${kind}]`);
    assertEquals(redact(out), out, "redacting twice changes nothing");
  });
}

Deno.test("a token glued to a word or a quote is still found", () => {
  const ghp = fake("ghp_{A36}");
  const glpat = fake("glpat-{A20}");
  const stripe = fake("sk_live_{A24}");
  assertEquals(redact(`MY_${ghp}`), "MY_[REDACTED:github-token]");
  assertEquals(redact(`CI-${glpat}!`), "CI-[REDACTED:gitlab-token]!");
  assertEquals(redact(`"${stripe}"`), '"[REDACTED:stripe-key]"');
  assertEquals(redact(`key=${ghp};`), "key=[REDACTED:github-token];");
});

Deno.test("a secret right after an escaped line break in JSON text is still found", () => {
  const ghp = fake("ghp_{A36}");
  const pw = fake("{A16}");
  // What a transcript line holds: JSON, its line breaks written as \n.
  const line = JSON.stringify({
    content: `notes\n${ghp}\ntoken=${pw}\nAuthorization: Bearer ${pw}\nPASSWORD=${pw}`,
  });
  const out = redact(line);
  assertNotIncludes(out, ghp);
  assertNotIncludes(out, pw);
  assertStringIncludes(out, "\\n[REDACTED:github-token]\\ntoken=[REDACTED:secret]");
  assertEquals(
    redact(`{\\"password\\": \\"${pw}\\"}`),
    `{\\"password\\": \\"[REDACTED:secret]\\"}`,
  );
});

Deno.test("every rule has an example it matches, and a keyword of it shows where it matches", () => {
  const pw = "Tr0ub4dor3Xkcd936horse";
  const texts = [
    ...vendorExamples.map((e) => e.text),
    ...OWN.map((c) => c.text.replace("{{pw}}", pw)),
    `-----BEGIN OPENSSH PRIVATE KEY-----\n${fake("{b64}")}\n-----END OPENSSH PRIVATE KEY-----`,
  ];
  secretRules().forEach((rule, i) => {
    const re = ruleRegExp(i);
    let count = 0;
    for (const text of texts) {
      for (const m of text.matchAll(re)) {
        count++;
        // The keyword is in the match or in what its lookbehind read (the name before `=`).
        const around = text.slice(Math.max(0, m.index - 200), m.index + m[0].length).toLowerCase();
        assert(
          rule.keywords.some((k) => around.includes(k)),
          `${rule.kind}: "${m[0].slice(0, 40)}" holds none of ${rule.keywords.join(", ")}`,
        );
      }
    }
    assert(count > 0, `no example for rule ${i} (${rule.kind})`);
  });
});

Deno.test("keywords are lower case and every rule has one", () => {
  for (const rule of secretRules()) {
    assert(rule.keywords.length > 0, `${rule.kind} has no keyword`);
    for (const keyword of rule.keywords) {
      assertEquals(keyword, keyword.toLowerCase(), `${rule.kind}: ${keyword}`);
    }
  }
});

Deno.test("at least 100 vendor kinds are covered, each with an example", () => {
  const kinds = new Set([...vendorTokens(), ...vendorNames()].map((rule) => rule.kind));
  assert(kinds.size >= 100, `only ${kinds.size} vendor kinds`);
  const tested = new Set(vendorExamples.map((e) => e.kind));
  for (const kind of kinds) assert(tested.has(kind), `no example for ${kind}`);
});

Deno.test("the prefilter picks the rules whose keywords appear, wherever they overlap", () => {
  const kinds = (text: string) => new Set(rulesFor(text).map((i) => secretRules()[i].kind));
  assertEquals(kinds("nothing to see here").size, 0);
  assert(kinds("GHP_").has("github-token"), "case-insensitive");
  // "xkeysib-" holds "key"; "-us" begins inside "sk-".
  assert(kinds("xkeysib-").has("sendinblue-api-token"));
  assert(kinds("xkeysib-").has("secret"));
  assert(kinds("desk-user").has("mailchimp-api-key"));
  assert(kinds("a".repeat(30)).has("twitter-bearer-token"));
  assertEquals(rulesFor("-----BEGIN").map((i) => secretRules()[i].kind), ["private-key"]);
});

/**
 * The regular expression source outside lookarounds, where a rule consumes text. Single-line
 * rules must not consume a line break there: a long text is redacted a piece of lines at a time.
 */
function consumed(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    if (
      source.startsWith("(?=", i) || source.startsWith("(?!", i) ||
      source.startsWith("(?<=", i) || source.startsWith("(?<!", i)
    ) {
      let depth = 0;
      let inClass = false;
      for (; i < source.length; i++) {
        const ch = source[i];
        if (ch === "\\") i++;
        else if (inClass) inClass = ch !== "]";
        else if (ch === "[") inClass = true;
        else if (ch === "(") depth++;
        else if (ch === ")" && --depth === 0) break;
      }
      continue;
    }
    out += source[i];
    if (source[i] === "\\") out += source[++i];
  }
  return out;
}

Deno.test("single-line rules never consume a line break", () => {
  secretRules().forEach((rule, i) => {
    if (rule.multiline) return;
    const body = consumed(rule.source);
    const classes = body.match(/\[(?:\\.|[^\]\\])*\]/g) ?? [];
    const outside = body.replace(/\[(?:\\.|[^\]\\])*\]/g, "");
    assert(!/\\[sSnrWD]/.test(outside), `rule ${i} (${rule.kind}): ${outside}`);
    assert(!(rule.flags ?? "").includes("s"), `rule ${i} (${rule.kind}) has the s flag`);
    for (const cls of classes) {
      const negated = cls.startsWith("[^");
      const breaks = /\\s|\\n/.test(cls);
      assert(negated ? breaks : !/\\[sSnrWD]/.test(cls), `rule ${i} (${rule.kind}): ${cls}`);
    }
  });
});

Deno.test("a long text redacts the same whole as line by line", () => {
  const lines = [...vendorExamples.map((e) => e.text), ...FALSE_POSITIVES];
  const text = Array.from({ length: 8 }, () => lines.join("\n")).join("\n");
  assert(text.length > 100_000);
  assertEquals(redact(text), text.split("\n").map(redact).join("\n"));
});

// ---------------------------------------------------------------------------------------------
// mpm's own rules. {{pw}} stands for the password, replaced by a generated one.
// ---------------------------------------------------------------------------------------------

const OWN: { text: string; expected: string }[] = [
  {
    text: "REDIS_URL=redis://:{{pw}}@cache.internal:6379/0",
    expected: "REDIS_URL=redis://:[REDACTED:url-credentials]@cache.internal:6379/0",
  },
  {
    text: "psql postgres://app:{{pw}}@db/app",
    expected: "psql postgres://app:[REDACTED:url-credentials]@db/app",
  },
  {
    text: "mytool --password {{pw}} --verbose",
    expected: "mytool --password [REDACTED:cli-password] --verbose",
  },
  {
    text: "vault login --api-key '{{pw}}' && ls",
    expected: "vault login --api-key [REDACTED:cli-password] && ls",
  },
  { text: "mytool --password={{pw}}", expected: "mytool --password=[REDACTED:secret]" },
  {
    text: "keytool -list -storepass {{pw}} -keystore app.jks",
    expected: "keytool -list -storepass [REDACTED:cli-password] -keystore app.jks",
  },
  {
    text: "mysql -u root -p{{pw}} shop < dump.sql",
    expected: "mysql -u root -p[REDACTED:mysql-password] shop < dump.sql",
  },
  {
    text: "mysqldump -uroot -p'{{pw}}' --all-databases",
    expected: "mysqldump -uroot -p[REDACTED:mysql-password] --all-databases",
  },
  {
    text: "curl -sS -u deploy:{{pw}} https://ci.example.com/api/json",
    expected: "curl -sS -u deploy:[REDACTED:curl-credentials] https://ci.example.com/api/json",
  },
  {
    text: 'curl --user "ci-bot:{{pw}}" https://x.example.com',
    expected: 'curl --user "ci-bot:[REDACTED:curl-credentials]" https://x.example.com',
  },
  {
    text: "sshpass -p '{{pw}}' ssh admin@10.0.0.5",
    expected: "sshpass -p [REDACTED:sshpass-password] ssh admin@10.0.0.5",
  },
  {
    text: "docker login -u bot -p {{pw}} registry.example.com",
    expected: "docker login -u bot -p [REDACTED:registry-password] registry.example.com",
  },
  {
    text: "docker login registry.example.com --username bot --password {{pw}}",
    expected: "docker login registry.example.com --username bot --password [REDACTED:cli-password]",
  },
  { text: "export PGPASSWORD={{pw}}", expected: "export PGPASSWORD=[REDACTED:secret]" },
  { text: "MYSQL_PWD={{pw}}", expected: "MYSQL_PWD=[REDACTED:secret]" },
  { text: "DB_PASS: {{pw}}", expected: "DB_PASS: [REDACTED:secret]" },
  { text: "SMTP_PASS={{pw}}", expected: "SMTP_PASS=[REDACTED:secret]" },
  { text: "RABBITMQ_DEFAULT_PASS={{pw}}", expected: "RABBITMQ_DEFAULT_PASS=[REDACTED:secret]" },
  { text: "redis_pwd = '{{pw}}'", expected: "redis_pwd = '[REDACTED:secret]'" },
  {
    text: "PASSWORD=correct horse battery staple",
    expected: "PASSWORD=[REDACTED:secret]",
  },
  {
    text: "GPG_PASSPHRASE=correct horse battery # from the vault",
    expected: "GPG_PASSPHRASE=[REDACTED:secret] # from the vault",
  },
  {
    text: "password=hunter2 rotate it tomorrow",
    expected: "password=[REDACTED:secret] rotate it tomorrow",
  },
  {
    text: "//npm.pkg.example.com/:_authToken={{pw}}",
    expected: "//npm.pkg.example.com/:_authToken=[REDACTED:npmrc-auth]",
  },
  { text: "_auth = {{pw}}", expected: "_auth = [REDACTED:npmrc-auth]" },
  {
    text: "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" +
      "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0==;EndpointSuffix=core.windows.net",
    expected: "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" +
      "[REDACTED:azure-storage-key];EndpointSuffix=core.windows.net",
  },
  {
    text: "https://acme.blob.core.windows.net/c/f.txt?sv=2022-11-02&sp=r&sig=" +
      "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4%2BZm9v%3D",
    expected:
      "https://acme.blob.core.windows.net/c/f.txt?sv=2022-11-02&sp=r&sig=[REDACTED:azure-sas-signature]",
  },
  {
    text: "https://b.s3.amazonaws.com/k?X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2F%2F%2F",
    expected: "https://b.s3.amazonaws.com/k?X-Amz-Security-Token=[REDACTED:aws-session-token]",
  },
  {
    text: "machine api.example.com login deploy password {{pw}}",
    expected: "machine api.example.com login deploy password [REDACTED:netrc-password]",
  },
  {
    text: "machine api.example.com\n  login deploy\n  password {{pw}}\n",
    expected: "machine api.example.com\n  login deploy\n  password [REDACTED:netrc-password]\n",
  },
  {
    text: "Cookie: session={{pw}}; theme=dark",
    expected: "Cookie: [REDACTED:cookie]",
  },
  {
    text: 'curl -H "Set-Cookie: sid={{pw}}; Path=/; HttpOnly" https://x',
    expected: 'curl -H "Set-Cookie: [REDACTED:cookie]" https://x',
  },
  {
    text: '{"Cookie": "sid={{pw}}; theme=dark"}',
    expected: '{"Cookie": "[REDACTED:cookie]"}',
  },
  {
    text: '{"headers":{"cookie":"sid={{pw}}"}}',
    expected: '{"headers":{"cookie":"[REDACTED:cookie]"}}',
  },
  {
    text: "{'Set-Cookie': 'id={{pw}}; Path=/'}",
    expected: "{'Set-Cookie': '[REDACTED:cookie]'}",
  },
  {
    text: "db:\n  password:\n    {{pw}}\n  user: bob",
    expected: "db:\n  password:\n    [REDACTED:secret]\n  user: bob",
  },
  {
    text: "db:\\n  password:\\n    {{pw}}\\n  user: bob",
    expected: "db:\\n  password:\\n    [REDACTED:secret]\\n  user: bob",
  },
  {
    text: "curl --cookie 'sid={{pw}}' https://x",
    expected: "curl --cookie '[REDACTED:cookie]' https://x",
  },
  {
    text: "Authorization: Bearer {{pw}}",
    expected: "Authorization: Bearer [REDACTED:authorization]",
  },
  {
    text: '{"Authorization": "Basic {{pw}}"}',
    expected: '{"Authorization": "Basic [REDACTED:authorization]"}',
  },
  {
    text: '{"auths": {"ghcr.io": {"auth": "ZGVwbG95OnMzY3IzdA=="}}}',
    expected: '{"auths": {"ghcr.io": {"auth": "[REDACTED:docker-auth]"}}}',
  },
  {
    text: "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    expected: "aws_secret_access_key = [REDACTED:aws-secret-key]",
  },
  {
    text: "git clone https://{{pw}}@github.com/org/repo.git",
    expected: "git clone https://[REDACTED:url-credentials]@github.com/org/repo.git",
  },
  {
    text: "git clone https://x-access-token:{{pw}}@github.com/org/repo.git",
    expected: "git clone https://x-access-token:[REDACTED:url-credentials]@github.com/org/repo.git",
  },
];

for (const { text, expected } of OWN) {
  Deno.test(`redact (mpm's rules) ${text.slice(0, 50).replaceAll("\n", " ")}`, () => {
    const pw = fake("{A18}") + "9";
    assertEquals(redact(text.replace("{{pw}}", pw)), expected);
    assertEquals(redact(expected), expected, "redacting twice changes nothing");
  });
}

// ---------------------------------------------------------------------------------------------
// Ordinary text comes through unchanged.
// ---------------------------------------------------------------------------------------------

const FALSE_POSITIVES = [
  // Commit subjects and branch names.
  "Fix token refresh when the session expires (#123)",
  "Add --password-file support to the deploy script",
  "Merge branch 'feature/api-key-rotation' into main",
  "git checkout -b feature/token-refresh",
  'Revert "Store the secret key in the keychain"',
  // File paths.
  "src/kernel/safe_text/secret_rules.ts",
  "tests/fixtures/claude-code/payloads/post-tool-use-failure.json",
  "/home/dev/.config/gh/hosts.yml",
  "C:\\Users\\dev\\AppData\\Roaming\\npm\\node_modules",
  "~/.ssh/id_ed25519.pub and ~/.aws/credentials",
  // Ids.
  "commit 3f2a9c1e7b4d4e2a9c1f2b7e8d9a0c11deadbeef",
  "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  "session-20251107-182249 and session-20251107-182249-2",
  "session_id: 3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11",
  "request 0f8fad5b-d9cb-469f-a165-70867728950e failed",
  "v1.22.333, 2025-11-07T18:22:49Z, 1731003769",
  // Base64-ish words in code.
  'const greeting = atob("SGVsbG8gd29ybGQ=");',
  'const icon = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";',
  "export const SCHEMA_VERSION = 3; // bump with docs/format.md",
  "const token = await getToken({ scope: 'repo' });",
  "this.token = token;",
  "password = getpass.getpass()",
  "apiKey = process.env.API_KEY",
  "if (password == null) return;",
  "credentials: new AWS.SharedIniFileCredentials({ profile: 'dev' })",
  '{"key": "value", "type": "api_key", "token_type": "bearer", "max_tokens": 1024}',
  "items.map((s) => s.trim()).filter((s) => s.length > 0)",
  // URLs without credentials.
  "https://github.com/org/repo/pull/42#discussion_r123456",
  "ssh://git@github.com/org/repo.git and git@github.com:org/repo.git",
  "postgres://localhost:5432/app",
  "https://example.com:8443/path?q=1&page=2#top",
  "https://deploy@example.com/org/repo.git",
  "https://docs.example.com/api-keys/rotate?lang=en-us",
  // Commands.
  "npm install",
  "npm install --save-dev typescript",
  "npm_config_cache=/tmp/npm npm ci",
  "docker login --password-stdin registry.example.com < token.txt",
  "mysql --defaults-file=~/.my.cnf --password-file /run/secrets/db",
  "mkdir -p build/out && cp -pr src/* build/out/",
  "docker run -p 8080:80 -e NODE_ENV=production nginx",
  "ssh -p 2222 deploy@host",
  "git add -p",
  "mysql -u root -p app",
  "mysql -p",
  "curl -u admin https://ci.example.com/api/json",
  "curl -u $CI_USER:$CI_PASS https://ci.example.com",
  "sshpass -f ~/.sshpass ssh host",
  "gcc -pthread -o app main.c",
  "PWD=/home/dev/project OLDPWD=/tmp",
  "export NODE_ENV=production API_URL=https://api.example.com",
  // Prose.
  "password reset: done",
  "The password is stored in the vault, not in the repo.",
  "Use --password to pass it on the command line, or --password-file.",
  "The Set-Cookie header is missing on the login response.",
  "Bearer tokens expire after an hour; bearer authentication is standard.",
  "The Authorization header is required.",
  "Fixed the token refresh; the secret sauce is caching. Key: value pairs stay.",
  "token_count: 3, input_tokens: 3000, max_tokens=1024",
  "publishable keys such as pk_live_51HqLyjWDarjtT1zdp7dcXYZ are public",
  "classic tokens start with ghp_ and AWS key ids with AKIA",
  "| file | lines | status |\n| --- | --- | --- |\n| src/main.ts | 120 | changed |",
  "Login with your user name and password below.",
  "user admin@example.com logged in from 10.0.0.5",
  "[REDACTED:github-token] was rotated",
];

Deno.test("ordinary text comes through unchanged", () => {
  for (const text of FALSE_POSITIVES) assertEquals(redact(text), text);
});

Deno.test("the new rules stay linear on hostile input", () => {
  // A third of a megabyte or more each: a quadratic pass over that takes minutes.
  const inputs = [
    "docker login ".repeat(30_000),
    "curl -u ".repeat(40_000),
    "mysql -p".repeat(40_000),
    "--password ".repeat(30_000),
    "PASSWORD=a ".repeat(30_000),
    "adobe_token = ".repeat(30_000),
    "s.".repeat(170_000),
    "|".repeat(340_000),
    "A".repeat(340_000),
    "Cookie: a=" + "b".repeat(340_000),
    "machine h login u password p\n".repeat(12_000),
    "eyJ" + "a.eyJ".repeat(70_000),
  ];
  const started = performance.now();
  for (const input of inputs) redact(input);
  const elapsed = performance.now() - started;
  // Linear passes take well under a second here, a few on a loaded machine; a quadratic one,
  // minutes. The bound tells a hang from a slow machine, not speed.
  assert(elapsed < 60_000, `redaction of hostile input took ${elapsed.toFixed(0)} ms`);
});
