import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactText, redactUrl, snippet } from '../../src/sources/http/redact.js';
import {
  backoffDelay,
  isRetryableNetworkError,
  isRetryableStatus,
  networkErrorCode,
  parseRetryAfter,
} from '../../src/sources/http/retry.js';

describe('redactUrl', () => {
  it('removes credential query parameters and keeps everything else byte for byte', () => {
    expect(
      redactUrl('https://api.etherscan.io/v2/api?chainid=1&module=account&apikey=SECRET-KEY-123&sort=asc'),
    ).toBe('https://api.etherscan.io/v2/api?chainid=1&module=account&apikey=REDACTED&sort=asc');
    expect(redactUrl('https://x.test/a?api_key=1&key=2&API-KEY=3&token=4&q=%20a+b')).toBe(
      'https://x.test/a?api_key=REDACTED&key=REDACTED&API-KEY=REDACTED&token=REDACTED&q=%20a+b',
    );
    expect(redactUrl('https://x.test/a?monkey=1&keys=2')).toBe('https://x.test/a?monkey=1&keys=2');
    // Blockscout's token filter is a contract address, not a credential (and must stay in cache keys)
    const filter =
      'https://eth.blockscout.com/api/v2/addresses/0x1/token-transfers?token=0xdAC17F958D2ee523a2206206994597C13D831ec7';
    expect(redactUrl(filter)).toBe(filter);
    expect(redactText(`GET ${filter} failed`)).toBe(`GET ${filter} failed`);
    expect(redactUrl('https://api.blockcypher.com/v1/btc/main?token=abc123def456')).toBe(
      'https://api.blockcypher.com/v1/btc/main?token=REDACTED',
    );
  });

  it('removes userinfo and the fragment', () => {
    expect(redactUrl('http://rpcuser:hunter2@node.local:8332/wallet#frag')).toBe(
      'http://REDACTED@node.local:8332/wallet',
    );
  });

  it('removes keys in the path of known keyed RPC providers, not txids elsewhere', () => {
    expect(redactUrl('https://eth-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUvWx')).toBe(
      'https://eth-mainnet.g.alchemy.com/v2/REDACTED',
    );
    expect(redactUrl('https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef')).toBe(
      'https://mainnet.infura.io/v3/REDACTED',
    );
    const txid = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
    expect(redactUrl(`https://blockstream.info/api/tx/${txid}`)).toBe(
      `https://blockstream.info/api/tx/${txid}`,
    );
  });

  it('removes literal secrets anywhere', () => {
    expect(redactUrl('https://rpc.example/abc/MYSECRETTOKEN/x', ['MYSECRETTOKEN'])).toBe(
      'https://rpc.example/abc/REDACTED/x',
    );
  });

  it('property: a secret in any credential parameter never survives, and redaction is idempotent', () => {
    const name = fc.constantFrom('apikey', 'api_key', 'APIKEY', 'key', 'token', 'access_token', 'x-api-key');
    const secret = fc.stringMatching(/^[A-Za-z0-9_-]{6,40}$/).map((s) => `SK${s}`);
    const other = fc.array(
      fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z0-9]{0,8}$/)),
      {
        maxLength: 4,
      },
    );
    fc.assert(
      fc.property(name, secret, other, fc.nat(4), (n, s, params, pos) => {
        const list = params
          .filter(([k]) => !/^(key|token|pass|sig|auth|secret|apikey)$/.test(k))
          .map(([k, v]) => `${k}=${v}`);
        list.splice(Math.min(pos, list.length), 0, `${n}=${encodeURIComponent(s)}`);
        const url = `https://host.test/api?${list.join('&')}`;
        const out = redactUrl(url);
        expect(out).not.toContain(s);
        expect(redactUrl(out)).toBe(out);
        expect(redactText(`GET ${url} failed: boom`)).not.toContain(s);
      }),
    );
  });
});

describe('redactText', () => {
  it('scrubs URLs, key=value pairs and userinfo in free text, keeping punctuation', () => {
    expect(redactText('fetch https://a.test/x?apikey=S3CR3T-VALUE: failed')).toBe(
      'fetch https://a.test/x?apikey=REDACTED: failed',
    );
    expect(redactText('params apikey=S3CR3T, token=abc.def')).toBe('params apikey=REDACTED, token=REDACTED');
    expect(redactText('wss://u:p@node/x')).toBe('wss://REDACTED@node/x');
  });

  it('snippet flattens HTML and control characters into one short line', () => {
    const s = snippet('<html>\r\n<h1>429 Too Many\u001b[31m Requests</h1>\n</html>', 40);
    expect(s).toBe('429 Too Many [31m Requests');
    expect(snippet('x'.repeat(200), 10)).toBe('xxxxxxxxxx…');
  });
});

describe('retry policy', () => {
  it('parses Retry-After seconds and HTTP dates', () => {
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 31 Dec 2023 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });

  it('backoff is exponential, capped, jittered within [cap/2, cap]', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 10_000, () => 0))).toEqual([
      500, 1000, 2000, 4000, 5000, 5000,
    ]);
    expect(backoffDelay(3, 1000, 10_000, () => 0.999999)).toBe(4000);
  });

  it('classifies statuses and network errors', () => {
    expect([408, 425, 429, 500, 502, 503, 504, 522].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 410, 422, 501, 505].some(isRetryableStatus)).toBe(false);
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    expect(networkErrorCode(reset)).toBe('ECONNRESET');
    expect(isRetryableNetworkError(reset)).toBe(true);
    const dns = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }),
    });
    expect(isRetryableNetworkError(dns)).toBe(false);
    const tls = new TypeError('fetch failed', {
      cause: Object.assign(new Error('cert'), { code: 'CERT_HAS_EXPIRED' }),
    });
    expect(isRetryableNetworkError(tls)).toBe(false);
  });
});
