// Regression: an error body whose excerpt cuts a URL inside its host ("https://ww…") made
// redactText and redactUrl call each other forever (found with CoinGecko's 429 body).
import { describe, expect, it } from 'vitest';
import { redactText, redactUrl, snippet } from '../../src/sources/http/redact.js';

describe('a URL cut short by an excerpt', () => {
  it('is redacted as text, without recursing', () => {
    const body =
      '{"status":{"error_code":429,"error_message":"You\'ve exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits."}}';
    expect(snippet(body, 100)).toBe(
      '{"status":{"error_code":429,"error_message":"You\'ve exceeded the Rate Limit. Please visit https://ww…',
    );
    expect(redactText('see https://ww… and https://x.test/?apikey=SECRETSECRET1')).toBe(
      'see https://ww… and https://x.test/?apikey=REDACTED',
    );
    expect(redactUrl('https://ww…?token=abcdefgh12345678')).toBe('https://ww…?token=REDACTED');
  });
});
