// Secret removal for anything that leaves the HTTP layer as text: error messages, cache keys,
// events. Three layers, applied together:
//   1. query parameters whose *name* is a credential (apikey, api_key, key, access_token, …);
//      `token` too, unless its value is 0x-hex: Blockscout's `?token=0x…` filter is a contract
//      address, and redacting it would make different queries share one cache key,
//   2. URL userinfo (https://user:pass@host),
//   3. path segments of known keyed RPC providers (Alchemy /v2/<key>, Infura /v3/<key>, …),
// plus any literal secret the caller registers (e.g. the value of --api-key), wherever it occurs.
// Free text gets the same treatment for URLs written without a scheme (keyed provider hosts) and
// `urlSecrets` lists the credentials of a URL so callers can register them as literal secrets.
// The replacement is the fixed word REDACTED so redacted URLs stay usable as cache keys.

export const REDACTED = 'REDACTED';

/** Query parameter names treated as credentials (case-insensitive, `-`/`_` optional). */
const NAMES =
  '(?:x[-_]?)?(?:api[-_]?key|key|d[-_]?key|access[-_]?key|private[-_]?key|token|api[-_]?token|access[-_]?token|auth[-_]?token|auth|jwt|secret|client[-_]?secret|password|passwd|credentials?)';
const SECRET_PARAM = new RegExp(`^${NAMES}$`, 'i');
/** A chain identifier (address, hash), never a credential: `token=0x…` is a contract filter. */
const CHAIN_ID_VALUE = /^0x[0-9a-f]*$/i;

/** Hosts that put the credential in the URL path (e.g. https://eth-mainnet.g.alchemy.com/v2/KEY). */
const KEYED_PATH_HOST =
  /(?:^|\.)(?:alchemy\.com|alchemyapi\.io|infura\.io|quiknode\.pro|ankr\.com|blastapi\.io|chainstack\.com|getblock\.io|nodereal\.io|drpc\.org)$/i;
const KEY_LIKE_SEGMENT = /^[A-Za-z0-9_-]{16,}$/;

/** True when a query parameter `name=value` carries a credential. */
export function isSecretParam(name: string, value = ''): boolean {
  if (!SECRET_PARAM.test(name)) return false;
  return !(/^token$/i.test(name) && CHAIN_ID_VALUE.test(value));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * A response body with the run's literal secrets removed, for the cache (a server may echo the
 * request URL, key included, in a valid body). Only literal keys are replaced: the rest of the
 * body is data and stays byte for byte.
 */
export function scrubBody(body: string, secrets: readonly string[]): string {
  return replaceLiterals(body, secrets);
}

function replaceLiterals(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue; // too short to be a real key; replacing it would mangle text
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join(REDACTED);
  }
  return out;
}

function redactQuery(search: string): string {
  if (search.length <= 1) return search;
  const parts = search.slice(1).split('&');
  return (
    '?' +
    parts
      .map((part) => {
        const eq = part.indexOf('=');
        const name = eq < 0 ? part : part.slice(0, eq);
        const secret = eq >= 0 && isSecretParam(safeDecode(name), safeDecode(part.slice(eq + 1)));
        return secret ? `${name}=${REDACTED}` : part;
      })
      .join('&')
  );
}

/**
 * A URL with every credential removed: secret query parameters, userinfo, keyed path segments
 * of known RPC providers, the fragment, and any literal `secrets`. The rest of the URL is kept
 * byte for byte, so the result is a stable cache key. Non-URLs go through `redactText`.
 */
export function redactUrl(input: string | URL, secrets: readonly string[] = []): string {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    // Not a URL after all (e.g. one cut short inside its host by a snippet: "https://ww…"):
    // redact it as text, without looking for URLs in it again (that would recurse forever).
    return redactFreeText(String(input), secrets, false);
  }
  const userinfo = url.username || url.password ? `${REDACTED}@` : '';
  let path = url.pathname;
  if (KEYED_PATH_HOST.test(url.hostname)) {
    path = path
      .split('/')
      .map((seg) => (KEY_LIKE_SEGMENT.test(seg) ? REDACTED : seg))
      .join('/');
  }
  const out = `${url.protocol}//${userinfo}${url.host}${path}${redactQuery(url.search)}`;
  return replaceLiterals(out, secrets);
}

