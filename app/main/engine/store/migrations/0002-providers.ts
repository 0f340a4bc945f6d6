// Schema 2: the providers table of schema 1 grows what several providers need — a failover order, an on/off switch
// and the account id under which Junction's balance with that provider is kept (see store/providers-store.ts).
import type { Migration } from './migration'

export const migration0002: Migration = {
  version: 2,
  name: 'providers',
  sql: `
    ALTER TABLE providers ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE providers ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1));
    -- 'parent' for the first provider (the balance kept before schema 2 stays its own), 'provider:<id>' for others.
    ALTER TABLE providers ADD COLUMN account_id TEXT;
    CREATE UNIQUE INDEX providers_account ON providers (account_id);
  `,
}
