// Every migration, in order. Append only: a shipped migration is never edited.
import { migration0001 } from './0001-initial'
import { migration0002 } from './0002-providers'
import { migration0003 } from './0003-peers-links'
import type { Migration } from './migration'

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003]
export const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1].version