const TEXT_PARAM = new RegExp(
  String.raw`([?&;\s"'(]|^)(${NAMES})=([^&\s#"')]+?)(?=[.,:;]*(?:[&\s#"')]|$))`,
  'gi',
);
const TEXT_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi;
/** A keyed provider's host followed by a path, with or without a scheme (`eth-mainnet.g.alchemy.com/v2/KEY`). */
const TEXT_KEYED_PATH =
  /\b((?:[a-z0-9-]+\.)*(?:alchemy\.com|alchemyapi\.io|infura\.io|quiknode\.pro|ankr\.com|blastapi\.io|chainstack\.com|getblock\.io|nodereal\.io|drpc\.org)(?::\d+)?)(\/[^\s"'<>?#]*)/gi;
const TEXT_URL = /\bhttps?:\/\/[^\s"'<>]+?(?=[.,:;)\]]*(?:[\s"'<>]|$))/gi;

/**
 * Remove credentials from free text (error messages from fetch/undici, caller-supplied keys):
 * any embedded URL is redacted as by `redactUrl`, then `name=value` pairs with a credential
 * name and `scheme://user:pass@` userinfo, then literal `secrets`.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  return redactFreeText(text, secrets, true);
}

function redactFreeText(text: string, secrets: readonly string[], urls: boolean): string {
  let out = replaceLiterals(text, secrets);
  if (urls) out = out.replace(TEXT_URL, (u) => redactUrl(u));
  out = out.replace(TEXT_USERINFO, `$1${REDACTED}@`);
  out = out.replace(
    TEXT_KEYED_PATH,
    (_m, host: string, path: string) =>
      host +
      path
        .split('/')
        .map((seg) => (KEY_LIKE_SEGMENT.test(seg) ? REDACTED : seg))
        .join('/'),
  );
  out = out.replace(TEXT_PARAM, (m, pre: string, name: string, value: string) =>
    isSecretParam(name, value) ? `${pre}${name}=${REDACTED}` : m,
  );
  return out;
}

/** Printable one-line excerpt of a remote body for error details (attacker-controlled text). */
export function snippet(text: string, max = 120, secrets: readonly string[] = []): string {
  const flat = text
    // Drop style and script bodies first: an HTML error page's CSS is not a message.
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = flat.length > max ? `${flat.slice(0, max)}…` : flat;
  return redactText(cut, secrets);
}

/**
 * A path segment that looks like a key on any host (Tenderly `/gateway/KEY`, Chainstack-style
 * `/KEY`, dRPC, self-hosted proxies): long, and mixing letters with digits. Only used on URLs the
 * user wrote (source specs), never on request URLs, whose paths hold txids and addresses.
 */
const ANY_HOST_KEY_SEGMENT = /^(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}$/;

/**
 * A source URL as shown in results, manifests and messages: like `redactUrl`, plus EVERY query
 * value (a base URL's query carries credentials under any name: `access_key`, `dkey`, …) and
 * key-like path segments on any host. `esplora:`/`rpc:`/… prefixes are kept.
 */
export function redactSourceSpec(spec: string): string {
  // Worked on the text as written (URL parsing would add a '/' to a bare host).
  const m = /^([a-z]+:)?([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/is.exec(spec);
  if (!m) return redactText(spec);
  const [, prefix = '', scheme, authority, path = '', query = ''] = m as unknown as string[];
  const at = authority!.lastIndexOf('@');
  const host = at < 0 ? authority! : `${REDACTED}@${authority!.slice(at + 1)}`;
  const keyed = KEYED_PATH_HOST.test(host.replace(/^.*@/, '').replace(/:\d+$/, ''));
  const shownPath = path
    .split('/')
    .map((seg) => (ANY_HOST_KEY_SEGMENT.test(seg) || (keyed && KEY_LIKE_SEGMENT.test(seg)) ? REDACTED : seg))
    .join('/');
  const shownQuery =
    query.length > 1
      ? `?${query
          .slice(1)
          .split('&')
          .map((part) => {
            const eq = part.indexOf('=');
            return eq < 0 ? part : `${part.slice(0, eq)}=${REDACTED}`;
          })
          .join('&')}`
      : query;
  return `${prefix}${scheme}${host}${shownPath}${shownQuery}`;
}

/** The credentials `redactSourceSpec` removes from a source URL (to scrub them everywhere else). */
export function sourceSpecSecrets(spec: string): string[] {
  const m = /(https?:\/\/\S*)/i.exec(spec);
  if (!m) return [];
  let url: URL;
  try {
    url = new URL(m[1]!);
  } catch {
    return urlSecrets(spec);
  }
  const found = new Set(urlSecrets(spec));
  for (const part of url.search.slice(1).split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const v = part.slice(eq + 1);
    for (const x of [v, safeDecode(v)]) if (x.length >= 4 && x !== REDACTED) found.add(x);
  }
  for (const seg of url.pathname.split('/')) if (ANY_HOST_KEY_SEGMENT.test(seg)) found.add(seg);
  return [...found];
}

/**
 * The literal credentials inside any URL in `text` (userinfo, secret query parameters, keyed path
 * segments of known providers), as written and decoded: what `redactUrl` would remove. The CLI
 * registers them as secrets, so they are scrubbed even where the URL is quoted whole or in part
 * (a usage error quoting `--source`, a value echoed back by a server).
 */
export function urlSecrets(text: string): string[] {
  const found = new Set<string>();
  const add = (raw: string) => {
    for (const v of [raw, safeDecode(raw)]) if (v.length >= 4 && v !== REDACTED) found.add(v);
  };
  for (const m of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi)) {
    let url: URL;
    try {
      url = new URL(m[0]);
    } catch {
      // Not parseable as a whole: still take what looks like userinfo or a key parameter.
      for (const u of m[0].matchAll(/:\/\/([^/\s@]+)@/g)) for (const part of u[1]!.split(':')) add(part);
      for (const p of m[0].matchAll(/[?&;]([^=&#]+)=([^&#\s]*)/g))
        if (isSecretParam(safeDecode(p[1]!), safeDecode(p[2]!))) add(p[2]!);
      continue;
    }
    if (url.username) add(url.username);
    if (url.password) add(url.password);
    for (const part of url.search.slice(1).split('&')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const value = part.slice(eq + 1);
      if (isSecretParam(safeDecode(part.slice(0, eq)), safeDecode(value))) add(value);
    }
    if (KEYED_PATH_HOST.test(url.hostname))
      for (const seg of url.pathname.split('/')) if (KEY_LIKE_SEGMENT.test(seg)) add(seg);
  }
  return [...found];
}

/** One printable line of a remote error text: tags and control characters removed, bounded, secrets out. */
export function remoteLine(text: string, secrets: readonly string[]): string {
  const flat = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return redactText(flat.length > 200 ? `${flat.slice(0, 200)}…` : flat, secrets);
}
