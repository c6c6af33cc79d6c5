/**
 * The loop every JSON exporter's parser shares (Telegram, Discord, Messenger/Instagram, QQ Chat
 * Exporter): stream the bytes through a JsonScanner, insist the top-level value is an object, hand
 * each later event to the parser, and turn scanner errors into FormatError — except a file cut
 * short, which keeps what was read when the parser says so (it adds the reject itself).
 */
import { JsonScanError, type JsonScanner, type ScanEvent } from '../json-scan.js';
import { FormatError, type ParsedRecord, type ParserInput } from '../types.js';
import { BATCH, batches } from './batches.js';

export interface JsonExportScan {
  /** How errors name the format: 'not <what>: …' (e.g. 'a Telegram export'). */
  what: string;
  /** Every event after the top-level object's own 'open'. */
  onEvent(e: ScanEvent): void;
  /** The file ended mid-value: record the loss and return true to keep what was read, or false to refuse the file. */
  onTruncated(err: JsonScanError): boolean;
}

/**
 * Drives `scanner` over `input`, yielding full batches of `out` (which the parser fills from
 * onEvent) as the file streams. Stops after the last event; what is left in `out` is the parser's
 * to yield (with `batches`) once its end-of-file checks have passed.
 */
export async function* scanJsonExport(
  input: ParserInput,
  scanner: JsonScanner,
  out: ParsedRecord[],
  o: JsonExportScan,
): AsyncGenerator<ParsedRecord[], void, undefined> {
  const file = input.fileName;
  let started = false;
  const handle = (e: ScanEvent): void => {
    if (started) return o.onEvent(e);
    started = true;
    if (e.kind !== 'open' || e.array) {
      throw new FormatError(file, e.line, `not ${o.what}: the top-level JSON value is not an object`, e.offset);
    }
  };
  const step = (f: () => void): void => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof JsonScanError)) throw err;
      if (err.truncated && o.onTruncated(err)) return;
      const what = scanner.begun ? 'malformed JSON' : 'not a JSON object';
      throw new FormatError(file, err.line, `${what}: ${err.reason} at byte ${err.offset}`, err.offset);
    }
  };
  for await (const chunk of input.bytes()) {
    step(() => scanner.push(chunk));
    for (const e of scanner.take()) {
      handle(e);
      if (out.length >= BATCH) yield* batches(out, true);
    }
  }
  step(() => scanner.end());
  for (const e of scanner.take()) handle(e);
}
