// The headless maintenance jobs as a person runs them: --backup while Junction runs, --restore (refused while it
// runs, then done with it stopped), --export-csv; with real payments in the database.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { spawnHeadless } from '../support/headless'
import { connectPlugin, startFulfiller, startIlsp } from '../support/ilsp'
import { fetchPeerBalance, sendPrepare } from '../support/junction'

test('backup while running, restore when stopped, and CSV export keep the books', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'junction-maint-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const data = join(root, 'data')
  const ilsp = await startIlsp()
  t.after(() => ilsp.stop())
  const fulfiller = await startFulfiller(ilsp.btpUrl('fulfiller', 'f'))
  t.after(() => fulfiller.stop())

  const run = spawnHeadless(['--port', '0', '--data', data, '--parent', ilsp.btpUrl('me', 's')])
  t.after(() => run.stop('SIGKILL'))
  const { port } = await run.ready()
  const app = await connectPlugin(`btp+ws://shop:t@127.0.0.1:${port}`)
  t.after(() => app.disconnect())
  for (const amount of [100n, 250n]) {
    const answer = await sendPrepare(app, { destination: fulfiller.address, amount, executionCondition: fulfiller.condition })
    assert.equal(answer.type, 'fulfill')
  }
  assert.equal((await fetchPeerBalance(app)).balance, 350n)

  // A backup taken while Junction runs.
  const backup = join(root, 'backup.db')
  const b = spawnHeadless(['--data', data, '--backup', backup])
  assert.equal((await b.exited).code, 0, b.stderr())
  assert.match(b.lines.join('\n'), /^junction backup .*backup\.db \(\d+ bytes, schema \d+\)$/m)

  // More spending after the backup: a restore must bring the books back to 350.
  assert.equal((await sendPrepare(app, { destination: fulfiller.address, amount: 1000n, executionCondition: fulfiller.condition })).type, 'fulfill')

  // Restore is refused while Junction holds the folder.
  const busy = spawnHeadless(['--data', data, '--restore', backup])
  assert.notEqual((await busy.exited).code, 0)
  assert.match(busy.stderr(), /Stop Junction first/)

  // The CSV names the app and the destination prefix, with exact amounts.
  const csvFile = join(root, 'ledger.csv')
  const e = spawnHeadless(['--data', data, '--export-csv', csvFile])
  assert.equal((await e.exited).code, 0, e.stderr())
  const rows = readFileSync(csvFile, 'utf8').trim().split('\n')
  assert.match(rows[0], /^app,/)
  const spent = rows.slice(1).filter((r) => r.startsWith('shop,') && r.includes(',spent,'))
  const total = spent.reduce((sum, r) => sum + BigInt(r.split(',').at(-2)!), 0n)
  assert.equal(total, 1350n)

  await app.disconnect()
  assert.equal((await run.stop('SIGTERM')).code, 0)
  const r = spawnHeadless(['--data', data, '--restore', backup])
  assert.equal((await r.exited).code, 0, r.stderr())
  assert.match(r.lines.join('\n'), /previous database is now/)

  const again = spawnHeadless(['--port', '0', '--data', data, '--parent', ilsp.btpUrl('me', 's')])
  t.after(() => again.stop('SIGKILL'))
  const second = await again.ready()
  const app2 = await connectPlugin(`btp+ws://shop:t@127.0.0.1:${second.port}`)
  t.after(() => app2.disconnect())
  assert.equal((await fetchPeerBalance(app2)).balance, 350n)
  assert.ok(existsSync(backup))
})
