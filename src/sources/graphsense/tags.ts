// GraphSense tags of the addresses a trace reached, for every currency (btc, eth, trx):
//   GET /{c}/addresses/{a}/tags?pagesize=N[&page=…]   address_tags pages, followed by next_page
// Asked once per address, after a round lacks no data (Fetcher.settle); the tag records go to the
// run's label store through the sink the app hands in (src/app/trace.ts), which answers how many
// labels were new, so the engine runs again only when tags changed something.
import { FundtraceError } from '../../core/errors.js';
import type { TraceOutcome } from '../../core/trace-types.js';
import { MissCollector } from '../cache/index.js';
import { MUTABLE_MAX_AGE_MS } from '../esplora/fetcher.js';
import { type HttpClient, HttpError, isAbortError, redactUrl } from '../http/index.js';
import { addressTagsValidator } from './wire.js';

export type TagSink = (address: string, tags: readonly Record<string, unknown>[]) => number;

/** Items asked per tags page. */
const TAGS_PAGE_SIZE = 100;

export class TagReader {
  private readonly tagged = new Set<string>();

  constructor(
    private readonly http: () => HttpClient,
    private readonly s: { base: string; currency: string; apiKey?: string; secrets: readonly string[] },
  ) {}

  private shown(url: string): string {
    return redactUrl(url, this.s.secrets);
  }

  /**
   * Tags of every address the trace reached and not asked yet: true when they added labels (the
   * engine then runs again with them). No sink: nothing is fetched.
   */
  async settle(sink: TagSink | undefined, outcome: TraceOutcome, signal?: AbortSignal): Promise<boolean> {
    if (!sink) return false;
    const fresh: string[] = [];
    outcome.graph.forEachNode((_k, a) => {
      const address = (a as { address: string }).address;
      if (!this.tagged.has(address)) fresh.push(address);
    });
    if (fresh.length === 0) return false;
    for (const a of fresh) this.tagged.add(a);
    const misses = new MissCollector();
    const errors: unknown[] = [];
    const found = await Promise.all(
      fresh.map(async (a) => {
        try {
          return await this.tags(a, signal);
        } catch (e) {
          if (!misses.record(e)) errors.push(e);
          return [];
        }
      }),
    );
    if (errors.length > 0) throw errors.find((e) => isAbortError(e)) ?? errors[0];
    misses.throwIfAny();
    let added = 0;
    fresh.forEach((a, i) => {
      if (found[i]!.length > 0) added += sink(a, found[i]!);
    });
    return added > 0;
  }

  private async tags(address: string, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    const base = `${this.s.base}/${this.s.currency}/addresses/${encodeURIComponent(address)}/tags?pagesize=${TAGS_PAGE_SIZE}`;
    const cursors = new Set<string>();
    const out: Record<string, unknown>[] = [];
    let url = base;
    for (;;) {
      let page: ReturnType<typeof addressTagsValidator>;
      try {
        page = await this.http().getJson(url, {
          signal,
          ...(this.s.apiKey ? { headers: { authorization: this.s.apiKey } } : {}),
          validate: addressTagsValidator,
          cachePolicy: { kind: 'graphsense.tags', immutable: false, maxAgeMs: MUTABLE_MAX_AGE_MS },
        });
      } catch (e) {
        // An address GraphSense has never seen has no tags.
        if (url === base && e instanceof HttpError && e.status === 404) return [];
        throw e;
      }
      out.push(...page.tags);
      if (page.next === null) return out;
      if (cursors.has(page.next))
        throw new FundtraceError(
          'BAD_DATA',
          `bad response from GET ${this.shown(url)}: next_page repeats the cursor ${JSON.stringify(page.next.slice(0, 60))} already followed (paging would never end)`,
        );
      cursors.add(page.next);
      url = `${base}&page=${encodeURIComponent(page.next)}`;
    }
  }
}
