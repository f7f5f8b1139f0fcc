// One checked transfer record's line, converted exactly as the sequential load converts it: the
// parallel load (./parallel.ts) reads records back from the file this way when a trace visits
// them, and so does an index that stores records as their lines (src/sources/index/view.ts).
import type { Transfer } from '../../core/model.js';
import { DatasetBuilder, type RawHeader, type RawTransfer } from './builder.js';

const ADDRESS_TABLE = 1 << 16;

export class LineConverter {
  private captured: Transfer | undefined;
  private readonly builder: DatasetBuilder;

  constructor(header: RawHeader) {
    // Lines read back were checked when loaded or indexed: their checksummed addresses stand as they are.
    this.builder = new DatasetBuilder(
      'jsonl',
      (t) => {
        this.captured = t;
      },
      true,
    );
    this.builder.setHeader(header, new Set(), 1);
    this.builder.internTimes();
  }

  /** The transfer on this line, or undefined when it is not one that converts without a problem. */
  convert(line: string): Transfer | undefined {
    // Address strings are shared through a table that is started afresh past this size (the
    // strings stay valid: sharing is only what saves memory, and most repeats are near each other).
    if (this.builder.internedAddresses >= ADDRESS_TABLE) this.builder.forgetAddresses();
    const before = this.builder.problemCount;
    this.captured = undefined;
    try {
      const raw = JSON.parse(line) as RawTransfer & { type?: unknown };
      if (typeof raw !== 'object' || raw === null || (raw.type !== undefined && raw.type !== 'transfer'))
        return undefined;
      this.builder.addTransfer(raw, 0);
    } catch {
      return undefined;
    }
    return this.builder.problemCount === before ? this.captured : undefined;
  }
}
