// Label benchmarks (part of `npm run bench`): import speed of the largest real label lists
// (when ../shared/data is present), and the cost of label lookups during a trace of the synthetic
// account dataset with 1 000 000 labels loaded.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadLabelFile } from '../src/labels/load.js';
import { LabelStore } from '../src/labels/store.js';
import { checksumAddress, mulberry32 } from './synthetic.js';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, '.bench');
const SHARED = join(ROOT, '..', 'shared', 'data');

const REAL: [string, string][] = [
  ['GraphSense ransomware pack', join(SHARED, 'graphsense-tagpacks', 'packs', 'ransomware.yaml')],
  [
    'Etherscan combined labels',
    join(SHARED, 'etherscan-labels-brianleect', 'etherscan', 'combined', 'combinedAccountLabels.json'),
  ],
  ['OFAC SDN extract', join(SHARED, 'ofac-sdn-csv', 'sdn_20240503_full.csv.gz')],
  ['ScamSniffer combined', join(SHARED, 'scamsniffer-scam-database', 'combined.json')],
];

async function writeLabels(path: string, n: number, addresses: string[]): Promise<void> {
  const out = createWriteStream(path);
  const rnd = mulberry32(7);
  const cats = ['exchange', 'scam', 'mixer', 'theft', 'gambling', 'individual', 'defi'];
  for (let i = 0; i < n; i++) {
    // Half the labels name addresses of the dataset, half name addresses it never touches.
    const address =
      i % 2 === 0 && addresses.length > 0
        ? addresses[rnd() % addresses.length]!
        : checksumAddress(
            (rnd().toString(16).padStart(8, '0') + i.toString(16).padStart(32, '0')).slice(-40),
          );
    const line = `${JSON.stringify({ chain: 'ethereum', address, entity: `Entity ${i % 5000}`, category: cats[i % cats.length], source: 'bench', confidence: 'low' })}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function benchLabels(): Promise<Record<string, string | number>> {
  const out: Record<string, string | number> = {};
  for (const [name, path] of REAL) {
    if (!existsSync(path)) continue;
    const t0 = performance.now();
    const r = await loadLabelFile(path, { lenient: true });
    const ms = performance.now() - t0;
    out[`import ${name}`] =
      `${r.entries.length} entries in ${ms.toFixed(0)} ms (${Math.round((r.entries.length * 1000) / ms)} entries/s)`;
  }
  mkdirSync(DIR, { recursive: true });
  // One address carrying 100 000 distinct labels: de-duplication used to be quadratic (150 s).
  const oneAddr = join(DIR, 'labels-one-address-100000.jsonl');
  if (!existsSync(oneAddr)) {
    const lines = Array.from(
      { length: 100_000 },
      (_, i) =>
        `${JSON.stringify({ chain: 'ethereum', address: '0x00000000000000000000000000000000000000aa', entity: `Entity ${i}`, category: 'exchange', source: 'bench', confidence: 'low' })}\n`,
    );
    writeFileSync(oneAddr, lines.join(''));
  }
  {
    const t = performance.now();
    const r = await loadLabelFile(oneAddr, { lenient: true });
    const s = new LabelStore(r.entries);
    out['load 100 000 labels of one address'] =
      `${(performance.now() - t).toFixed(0)} ms (${s.size} labels, ${s.addressCount} addresses)`;
  }
  const dataset = join(DIR, 'account-1000000.jsonl');
  const seedFile = `${dataset}.seed`;
  if (!existsSync(dataset) || !existsSync(seedFile)) {
    out['lookup during a trace'] =
      'skipped: run the core benchmark first (it generates .bench/account-1000000.jsonl)';
    return out;
  }
  const seed = readFileSync(seedFile, 'utf8').trim();
  // Addresses of the dataset: read from the first 200 000 lines (enough to hit the traced ones).
  const addresses = [
    ...new Set(
      readFileSync(dataset, 'utf8')
        .slice(0, 40_000_000)
        .match(/0x[0-9a-fA-F]{40}/g) ?? [],
    ),
  ];
  const labels = join(DIR, 'labels-1000000.jsonl');
  if (!existsSync(labels)) await writeLabels(labels, 1_000_000, addresses);

  const t0 = performance.now();
  const loaded = await loadLabelFile(labels, { lenient: true });
  const store = new LabelStore();
  store.addAll(loaded.entries);
  out['load 1 000 000 labels (fundtrace JSON Lines)'] =
    `${(performance.now() - t0).toFixed(0)} ms, ${store.addressCount} addresses`;
  const probes = addresses.slice(0, 200_000);
  const t1 = performance.now();
  let hits = 0;
  for (let k = 0; k < 5; k++) for (const a of probes) if (store.get('ethereum', a).length > 0) hits++;
  const perLookup = ((performance.now() - t1) * 1e6) / (probes.length * 5);
  out['lookup cost (1M labels loaded)'] =
    `${perLookup.toFixed(0)} ns per lookup (${hits / 5} of ${probes.length} probes labelled)`;

  const run = (extra: string[]) => {
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'fundtrace.js'),
        'trace',
        seed,
        '--source',
        dataset,
        '--hops',
        '3',
        '--format',
        'json',
        '--out',
        join(DIR, 'labels-trace.json'),
        '--verbose',
        '--no-label-dir',
        ...extra,
      ],
      { encoding: 'utf8' },
    );
    const m = /trace (\d+) ms \((\d+) addresses/.exec(r.stderr);
    return m ? { ms: Number(m[1]), nodes: Number(m[2]) } : { ms: Number.NaN, nodes: 0 };
  };
  const bare = run([]);
  const withLabels = run(['--labels', labels, '--lenient']);
  out['3-hop trace, no labels'] = `${bare.ms} ms (${bare.nodes} addresses)`;
  out['3-hop trace, 1M labels loaded'] =
    `${withLabels.ms} ms (${withLabels.nodes} addresses; labels stop the trace at services and flagged addresses, so the graphs differ)`;
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [k, v] of Object.entries(await benchLabels())) process.stdout.write(`${k}: ${v}\n`);
}
