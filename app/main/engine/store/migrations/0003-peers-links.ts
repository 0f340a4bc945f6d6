// Schema 3: stored peers (peers/peer-store.ts) and, for ILP-over-HTTP providers, where Junction receives their packets.
// Secrets (a peer's URL secret, the token an incoming peer or HTTP provider must present) live in the secret store,
// not in these tables.
import type { Migration } from './migration'

export const migration0003: Migration = {
  version: 3,
  name: 'peers-and-http-links',
  sql: `
    -- JSON {"host": "127.0.0.1", "port": 7770} or NULL (send-only); the token is in the secret store.
    ALTER TABLE providers ADD COLUMN receive TEXT;
    CREATE TABLE peers (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      -- Where Junction connects to the peer, secret masked out (the secret store holds the full URL); NULL = incoming only.
      url         TEXT,
      incoming    INTEGER NOT NULL DEFAULT 0 CHECK (incoming IN (0, 1)),
      asset_code  TEXT,
      asset_scale INTEGER CHECK (asset_scale BETWEEN 0 AND 255),
      created_at  INTEGER NOT NULL
    ) STRICT;
  `,
}
