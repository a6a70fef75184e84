/**
 * Versioned schema migrations, applied in order inside one transaction. `PRAGMA user_version`
 * holds the version; a database written by a newer gateway is refused, never "upgraded down".
 */
import type Database from 'better-sqlite3';

export const migrations: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE events (
        seq    INTEGER PRIMARY KEY AUTOINCREMENT,
        id     TEXT NOT NULL UNIQUE,
        type   TEXT NOT NULL,
        at     TEXT NOT NULL,
        source TEXT NOT NULL,
        data   TEXT NOT NULL
      );
      CREATE INDEX events_type ON events(type, seq);
      -- The log is append-only: the database itself refuses an edit.
      CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

      CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
];

/**
 * Indexes created at every open when missing, outside the versioned migrations: adding one does
 * not change the schema version, so the previous release can still open the log (a rollback).
 * events_at: "events since a time" (accuracy figures) finds its first event directly, also when
 * the clock stepped back (a box without a hardware clock logs before its time sync).
 * events_label_sscc and events_picked_tote: a bag label or tote scanned at dispatch or packing
 * finds its order directly, also an unknown one (a full scan of every label took 240 ms at 200k
 * orders). Partial: only those events' inserts maintain them, none on a pick scan's path.
 */
export const openIndexes = `
  CREATE INDEX IF NOT EXISTS events_at ON events(at);
  CREATE INDEX IF NOT EXISTS events_label_sscc ON events(json_extract(data, '$.sscc')) WHERE type = 'label.printed';
  CREATE INDEX IF NOT EXISTS events_picked_tote ON events(json_extract(data, '$.tote')) WHERE type = 'order.picked';
`;

export const latestSchemaVersion = migrations[migrations.length - 1]!.version;

export class SchemaTooNewError extends Error {
  constructor(file: string, found: number) {
    super(
      `${file} was written by a newer gateway (schema version ${found}, this one knows up to ${latestSchemaVersion}); ` +
        'run the newer gateway version, or restore a backup of the data folder',
    );
    this.name = 'SchemaTooNewError';
  }
}

export function migrate(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latestSchemaVersion) throw new SchemaTooNewError(file, current);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
}
