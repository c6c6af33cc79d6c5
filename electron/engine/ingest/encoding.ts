import iconv from 'iconv-lite';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface DetectedEncoding {
  encoding: Encoding;
  /** Length of the byte-order mark to skip. */
  bomLength: number;
}

/**
 * Detects the text encoding from the first bytes of a file: BOM first, then UTF-16 without a BOM
 * (NULs at odd or even positions), then strict UTF-8 validation, else GB18030 (a superset of GBK
 * and GB2312, which is what Chinese Windows tools write).
 */
export function detectEncoding(head: Uint8Array): DetectedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const n = Math.min(head.length, 4096);
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i++) {
    if (head[i] === 0) {
      if (i % 2 === 0) zeroEven++;
      else zeroOdd++;
    }
  }
  if (n >= 4 && zeroOdd > n / 8 && zeroEven < n / 64) return { encoding: 'utf-16le', bomLength: 0 };
  if (n >= 4 && zeroEven > n / 8 && zeroOdd < n / 64) return { encoding: 'utf-16be', bomLength: 0 };
  return { encoding: isUtf8(head) ? 'utf-8' : 'gb18030', bomLength: 0 };
}

/** Strict UTF-8 check that tolerates a multi-byte sequence cut off at the end of the sample. */
export function isUtf8(b: Uint8Array): boolean {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) need = 2;
    else if (c >= 0xf0 && c <= 0xf4) need = 3;
    else return false;
    if (i + need >= n) return true; // truncated at the sample's end
    for (let k = 1; k <= need; k++) if ((b[i + k]! & 0xc0) !== 0x80) return false;
    i += need + 1;
  }
  return true;
}

/** A streaming decoder: feed byte chunks, get text; multi-byte sequences split across chunks are kept. */
export interface StreamDecoder {
  write(chunk: Uint8Array): string;
  end(): string;
}

export function createDecoder(encoding: Encoding): StreamDecoder {
  if (encoding === 'utf-8' || encoding === 'utf-16le') {
    // TextDecoder is native and fast; `fatal: false` turns invalid bytes into U+FFFD instead of throwing.
    const td = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
    return { write: (c) => td.decode(c, { stream: true }), end: () => td.decode() };
  }
  const d = iconv.getDecoder(encoding === 'utf-16be' ? 'utf16-be' : 'gb18030', { stripBOM: false });
  return { write: (c) => d.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength)), end: () => d.end() ?? '' };
}
