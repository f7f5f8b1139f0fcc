// `fundtrace dataset validate FILE`: every problem with its location, exit 3 when invalid.
// `fundtrace dataset index FILE`: the indexed store (src/sources/index/).
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { usageError } from '../core/errors.js';
import { termSafe } from '../report/sanitize.js';
import { validateDataset } from '../sources/dataset/index.js';
import type { CliContext } from './context.js';
import { checkOutTarget } from './output.js';
import { progressLine } from './progress.js';

export function registerDatasetCommands(program: Command, ctx: CliContext): void {
  const ds = program.command('dataset').description('work with offline datasets (fundtrace-dataset/1)');
  ds.command('validate')
    .description('check a dataset file and report every problem with its JSON pointer or line number')
    .argument('<file>', 'dataset file (.json, .jsonl, .ndjson)')
    .addHelpText(
      'after',
      '\nExample:\n  fundtrace dataset validate samples/ransomware-btc.json\n\nExit status 0 when valid, 3 when not.',
    )
    .action(async (file: string) => {
      const r = await validateDataset(file);
      if (r.ok) {
        ctx.io.out(termSafe(`${file}: valid (${describeStats(r.stats)})`) + '\n');
        return;
      }
      ctx.io.err(`fundtrace: dataset ${termSafe(file)} is invalid: ${r.problems.length} problem(s)\n`);
      for (const p of r.problems) ctx.io.err(`  ${termSafe(p.location)}: ${termSafe(p.message)}\n`);
      ctx.status = 3;
    });
  ds.command('index')
    .description(
      'load a dataset once (validated as for a trace) into an indexed store that `--source index:DB` traces from, reading only what the trace visits',
    )
    .argument('<file>', 'dataset file (.json, .jsonl, .ndjson)')
    .option('--out <db>', 'index file to write, SQLite (default: the dataset path with .ftindex)')
    .option('--force', 'replace an existing index file')
    .addHelpText(
      'after',
      "\nExample:\n  fundtrace dataset index samples/phishing-eth.json --out phishing.ftindex\n  fundtrace trace 0x… --source index:phishing.ftindex\n\nThe index records the dataset file's SHA-256; a trace on an index whose dataset changed is refused.",
    )
    .action(async (file: string, opts: { out?: string; force?: boolean }) => {
      const out = opts.out ?? `${file.replace(/\.(json|jsonl|ndjson)$/i, '')}.ftindex`;
      await checkOutTarget(out);
      if (!opts.force && existsSync(out)) {
        throw usageError(`--out ${JSON.stringify(out)} exists; give --force to replace it`);
      }
      const { buildIndex } = await import('../sources/index/build.js');
      const started = performance.now();
      // A build of a big export takes minutes: a progress line on a terminal says what it is doing.
      const line = terminalProgress(ctx, `indexing ${termSafe(file)}`);
      const name = termSafe(file);
      let s: Awaited<ReturnType<typeof buildIndex>>;
      try {
        s = await buildIndex(file, out, undefined, ctx.io.env, (t) => line?.update(`${name}: ${t}`));
      } finally {
        line?.stop();
      }
      ctx.io.out(
        termSafe(
          `${out}: indexed ${s.records} ${s.chain} records over ${s.addresses} addresses in ${((performance.now() - started) / 1000).toFixed(1)} s (${s.bytes} bytes; dataset SHA-256 ${s.sha256})`,
        ) + '\n',
      );
    });
  ds.command('import-etl')
    .description(
      'turn ethereum-etl exports (CSV or JSON Lines: transactions, receipts, traces, token_transfers, tokens, logs) or bitcoin-etl exports (--chain bitcoin; JSON Lines transactions with nested inputs/outputs, blocks) into a dataset, checked like any dataset, and optionally index it',
    )
    .requiredOption(
      '--transactions <files...>',
      'the transactions export (with receipt_* columns, or give --receipts; bitcoin: JSON Lines with inputs and outputs); each export may be several files, the shards of one export',
    )
    .option(
      '--blocks <files...>',
      'bitcoin: the blocks export (hash, number, timestamp) for heights and times',
    )
    .option('--receipts <files...>', 'the receipts export (status, gas_used, effective_gas_price)')
    .option('--traces <files...>', 'the traces export (internal value moves)')
    .option('--token-transfers <files...>', 'the token_transfers export (ERC-20 Transfer events)')
    .option('--tokens <files...>', 'the tokens export (symbol and decimals of token contracts)')
    .option(
      '--logs <files...>',
      'the logs export (every event log: swaps, wrapping and bridge legs are read from them)',
    )
    .option(
      '--chain <chain>',
      'the chain the export is of (an EVM chain, or bitcoin for bitcoin-etl)',
      'ethereum',
    )
    .requiredOption('--out <file>', 'dataset file to write (.jsonl)')
    .option('--index <db>', 'also build the indexed store (as `dataset index`)')
    .option('--force', 'replace existing output files')
    .addHelpText(
      'after',
      '\nExample:\n  fundtrace dataset import-etl --transactions transactions.json --traces traces.csv \\\n    --token-transfers token_transfers.json --out export.jsonl --index export.ftindex\n  fundtrace dataset import-etl --chain bitcoin --transactions transactions.json \\\n    --blocks blocks.json --out btc.jsonl --index btc.ftindex\n  fundtrace trace TXID:0 --source index:btc.ftindex\n  fundtrace dataset import-etl --transactions txs-*.csv --token-transfers tt-*.csv \\\n    --out usdt.jsonl --index usdt.ftindex   (a sharded BigQuery export)\n\nA failed transaction moves nothing and pays its fee; block rewards are left out (counted in a note).\nbitcoin-etl: an input funded outside the export must carry its value and addresses (enrich_transactions).',
    )
    .action(
      async (opts: {
        transactions: string[];
        receipts?: string[];
        blocks?: string[];
        traces?: string[];
        tokenTransfers?: string[];
        tokens?: string[];
        logs?: string[];
        chain: string;
        out: string;
        index?: string;
        force?: boolean;
      }) => {
        await checkOutTarget(opts.out);
        await checkOutTarget(opts.index, '--index');
        for (const f of [opts.out, ...(opts.index ? [opts.index] : [])])
          if (!opts.force && existsSync(f))
            throw usageError(`${JSON.stringify(f)} exists; give --force to replace it`);
        if (!/\.(jsonl|ndjson)$/i.test(opts.out))
          throw usageError(
            `--out ${JSON.stringify(opts.out)}: the dataset is written as JSON Lines (.jsonl)`,
          );
        const { findChain } = await import('../core/chains.js');
        const utxo = findChain(opts.chain)?.kind === 'utxo';
        const wrong = utxo
          ? (['receipts', 'traces', 'tokenTransfers', 'tokens', 'logs'] as const).filter(
              (k) => opts[k] !== undefined,
            )
          : opts.blocks !== undefined
            ? (['blocks'] as const)
            : [];
        if (wrong.length > 0)
          throw usageError(
            `${wrong.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}: not an export of ${utxo ? 'bitcoin-etl' : 'ethereum-etl'} (--chain ${opts.chain})`,
          );
        const { writeEtlDataset } = await import('../sources/etl/write.js');
        const sources = [
          opts.transactions,
          opts.blocks,
          opts.receipts,
          opts.traces,
          opts.tokenTransfers,
          opts.tokens,
          opts.logs,
        ].flatMap((x) => x ?? []);
        // An export of millions of rows takes minutes: a progress line on a terminal says where it is.
        const line = terminalProgress(ctx, `importing into ${termSafe(opts.out)}`);
        const progress = (t: string) => line?.update(termSafe(t));
        let written: Awaited<ReturnType<typeof writeEtlDataset>>;
        try {
          written = await writeEtlDataset(
            opts.out,
            sources,
            { ...(opts.index ? { index: opts.index } : {}), env: ctx.io.env, progress },
            async (emit) =>
              utxo
                ? (await import('../sources/etl/bitcoin.js')).emitBitcoinEtl(opts, opts.chain, emit, progress)
                : (await import('../sources/etl/ethereum.js')).importEthereumEtl(
                    opts,
                    opts.chain,
                    emit,
                    progress,
                  ),
          );
        } finally {
          line?.stop();
        }
        const {
          header: { chain, head, notes },
          records: n,
          index,
        } = written;
        ctx.io.out(
          termSafe(
            `${opts.out}: ${n} ${utxo ? 'transactions' : 'transfers'} on ${chain}${head ? ` up to block ${head.height}` : ''}`,
          ) + '\n',
        );
        for (const note of notes) ctx.io.err(`fundtrace: note: ${termSafe(note)}\n`);
        if (opts.index && index) {
          ctx.io.out(
            termSafe(`${opts.index}: indexed ${index.records} records over ${index.addresses} addresses`) +
              '\n',
          );
        }
      },
    );
}

/** A progress line on stderr when it is a terminal (none through a pipe). */
function terminalProgress(ctx: CliContext, text: string): ReturnType<typeof progressLine> | undefined {
  return ctx.io.stderrIsTTY
    ? progressLine(process.stderr, text, {
        env: ctx.io.env,
        ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
      })
    : undefined;
}

function describeStats(stats: Record<string, unknown>): string {
  return Object.entries(stats)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
