// The `ilp-plugin` npm module — what most ILP apps call to get their plugin — pointed at Junction through its
// environment variables (ILP_BTP_SERVER, ILP_CREDENTIALS) or its default (btp+ws://localhost:7768), over IPv4 and IPv6
// loopback.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import type { Connector } from '../../app/main/engine/connector'
import { DEFAULT_PORT } from '../../app/main/engine/config'
import { startStreamReceiver, streamPay } from '../support/ilsp'
import {
  appUrl,
  cleanup,
  disconnectAll,
  fetchIldcp,
  hasIpv6Loopback,
  localhostFamily,
  randomToken,
  startJunction,
  withTimeout,
} from '../support/junction'

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any
const pluginFromEnvironment = require('ilp-plugin') as (opts?: { name?: string }) => Any

const ENV_KEYS = ['ILP_BTP_SERVER', 'ILP_CREDENTIALS', 'ILP_PLUGIN'] as const

/** Sets the ilp-plugin environment for one test and restores it afterwards. */
function ilpEnv(defer: (step: () => unknown) => void, values: Partial<Record<(typeof ENV_KEYS)[number], string>>): void {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]))
  for (const k of ENV_KEYS) delete process.env[k]
  Object.assign(process.env, values)
  defer(() => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  })
}

/** The secret ilp-plugin generated: it builds ilp-plugin-btp's `server` URL with it as the password. */
function generatedSecret(plugin: Any): string {
  const server = plugin._server as string
  assert.equal(typeof server, 'string', 'ilp-plugin built an ilp-plugin-btp with a server URL')
  return decodeURIComponent(new URL(server.slice('btp+'.length)).password)
}

async function connect(plugin: Any): Promise<Any> {
  await withTimeout(plugin.connect(), 5000, 'ilp-plugin to connect to Junction')
  return plugin
}

function tokenDerivedId(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url')
}

/** An app on Junction that receives STREAM payments. */
async function receiverOn(j: Connector, defer: (step: () => unknown) => void) {
  const receiver = await startStreamReceiver(appUrl(j, 'shop', randomToken()))
  defer(() => receiver.stop())
  return receiver
}

test('ILP_BTP_SERVER with default credentials: account = base64url(sha256(secret)), and it pays', { timeout: 30_000 }, async (t) => {
  const defer = cleanup(t)
  const j = await startJunction()
  defer(() => j.stop())
  const receiver = await receiverOn(j, defer)
  ilpEnv(defer, { ILP_BTP_SERVER: `btp+ws://127.0.0.1:${j.port}` })

  const plugin = await connect(pluginFromEnvironment())
  defer(() => disconnectAll(plugin))
  const secret = generatedSecret(plugin)
  assert.match(secret, /^[0-9a-f]{32}$/, 'ilp-plugin makes a random 16-byte hex secret')
  const id = tokenDerivedId(secret)
  assert.match(id, /^[A-Za-z0-9_-]{43}$/)

  const info = await fetchIldcp(plugin)
  assert.equal(info.clientAddress, `private.junction.${id}`)
  assert.equal(info.assetCode, 'XRP')
  assert.equal(info.assetScale, 9)
  assert.equal(j.accounts.get(id)?.relation, 'child')

  // Another process start = another secret = another account: the token is the identity.
  const other = await connect(pluginFromEnvironment())
  defer(() => disconnectAll(other))
  const otherId = tokenDerivedId(generatedSecret(other))
  assert.notEqual(otherId, id)
  assert.equal((await fetchIldcp(other)).clientAddress, `private.junction.${otherId}`)

  // It pays: STREAM from the ilp-plugin app to another app (STREAM disconnects the plugin when done).
  const amount = 654_321n
  assert.equal(await streamPay(plugin, receiver.credentials(), amount), amount)
  await receiver.waitForTotal(amount, 5000)
  assert.equal(receiver.total, amount)
  assert.equal(j.accounts.get(id)!.balance, amount)
  assert.equal(j.accounts.get('shop')!.balance, -amount)
  assert.equal(j.accounts.get(otherId)!.balance, 0n)
})

