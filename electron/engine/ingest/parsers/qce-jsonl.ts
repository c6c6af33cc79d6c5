/**
 * QQ Chat Exporter chunked-JSONL export (docs/FORMATS-QCE.md): a folder (or zip) holding
 * `manifest.json` ({metadata, chatInfo, statistics, chunked:{chunksDir, chunks:[{index, fileName,
 * relativePath, count, …}]}}) and `chunks/c000001.jsonl` … (older builds and ChatLab name them
 * chunk_0001.jsonl), one CleanMessage per line. The manifest is small; chunks are streamed line by
 * line. A line that is not JSON becomes a reject naming its chunk file and line; the rest imports.
 */
import { FormatError, type BundleInput, type BundleParser, type ParsedRecord } from '../types.js';
import { chatOf, isObj, mapQceMessage } from './qce-map.js';

const BATCH = 2000;
const RAW_MAX = 2000;
/** A manifest larger than this is not a QCE manifest (they hold statistics, never messages). */
const MANIFEST_MAX = 64 * 1024 * 1024;

/**
 * Path of the bundle's manifest.json: at the root, or in the one folder a zip of the export folder
 * holds. Never deeper: a folder holding several exports is walked, and each export is its own bundle.
 */
function manifestPath(files: readonly string[]): string | null {
  if (files.includes('manifest.json')) return 'manifest.json';
  const first = files[0];
  const slash = first ? first.indexOf('/') : -1;
  if (slash <= 0) return null;
  const top = first!.slice(0, slash + 1);
  if (!files.every((f) => f.startsWith(top))) return null;
  return files.includes(`${top}manifest.json`) ? `${top}manifest.json` : null;
}

const dirOf = (p: string): string => p.slice(0, p.lastIndexOf('/') + 1);

async function readManifest(bundle: BundleInput, path: string): Promise<unknown> {
  const input = await bundle.open(path);
  if (input.size > MANIFEST_MAX) throw new FormatError(`${bundle.name}/${path}`, null, `manifest.json is ${input.size} bytes: not a QQ Chat Exporter manifest`);
  const parts: string[] = [];
  for await (const batch of input.lines()) for (const l of batch) parts.push(l.text);
  try {
    return JSON.parse(parts.join('\n')) as unknown;
  } catch (e) {
    throw new FormatError(`${bundle.name}/${path}`, null, `manifest.json is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The chunk files in reading order: as the manifest lists them, else every .jsonl under chunks/. */
function chunkPaths(manifest: Record<string, unknown>, base: string, files: readonly string[]): string[] {
  const chunked = isObj(manifest.chunked) ? manifest.chunked : {};
  const dir = typeof chunked.chunksDir === 'string' && chunked.chunksDir.trim() ? chunked.chunksDir.trim() : 'chunks';
  const listed: { at: number; path: string }[] = [];
  const chunks = Array.isArray(chunked.chunks) ? chunked.chunks : [];
  chunks.forEach((c, i) => {
    if (!isObj(c)) return;
    // V5.5+: relativePath; V5.0: file; else chunksDir + fileName.
    const rel =
      typeof c.relativePath === 'string' && c.relativePath ? c.relativePath
        : typeof c.file === 'string' && c.file ? c.file
          : typeof c.fileName === 'string' && c.fileName ? `${dir}/${c.fileName}` : '';
    if (!rel) return;
    const clean = rel.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/^\/+/, '');
    listed.push({ at: typeof c.index === 'number' ? c.index : i + 1, path: base + clean });
  });
  if (listed.length) {
    listed.sort((a, b) => a.at - b.at);
    return [...new Set(listed.map((c) => c.path))];
  }
  const under = `${base}${dir}/`;
  const found = files.filter((f) => f.startsWith(under) && f.endsWith('.jsonl'));
  return found.length ? found : files.filter((f) => f.startsWith(base) && f.endsWith('.jsonl'));
}

async function detect(bundle: BundleInput): Promise<number> {
  const mp = manifestPath(bundle.files);
  if (mp === null) return 0;
  const base = dirOf(mp);
  const hasChunks = bundle.files.some((f) => f.startsWith(base) && f.endsWith('.jsonl'));
  let m: unknown;
  try {
    m = await readManifest(bundle, mp);
  } catch {
    return 0;
  }
  if (!isObj(m) || !isObj(m.chatInfo) || !isObj(m.metadata)) return 0;
  const meta = m.metadata;
  if (isObj(m.chunked) || meta.format === 'chunked-jsonl') return hasChunks ? 0.95 : 0.5;
  return 0.1;
}

async function* parse(bundle: BundleInput): AsyncGenerator<ParsedRecord[], void, undefined> {
  const mp = manifestPath(bundle.files);
  if (mp === null) throw new FormatError(bundle.name, null, 'no manifest.json: not a QQ Chat Exporter chunked-JSONL export');
  const manifest = await readManifest(bundle, mp);
  if (!isObj(manifest) || !isObj(manifest.chatInfo)) {
    throw new FormatError(`${bundle.name}/${mp}`, null, 'manifest.json has no "chatInfo": not a QQ Chat Exporter chunked-JSONL export');
  }
  const chat = chatOf(manifest.chatInfo);
  let out: ParsedRecord[] = [chat.group];
  const present = new Set(bundle.files);

  for (const path of chunkPaths(manifest, dirOf(mp), bundle.files)) {
    if (!present.has(path)) {
      out.push({ type: 'reject', file: path, line: 0, reason: 'chunk listed in manifest.json is missing from the export', raw: '' });
      continue;
    }
    const input = await bundle.open(path);
    for await (const lines of input.lines()) {
      for (const l of lines) {
        const text = l.text.trim();
        if (!text) continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          out.push({ type: 'reject', file: path, line: l.no, reason: `malformed JSON line: ${why}`, raw: text.slice(0, RAW_MAX) });
          continue;
        }
        const r = mapQceMessage(value, chat, l.no);
        out.push(r.type === 'reject' ? { ...r, file: path } : r);
      }
      if (out.length >= BATCH) {
        yield out;
        out = [];
      }
    }
  }
  if (out.length) yield out;
}

export const qceJsonlParser: BundleParser = { format: 'qce-jsonl', platform: 'qq', detect, parse };
