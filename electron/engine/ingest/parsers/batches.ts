/**
 * How parsers hand records to the loader: in batches of at most BATCH, as the file streams. The
 * line loop here is the one every line-oriented exporter's parser (WhatsApp, LINE, Signal) shares.
 */
import type { Line, ParsedRecord, ParserInput } from '../types.js';

/** Records per yielded batch. */
export const BATCH = 2000;

/** Empties `out` in batches of at most BATCH records (only the full ones when `fullOnly`). */
export function* batches(out: ParsedRecord[], fullOnly = false): Generator<ParsedRecord[], void, undefined> {
  while (out.length >= BATCH || (!fullOnly && out.length > 0)) yield out.splice(0, BATCH);
}

/** A line-by-line reader that collects its records in `out` and flushes the last one at `end`. */
export interface LineRecordReader {
  readonly out: ParsedRecord[];
  line(l: Line): void;
  end(): void;
}

/** Feeds every line of `input` to `reader`, yielding its records in batches as they fill. */
export async function* readLineExport(input: ParserInput, reader: LineRecordReader): AsyncGenerator<ParsedRecord[], void, undefined> {
  for await (const lines of input.lines()) {
    for (const l of lines) {
      reader.line(l);
      if (reader.out.length >= BATCH) yield* batches(reader.out, true);
    }
  }
  reader.end();
  yield* batches(reader.out);
}
