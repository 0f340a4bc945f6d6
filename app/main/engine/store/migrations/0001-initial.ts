// Schema 1. Shipped migrations never change: a later schema is a new numbered file.
// Amounts are INTEGER (SQLite's signed 64-bit), read as bigint (safeIntegers). Times are Unix milliseconds, except
// ledger buckets, which are the bucket's start in Unix seconds.
import type { Migration } from './migration'

export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE accounts (
      id          TEXT PRIMARY KEY,
      relation    TEXT NOT NULL CHECK (relation IN ('parent', 'child', 'peer')),
      balance     INTEGER NOT NULL DEFAULT 0,
      updated_at  INTEGER NOT NULL
    );

    -- Apps (child accounts) and what the user decided about them. Tokens are stored as SHA-256 hashes only.
    CREATE TABLE apps (
      id                  TEXT PRIMARY KEY,
      display_name        TEXT,
      status              TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'blocked')),
      named               INTEGER NOT NULL CHECK (named IN (0, 1)),
      token_hash          BLOB,
      created_at          INTEGER NOT NULL,
      last_seen_at        INTEGER,
      budget_amount       INTEGER,
      budget_period       TEXT CHECK (budget_period IN ('day', 'week', 'month')),
      max_packet_amount   INTEGER,
      max_packets_per_second INTEGER
    );

    -- The per-app ledger: one row per app, bucket, direction and destination prefix.
    -- resolution: 60 (minute), 3600 (hour), 86400 (day) seconds. Older buckets are rolled up (see ledger-rollup.ts).
    CREATE TABLE ledger (
      app_id          TEXT NOT NULL,
      resolution      INTEGER NOT NULL,
      bucket          INTEGER NOT NULL,
      direction       TEXT NOT NULL CHECK (direction IN ('spent', 'earned')),
      prefix          TEXT NOT NULL,
      packets         INTEGER NOT NULL,
      amount_app      INTEGER NOT NULL,
      amount_provider INTEGER NOT NULL,
      PRIMARY KEY (app_id, resolution, bucket, direction, prefix)
    ) WITHOUT ROWID;

    -- The same without the prefix: what totals and charts read, so they never scan destinations.
    CREATE TABLE ledger_totals (
      app_id          TEXT NOT NULL,
      resolution      INTEGER NOT NULL,
      bucket          INTEGER NOT NULL,
      direction       TEXT NOT NULL CHECK (direction IN ('spent', 'earned')),
      packets         INTEGER NOT NULL,
      amount_app      INTEGER NOT NULL,
      amount_provider INTEGER NOT NULL,
      PRIMARY KEY (app_id, resolution, bucket, direction)
    ) WITHOUT ROWID;

    -- Rejected packets by app, bucket and code.
    CREATE TABLE rejects (
      app_id      TEXT NOT NULL,
      resolution  INTEGER NOT NULL,
      bucket      INTEGER NOT NULL,
      code        TEXT NOT NULL,
      packets     INTEGER NOT NULL,
      PRIMARY KEY (app_id, resolution, bucket, code)
    ) WITHOUT ROWID;

    CREATE TABLE providers (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      url         TEXT NOT NULL,
      created_at  INTEGER NOT NULL
    );

    CREATE TABLE settlements (
      id          INTEGER PRIMARY KEY,
      account_id  TEXT NOT NULL,
      amount      INTEGER NOT NULL,
      direction   TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
      status      TEXT NOT NULL,
      idempotency_key TEXT UNIQUE,
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL
    );

    CREATE TABLE settings (
      key    TEXT PRIMARY KEY,
      value  TEXT NOT NULL
    );
  `,
}