test('ILP_BTP_SERVER with a name: the app is <junction>.<name>', { timeout: 30_000 }, async (t) => {
  const defer = cleanup(t)
  const j = await startJunction({ address: 'test.desk' })
  defer(() => j.stop())
  ilpEnv(defer, { ILP_BTP_SERVER: `btp+ws://127.0.0.1:${j.port}` })
  const plugin = await connect(pluginFromEnvironment({ name: 'wallet' }))
  defer(() => disconnectAll(plugin))
  assert.equal((await fetchIldcp(plugin)).clientAddress, 'test.desk.wallet')
  assert.ok(j.accounts.has('wallet'))
})

test('ILP_CREDENTIALS: plugin options as JSON (URL credentials, or btpAccount/btpToken)', { timeout: 30_000 }, async (t) => {
  const defer = cleanup(t)
  const j = await startJunction({ apps: [{ name: 'dave', token: 'dave-token' }] })
  defer(() => j.stop())
  const receiver = await receiverOn(j, defer)

  ilpEnv(defer, { ILP_CREDENTIALS: JSON.stringify({ server: `btp+ws://carol:carol-token@127.0.0.1:${j.port}` }) })
  const carol = await connect(pluginFromEnvironment())
  defer(() => disconnectAll(carol))
  assert.equal((await fetchIldcp(carol)).clientAddress, 'private.junction.carol')

  process.env.ILP_CREDENTIALS = JSON.stringify({ server: `btp+ws://127.0.0.1:${j.port}`, btpAccount: 'dave', btpToken: 'dave-token' })
  const dave = await connect(pluginFromEnvironment())
  defer(() => disconnectAll(dave))
  assert.equal((await fetchIldcp(dave)).clientAddress, 'private.junction.dave')
  await streamPay(dave, receiver.credentials(), 1234n)
  await receiver.waitForTotal(1234n, 5000)
  assert.equal(j.accounts.get('dave')!.balance, 1234n)

  // dave is registered with a token: the wrong one is refused at BTP auth, and ilp-plugin never gets connected.
  process.env.ILP_CREDENTIALS = JSON.stringify({ server: `btp+ws://dave:not-daves@127.0.0.1:${j.port}` })
  const impostor = pluginFromEnvironment()
  defer(() => disconnectAll(impostor))
  await assert.rejects(withTimeout(impostor.connect(), 1500, 'impostor connect'), /timed out|connection aborted/)
  assert.equal(impostor.isConnected(), false)
})

test('via localhost (whatever it resolves to first) and explicitly via [::1]', { timeout: 30_000 }, async (t) => {
  const defer = cleanup(t)
  const j = await startJunction()
  defer(() => j.stop())
  const family = await localhostFamily()
  t.diagnostic(`localhost resolves to IPv${family} first; Junction listens on ${j.listeningHosts.join(', ')}`)

  ilpEnv(defer, { ILP_BTP_SERVER: `btp+ws://localhost:${j.port}` })
  const viaLocalhost = await connect(pluginFromEnvironment({ name: 'viahostname' }))
  defer(() => disconnectAll(viaLocalhost))
  assert.equal((await fetchIldcp(viaLocalhost)).clientAddress, 'private.junction.viahostname')

  await t.test('[::1]', { skip: !(await hasIpv6Loopback()) && 'no IPv6 loopback on this machine' }, async () => {
    assert.ok(j.listeningHosts.includes('::1'), 'Junction listens on ::1 when the machine has it')
    process.env.ILP_BTP_SERVER = `btp+ws://[::1]:${j.port}`
    const viaV6 = await connect(pluginFromEnvironment({ name: 'viaipv6' }))
    try {
      assert.equal((await fetchIldcp(viaV6)).clientAddress, 'private.junction.viaipv6')
    } finally {
      await disconnectAll(viaV6)
    }
  })
})

test('no environment at all: ilp-plugin connects to localhost:7768, Junction\'s default port', { timeout: 30_000 }, async (t) => {
  const defer = cleanup(t)
  let j: Connector
  try {
    j = await startJunction({ port: DEFAULT_PORT })
  } catch (err) {
    t.skip(`port ${DEFAULT_PORT} is in use here (${(err as Error).message})`)
    return
  }
  defer(() => j.stop())
  ilpEnv(defer, {})
  const plugin = await connect(pluginFromEnvironment({ name: 'zeroconf' }))
  defer(() => disconnectAll(plugin))
  assert.equal((await fetchIldcp(plugin)).clientAddress, 'private.junction.zeroconf')
  assert.ok(j.accounts.has('zeroconf'))
})
