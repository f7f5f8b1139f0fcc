// Sample trace documents for the report tests: the bundled ransomware sample (with a hostile label
// planted on one node) and the phishing sample.

import { join } from 'node:path';
import { checkDoc, type TraceDoc } from '../../src/report/export/doc.js';
import { cli, ROOT } from '../helpers.js';

export const BTC_SEED = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
export const ETH_USDT_SEED = '0xad42f9f4bf2f169806b5ddeea99b4c51be2bbe559a94bbf56827e3c723fcb084';
export const SAMPLE_BTC = join(ROOT, 'samples', 'ransomware-btc.json');
export const SAMPLE_ETH = join(ROOT, 'samples', 'phishing-eth.json');

/** A label an attacker could plant in a label feed or a token name. */
export const HOSTILE = `</script><script>window.__pwned=1</script><!-- "q" 'a' & \\ #35; |x| [y] {z} \`b\``;

export async function traceDoc(path: string, seed: string, args: string[] = []): Promise<TraceDoc> {
  const r = await cli(['trace', seed, '--source', path, '--no-label-dir', ...args, '--format', 'json']);
  if (r.status !== 0) throw new Error(`trace failed: ${r.stderr}`);
  return checkDoc(JSON.parse(r.stdout), 'trace');
}

/** The ransomware sample traced 10 hops, with HOSTILE as the entity of the first exit's node. */
export async function hostileDoc(): Promise<TraceDoc> {
  const doc = await traceDoc(SAMPLE_BTC, BTC_SEED, ['--hops', '10']);
  const exitAddress = doc.summary.exits[0]!.address;
  const node = doc.graph.nodes.find((n) => n.attributes.address === exitAddress)!;
  node.attributes.cluster = { ...node.attributes.cluster!, entity: HOSTILE };
  node.attributes.labels[0]!.entity = HOSTILE;
  doc.summary.exits[0]!.entity = HOSTILE;
  return doc;
}
