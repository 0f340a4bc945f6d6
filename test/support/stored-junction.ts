// A Junction engine in-process over a real SQLite database in a folder, as headless mode runs it (durable balances
// and ledger, apps in the `apps` table), with its engine API object; stop() closes the database so the next start on
// the same folder is a restart.
import type { EngineConfig } from '../../app/main/engine/config'
import { type Connector, type ConnectorDeps, createConnector } from '../../app/main/engine/connector'
import { createEngineApi } from '../../app/main/engine/api'
import { createLogger } from '../../app/main/engine/log'
import { SqliteAppsStore } from '../../app/main/engine/store/apps-store'
import { type Db, openDatabase } from '../../app/main/engine/store/database'
import { SqliteBalanceStore } from '../../app/main/engine/store/sqlite-balance-store'
import type { JunctionApi } from '../../app/shared/api-types'

export interface StoredJunction {
  j: Connector
  api: JunctionApi
  db: Db
  /** Stops the engine and closes the database (idempotent). */
  stop(): Promise<void>
}

export async function startStoredJunction(
  folder: string,
  config: Partial<EngineConfig> = {},
  deps: Omit<ConnectorDeps, 'balances' | 'appsStore'> = {},
): Promise<StoredJunction> {
  const db = openDatabase(folder)
  const balances = new SqliteBalanceStore(db, createLogger('store'))
  let j: Connector
  try {
    j = createConnector({ port: 0, ...config }, { ...deps, balances, appsStore: new SqliteAppsStore(db) })
    await j.start()
  } catch (err) {
    balances.close()
    throw err
  }
  let stopped = false
  return {
    j,
    api: createEngineApi(j, { db }),
    db,
    stop: async () => {
      if (stopped) return
      stopped = true
      await j.stop()
      balances.close()
    },
  }
}
