// Editing a provider (updateProvider) with a real ILSP (ilp-connector 23 with books, Junction on an ilp-plugin-btp
// account): a rename keeps the link; the ILSP rotates Junction's secret (it restarts with a new one, so the old link
// is refused), and the URL with the new secret reconnects the active provider on the same account — its balance goes
// on, and a payment goes through with the ILSP's books agreeing. A URL to another place or account is refused. And
// the case of a lost secret with no other provider: Junction has no address until the URL is entered again, then the
// provider connects and is active again, without a restart.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { startNode } from '../../app/main/node'
import { ApiError } from '../../app/shared/api-types'
import { startBookedIlsp } from '../support/booked-ilsp'
import { connectPlugin, startFulfiller } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, randomToken, sendPrepare, waitForAddress, waitUntil } from '../support/junction'

test('a provider renamed keeps its link; its URL with a rotated secret reconnects the active one on the same account', { timeout: 90_000 }, async (t) => {
  const defer = cleanup(t)
  let ilsp = await startBookedIlsp('test.ilsp')
  defer(() => ilsp.stop())
  const folder = mkdtempSync(join(tmpdir(), 'junction-provider-update-'))
  defer(() => rmSync(folder, { recursive: true, force: true }))
  const node = await startNode({ config: { port: 0, parent: ilsp.junctionUrl, reconnect: { initialMs: 50, maxMs: 500 } }, dataFolder: folder, shell: 'headless', logToFile: false })
  defer(() => node.stop())
  const j = node.connector
  assert.equal(await waitForAddress(j), 'test.ilsp.junction')
  const [provider] = await node.api.listProviders()
  const account = provider.accountId

  const payee = await startFulfiller(ilsp.childUrl('payee'))
  defer(() => payee.stop())
  const app = await connectPlugin(appUrl(j, 'payer', randomToken()))
  defer(() => disconnectAll(app))
  const pay = async (amount: number) => {
    const answer = await sendPrepare(app, { destination: payee.address, amount, executionCondition: payee.condition })
    assert.equal(answer.type, 'fulfill', answer.type === 'reject' ? `${answer.code} ${answer.message}` : '')
  }
  await pay(1000)
  assert.equal(await ilsp.junctionBalance(), 1000n)

  // A rename: the same link goes on.
  const link = j.providers.active
  const renamed = await node.api.updateProvider({ id: provider.id, name: '  My ILSP ' })
  assert.equal(renamed.name, 'My ILSP')
  assert.equal(j.providers.active, link, 'no reconnect for a rename')

  // Another place, or another account at the same place: refused, naming what to do.
  for (const other of [`btp+ws://junction:${randomToken()}@127.0.0.1:1`, ilsp.junctionUrl.replace('//junction:', '//someone:')]) {
    await assert.rejects(node.api.updateProvider({ id: provider.id, url: other }), (e: unknown) => e instanceof ApiError && e.code === 'invalid-input' && /^another place or account \(btp\+ws:\/\/\w+:\*+@127\.0\.0\.1:\d+\) than "My ILSP" .*add it as a new provider/.test(e.message))
  }

  // The ILSP rotates the secret (a restart with a new one; its books start again at 0): the old secret is refused.
  await ilsp.stop()
  ilsp = await startBookedIlsp('test.ilsp', { again: { ...ilsp.restart, secret: randomToken() } })
  await waitUntil(() => j.providers.active?.state.state === 'waiting', 10_000, 'the old secret to be refused')
  assert.match(j.providers.active!.lastError ?? '', /auth|refused|F00|closed/i)

  // The URL with the new secret: the active provider reconnects with it, on the same account.
  const updated = await node.api.updateProvider({ id: provider.id, url: ilsp.junctionUrl })
  assert.deepEqual([updated.id, updated.accountId, updated.active, updated.name], [provider.id, account, true, 'My ILSP'])
  assert.doesNotMatch(updated.url, new RegExp(ilsp.restart.secret))
  await waitUntil(() => j.providers.active?.state.state === 'connected', 10_000, 'the reconnect with the new secret')
  await waitUntil(() => j.isAppConnected('payer'), 10_000, 'the app to be connected')
  await pay(500)
  assert.equal(await ilsp.junctionBalance(), 500n, 'the restarted ILSP books what went through it since')
  assert.equal(j.accounts.get(account)!.balance, -1500n, "Junction's balance with the provider goes on across the reconnect")
  assert.equal(node.db.prepare<[string], { n: bigint }>("SELECT count(*) AS n FROM providers WHERE url LIKE '%' || ? || '%'").get(ilsp.restart.secret)?.n, 0n)
})

test('the only provider lost its secret: no address until its URL is entered again, then it connects and is active', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const ilsp = await startBookedIlsp('test.ilsp')
  defer(() => ilsp.stop())
  const folder = mkdtempSync(join(tmpdir(), 'junction-provider-lost-'))
  defer(() => rmSync(folder, { recursive: true, force: true }))
  const open = () => startNode({ config: { port: 0 }, dataFolder: folder, shell: 'headless', logToFile: false })
  let node = await open()
  const added = await node.api.addProvider({ name: 'ILSP', url: ilsp.junctionUrl })
  await node.api.activateProvider({ id: added.id })
  assert.equal(await waitForAddress(node.connector), 'test.ilsp.junction')
  await node.stop()
  rmSync(join(folder, 'secrets', `provider-${added.id}.json`))

  node = await open()
  defer(() => node.stop())
  const [lost] = await node.api.listProviders()
  assert.match(lost.lastError ?? '', /the secret of its URL is not in the secret store/)
  assert.equal(node.connector.providers.active, undefined, 'nothing connected')

  const back = await node.api.updateProvider({ id: added.id, url: ilsp.junctionUrl })
  assert.equal(back.lastError, null)
  assert.equal(await waitForAddress(node.connector), 'test.ilsp.junction')
  assert.equal((await node.api.listProviders())[0].active, true)
})
