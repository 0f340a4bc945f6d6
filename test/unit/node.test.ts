// startNode (app/main/node.ts) on real data folders: what it takes it gives back on a failed start and on stop, the
// log file, the UI server when asked for, and better-sqlite3's nativeBinding passed through.
import { describe, it, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { lockDataFolder } from '../../app/main/engine/data-folder'
import { createLogger } from '../../app/main/engine/log'
import { logFilePath, startNode } from '../../app/main/node'

const NATIVE = fileURLToPath(new URL('../../node_modules/better-sqlite3/build/Release/better_sqlite3.node', import.meta.url))

function folder(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-node-test-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The folder can be locked again: nobody holds it. */
function assertUnlocked(dir: string): void {
  const lock = lockDataFolder(dir)
  lock.release()
}

describe('startNode', () => {
  it('starts the engine with its database and log file; stop gives everything back and is idempotent', async (t) => {
    const dir = folder(t)
    const node = await startNode({ config: { port: 0 }, dataFolder: dir, shell: 'headless', nativeBinding: NATIVE })
    assert.equal(node.ui, undefined, 'no UI server without a uiPort')
    assert.equal(node.logFile, logFilePath(dir))
    assert.ok(node.connector.port > 0)
    assert.equal((await node.api.getSettings()).logFile, logFilePath(dir))
    assert.equal((await node.api.getSettings()).dataFolder, dir)
    createLogger('node-test').warn('a line for the log file')
    assert.throws(() => lockDataFolder(dir), /already in use by this Junction/)
    await node.stop()
    await node.stop()
    assert.equal(node.db.open, false)
    assertUnlocked(dir)
    assert.match(readFileSync(logFilePath(dir), 'utf8'), /warn  node-test: a line for the log file/)
  })

  it('serves the UI/API when given a port, and shell-only settings in the desktop app', async (t) => {
    const dir = folder(t)
    const node = await startNode({ config: { port: 0 }, dataFolder: dir, shell: 'electron', uiPort: 0, uiToken: 'a-test-token-of-enough-length' })
    t.after(() => node.stop())
    assert.ok(node.ui && node.ui.port > 0)
    assert.equal(node.ui.token, 'a-test-token-of-enough-length')
    const s = await node.api.setSettings({ startAtLogin: true, closeToTray: false })
    assert.equal(s.shell, 'electron')
    assert.equal(s.uiPort, node.ui.port)
    assert.deepEqual([s.startAtLogin, s.closeToTray], [true, false])
  })

  it('a bad config fails before the folder is locked', async (t) => {
    const dir = folder(t)
    await assert.rejects(startNode({ config: { port: 70000 }, dataFolder: dir, shell: 'headless' }), /invalid port 70000/)
    assertUnlocked(dir)
  })

  it('a folder in use is refused with the other owner named', async (t) => {
    const dir = folder(t)
    const first = await startNode({ config: { port: 0 }, dataFolder: dir, shell: 'headless' })
    t.after(() => first.stop())
    await assert.rejects(startNode({ config: { port: 0 }, dataFolder: dir, shell: 'headless' }), /already in use by this Junction/)
  })

  it('a UI port in use: the message says what to do, and the lock and the database are released', async (t) => {
    const dir = folder(t)
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    t.after(() => busy.close())
    const port = (busy.address() as { port: number }).port
    await assert.rejects(
      startNode({ config: { port: 0 }, dataFolder: dir, shell: 'headless', uiPort: port }),
      new RegExp(`^Error: the UI port ${port} on 127\\.0\\.0\\.1 is in use; choose another with --ui-port N$`),
    )
    assertUnlocked(dir)
    // The database was closed too: a new node opens it.
    const again = await startNode({ config: { port: 0 }, dataFolder: dir, shell: 'headless' })
    await again.stop()
  })

  it('a native module that cannot be loaded: a message that says so, and nothing left taken', async (t) => {
    const dir = folder(t)
    await assert.rejects(
      startNode({ config: { port: 0 }, dataFolder: dir, shell: 'electron', nativeBinding: join(dir, 'missing.node') }),
      /cannot load SQLite's native module .*missing\.node .*built for another runtime/,
    )
    assertUnlocked(dir)
    assert.equal(existsSync(join(dir, 'junction.lock')), false)
  })
})
