// `fundtrace trace SEED`: its flags and help. The work (flags → one TraceQuery → the application
// in src/app/trace.ts → a renderer) is in ./trace-run.ts, loaded when the command runs, so help and
// usage errors do not load the libraries a trace needs.
import { type Command, Option } from 'commander';

import { knownChains } from '../core/chains.js';
import { CSV_TABLES } from '../report/csv-tables.js';
import type { CliContext } from './context.js';
import { collect, enumFlag } from './flags.js';
import { checkOutTarget } from './output.js';
import { DEFAULTS, TRACE_FORMATS, type TraceFlags, traceQueryFromFlags } from './trace-query.js';

export { DEFAULTS, type TraceFlags } from './trace-query.js';

export function registerTraceCommand(program: Command, ctx: CliContext): void {
  program
    .command('trace')
    .summary('trace funds from a seed address, outpoint or transaction')
    .description(
      'Follow funds from SEED (an address, a Bitcoin outpoint txid:vout, or a transaction id) hop by hop, ' +
        'dividing mixed balances by the taint model, and report where the traced value ended.',
    )
    .argument('<seed>', 'address, txid:vout outpoint, or transaction id/hash')
    .option(
      '--source <spec>',
      'where chain data comes from: a dataset .json/.jsonl/.ndjson, sample:NAME (a shipped sample), esplora:URL, etherscan:URL, trongrid:URL, graphsense:URL, rpc:URL, case:DIR or index:DB (see `fundtrace dataset index`)',
      collect,
    )
    .option('--chain <name>', `chain name or id (${knownChains().join(', ')}); default: from the source`)
    .addOption(
      new Option('--direction <dir>', 'forward: where funds went; backward: where they came from').default(
        'forward',
      ),
    )
    .option('--hops <n>', 'maximum hops from the seed', String(DEFAULTS.hops))
    .addOption(new Option('--model <model>', 'taint model: haircut, poison or fifo').default('haircut'))
    .option(
      '--asset <asset>',
      "account chains: symbol or token contract to follow, or all (default: the chain's native asset)",
    )
    .option('--since <when>', 'ignore activity before this ISO date-time or block height')
    .option('--until <when>', 'ignore activity after this ISO date-time or block height')
    .option('--min-value <amount>', 'do not follow flows below this amount, in asset units (e.g. 0.01)', '0')
    .option(
      '--max-nodes <n>',
      'stop expanding once the graph holds this many addresses',
      String(DEFAULTS.maxNodes),
    )
    .option(
      '--history-limit <n>',
      'do not expand addresses with more transfers than this',
      String(DEFAULTS.historyLimit),
    )
    .option(
      '--labels <file>',
      'label file (repeatable): fundtrace JSON/JSONL/CSV, GraphSense TagPack, OFAC SDN, Etherscan, scam lists',
      collect,
    )
    .option('--label-format <name>', 'format of the --labels files when detection is not enough')
    .option('--lenient', 'label files: load the good entries and warn about bad ones')
    .option(
      '--strict-labels',
      'label files: refuse third-party lists (OFAC, Etherscan, MEW …) with any bad entry (default: warn)',
    )
    .option('--no-label-dir', 'do not load the local label directory (fundtrace labels import)')
    .option('--flagged <list>', 'comma-separated categories that count as flagged (replaces the default set)')
    .option(
      '--services <list>',
      'comma-separated categories that act as service exits (replaces the default set)',
    )
    .option(
      '--config <file>',
      'config file: flagged/services sets, extra chains (default: ~/.config/fundtrace/config.json)',
    )
    .option('--format <format>', 'table, json, ndjson or csv (default: table on a terminal, json when piped)')
    .option('--table <table>', `with --format csv: ${CSV_TABLES.join(', ')}`, 'edges')
    .option('--out <file>', 'write the result to a file instead of standard output')
    .option('--wide', 'table: every address and name in full, whatever the terminal width')
    .option('--strict', 'exit 5 when any limit cut the trace short')
    .option(
      '--case <dir>',
      'also write a case directory: parameters, evidence, results, hashes (see `fundtrace case`)',
    )
    .option('--force', 'with --case: replace an existing case')
    .option(
      '--redact',
      'with --case: pseudonymise addresses (except labelled services) and tx ids; salt from FUNDTRACE_REDACT_SALT, else DIR.salt beside the case',
    )
    .option('--no-cospend', 'Bitcoin: do not cluster addresses spent together (common-input heuristic)')
    .option(
      '--heuristics <list>',
      'Bitcoin heuristics, comma-separated: coinjoin (stop at CoinJoins), change (mark change outputs), peel (report peel chains); all or none',
      'all',
    )
    .option('--no-heuristics', 'Bitcoin: apply no CoinJoin, change or peel-chain heuristic')
    .option(
      '--no-conversions',
      'account chains: do not follow swaps and wrapping into other assets (stay in the traced asset)',
    )
    .option(
      '--bridge-match',
      'bridges without a protocol identifier (Hop L1→L2): list arrivals on the destination chain that fit by amount (0–1 % fee) and time (6 h) as findings',
    )
    .option(
      '--follow-candidates',
      'with --bridge-match: go on from the best candidate; every figure that rests on it is marked as heuristic',
    )
    .option(
      '--registry <file>',
      'a contract registry file (bridges, DEXes, wrapped native) added to the bundled one; repeatable',
      collect,
    )
    .option(
      '--no-deposits',
      'account chains: do not recognise unlabelled exchange deposit addresses by their sweeps',
    )
    .option(
      '--dust <amount>',
      'backward: do not follow credits below this amount (default: 0.0001 of the asset)',
    )
    .option('--offline', 'remote sources: use only the local cache (missing data is an error)')
    .option(
      '--as-of <height>',
      'rpc:, trongrid: read as of this block height instead of the tip (recorded in a case)',
    )
    .option(
      '--confirmations <n>',
      'rpc:, trongrid: read as of N blocks below the tip (final data only; default 0)',
    )
    .option('--no-cache', 'remote sources: neither read nor write the local cache')
    .option(
      '--cache-dir <dir>',
      'remote sources: cache directory (default: FUNDTRACE_CACHE_DIR or ~/.cache/fundtrace)',
    )
    .option(
      '--api-key <key>',
      'etherscan: API key (default: ETHERSCAN_API_KEY); trongrid: (default: TRONGRID_API_KEY); graphsense: (default: GRAPHSENSE_API_KEY, sent as Authorization); rpc: replaces {key} in the URL; never printed or stored',
    )
    .option(
      '--fiat <code>',
      'also value every figure in this currency (USD, KES, EUR …) at its own time; default: config "fiat"',
    )
    .option(
      '--prices <dir|url>',
      "price data for --fiat: a directory of SYMBOL-USD.csv (date,close) and USD-XXX.csv (date,rate), e.g. sample:prices (the samples' own), and/or a CoinGecko-compatible API URL (key from COINGECKO_API_KEY); repeatable, one of each",
      collect,
    )
    .addHelpText(
      'after',
      `
Examples:
  fundtrace trace 6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0 \\
    --source sample:ransomware-btc --hops 10
  fundtrace trace 0xad42f9f4bf2f169806b5ddeea99b4c51be2bbe559a94bbf56827e3c723fcb084 \\
    --source sample:phishing-eth --asset USDT --model fifo --format csv --table exits > exits.csv
  fundtrace trace bc1q… --source esplora:https://blockstream.info/api --direction backward --hops 5
  fundtrace trace 0x… --source etherscan:https://api.etherscan.io/v2/api --chain ethereum --asset USDT
  fundtrace trace 0x… --source rpc:http://127.0.0.1:8545 --case my-case --format json > trace.json

Limits (defaults): --hops ${DEFAULTS.hops}, --max-nodes ${DEFAULTS.maxNodes}, --history-limit ${DEFAULTS.historyLimit}.
Every limit that cuts a path is reported in summary.cut and in the warnings.
A JSON Lines account dataset of 8 MiB or more is checked on worker threads, each record read when
visited (FUNDTRACE_LOAD=sequential reads it in one thread; the results are the same).`,
    )
    .action(async (seed: string, flags: TraceFlags, cmd: Command) => {
      // Every flag is checked here, before the application and the renderers load.
      // The rendering choices are the command's own; everything else is the query's.
      const format = flags.format
        ? enumFlag('--format', flags.format, TRACE_FORMATS)
        : ctx.io.stdoutIsTTY && !flags.out
          ? 'table'
          : 'json';
      const table = enumFlag('--table', flags.table, CSV_TABLES);
      await checkOutTarget(flags.out);
      const query = await traceQueryFromFlags(flags, ctx.io.env);
      const { runTraceCommand } = await import('./trace-run.js');
      await runTraceCommand({ seed, flags, query, format, table }, ctx, cmd);
    });
}
