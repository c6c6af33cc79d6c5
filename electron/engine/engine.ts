import { Database, type OpenOptions } from './db/database.js';
import { importPaths, type ImportReport } from './ingest/import.js';
import type { ImportProgress } from './ingest/import-file.js';
import { SegmentPool } from './text/segment-pool.js';
import type { FormatId } from '../../shared/model.js';
import type { ColumnMapping, GroupInfo, RejectInfo, SourceInfo } from '../../shared/api.js';

export type { GroupInfo, RejectInfo, SourceInfo };

/**
 * The engine: one database plus the segmenter, with everything the hosts (CLI, browser-mode
 * server, Electron utility process) call. Plain Node; never imports 'electron'.
 */
export class Engine {
  /** jieba on a second thread, started on the first import. */
  private readonly segmenter = new SegmentPool(process.env['QUNXI_SEGMENT_THREAD'] !== '0');

  private constructor(readonly db: Database) {}

  static async open(path: string, opts?: OpenOptions): Promise<Engine> {
    return new Engine(await Database.open(path, opts));
  }

  async import(
    paths: readonly string[],
    opts: { format?: FormatId; mapping?: ColumnMapping; signal?: AbortSignal; onProgress?: (p: ImportProgress) => void } = {},
  ): Promise<ImportReport> {
    // The last progress is repeated while nothing new is said (the final checkpoint writes the
    // whole import out and takes seconds at 10^7 messages): the user hears from us every second.
    const say = opts.onProgress;
    let last: ImportProgress | null = null;
    let lastAt = Date.now();
    const onProgress = say && ((p: ImportProgress) => {
      last = p;
      lastAt = Date.now();
      say(p);
    });
    let beatAt = 0;
    const heartbeat = say && setInterval(() => {
      const now = Date.now();
      if (!last || now - lastAt < 500 || now - beatAt < 500) return;
      beatAt = now;
      say({ ...last, elapsedMs: last.elapsedMs + now - lastAt });
    }, 250);
    try {
      const report = await importPaths(paths, { db: this.db, segmenter: this.segmenter, ...opts, onProgress });
      // Analysis follows, with no use for the segmentation thread; the next import restarts it.
      this.segmenter.release();
      if (report.results.length > 0) await this.db.checkpoint();
      return report;
    } finally {
      if (heartbeat) clearInterval(heartbeat);
    }
  }

  async groups(): Promise<GroupInfo[]> {
    return this.db.all<GroupInfo>(`
      SELECT g.id, g.platform, g.name, g.chat_type AS "chatType",
        coalesce(m.n, 0) AS messages, coalesce(mm.n, 0) AS members,
        CAST(m.a AS VARCHAR) AS "from", CAST(m.b AS VARCHAR) AS "to"
      FROM groups g
      LEFT JOIN (SELECT group_id, count(*) AS n, min(ts) AS a, max(ts) AS b FROM messages GROUP BY 1) m ON m.group_id = g.id
      LEFT JOIN (SELECT group_id, count(*) AS n FROM members WHERE merged_into IS NULL GROUP BY 1) mm ON mm.group_id = g.id
      ORDER BY g.id`);
  }

  async sources(): Promise<SourceInfo[]> {
    return this.db.all<SourceInfo>(`
      SELECT id, path, format, encoding, bytes, CAST(imported_at AS VARCHAR) AS "importedAt", messages,
        new_messages AS "newMessages", events, rejected FROM sources ORDER BY id`);
  }

  async rejects(limit = 1000, offset = 0): Promise<RejectInfo[]> {
    return this.db.all<RejectInfo>(
      `SELECT source_id AS "sourceId", file, line, reason, raw FROM rejects ORDER BY source_id, line LIMIT $l OFFSET $o`,
      { l: limit, o: offset },
    );
  }

  close(): void {
    void this.segmenter.close();
    this.db.close();
  }
}
