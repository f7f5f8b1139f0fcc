// The --source kinds, as usage errors list them (no imports: the CLI shows them without opening anything).
export const SOURCE_CHOICES = [
  'a dataset file (.json, .jsonl, .ndjson) in the fundtrace-dataset/1 format',
  'esplora:URL   Bitcoin Esplora REST API (Blockstream, mempool.space, electrs)',
  'etherscan:URL Etherscan API v2 (with chainid) or Blockscout',
  'rpc:URL       EVM JSON-RPC node (Erigon, Reth, Nethermind, anvil)',
  'trongrid:URL  TronGrid v1 REST API (api.trongrid.io or compatible), TRX and TRC-20 on tron',
  'graphsense:URL GraphSense REST API (self-hosted or api.iknaio.com): Bitcoin at output level, Ethereum and TRON accounts',
  'case:DIR      replay the evidence saved in a case directory',
  'index:DB      an indexed store built by `fundtrace dataset index` (reads only what the trace visits)',
  'sample:NAME   a sample dataset shipped with fundtrace (sample:ransomware-btc, sample:phishing-eth)',
];
