// The UI/API server (app/main/api-server.ts) with a real `ws` client, against a real local-mode connector, the real
// engine API and real ilp-plugin-btp apps: access control (token, Host, Origin), calls, errors and events.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { type TestContext, test } from 'node:test'
import WebSocket from 'ws'
import { type ApiServer, startApiServer, UI_PROTOCOL } from '../../app/main/api-server'
import { createEngineApi } from '../../app/main/engine/api'
import type { AppView } from '../../app/shared/api-types'
import { localJunction, type LocalJunction, sleep } from '../support/raw-btp'
import { withTimeout } from '../support/junction'
import { UiClient } from '../support/ui-client'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

interface Setup {
  lj: LocalJunction
  server: ApiServer
}

async function setup(t: TestContext, eventIntervalMs?: number): Promise<Setup> {
  const lj = await localJunction(t)
  const server = await startApiServer({ api: createEngineApi(lj.j), connector: lj.j, port: 0, eventIntervalMs })
  t.after(() => server.stop())
  return { lj, server }
}

interface OpenOptions {
  token?: string | null
  host?: string
  origin?: string
  protocols?: string[]
}

/** Opens a WebSocket; resolves with the open socket, or with the HTTP status the upgrade was refused with. */
function open(server: ApiServer, opts: OpenOptions = {}): Promise<{ ws: WebSocket } | { status: number; body: string }> {
  const token = opts.token === undefined ? server.token : opts.token
  const protocols = opts.protocols ?? (token === null ? [UI_PROTOCOL] : [UI_PROTOCOL, `token.${token}`])
  const headers: Record<string, string> = {}
  if (opts.host) headers.host = opts.host
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`, protocols, { headers, ...(opts.origin ? { origin: opts.origin } : {}) })
  return withTimeout(
    new Promise((resolve, reject) => {
      ws.once('open', () => resolve({ ws }))
      ws.once('unexpected-response', (_req, res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      ws.once('error', reject)
    }),
    5000,
    'the WebSocket to open or be refused',
  )
}

/** A connected client (test/support/ui-client.ts) over a WebSocket opened with the right token. */
const Client = {
  async connect(t: TestContext, server: ApiServer): Promise<UiClient> {
    const r = await open(server)
    assert.ok('ws' in r, `expected the upgrade to succeed, got ${JSON.stringify(r)}`)
    assert.equal(r.ws.protocol, UI_PROTOCOL, 'the server selects the plain subprotocol, never echoes the token')
    t.after(() => r.ws.terminate())
    return UiClient.wrap(r.ws)
  },
}

function httpGet(port: number, headers: Record<string, string> = {}): Promise<{ status: number; type: string; csp: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), csp: String(res.headers['content-security-policy']), body }))
    })
    req.on('error', reject)
    req.end()
  })
}

test('a wrong or missing token is refused before any WebSocket exists', async (t) => {
  const { server } = await setup(t)
  assert.match(server.token, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url')
  assert.equal(server.url, `http://127.0.0.1:${server.port}/#token=${server.token}`)

  for (const [what, opts] of [
    ['no token', { token: null }],
    ['a wrong token', { token: 'x' + server.token.slice(1) }],
    ['a prefix of the token', { token: server.token.slice(0, 20) }],
    ['an empty token', { token: '' }],
  ] as const) {
    const r = await open(server, opts)
    assert.ok('status' in r, `${what}: must be refused`)
    assert.equal(r.status, 401, what)
    assert.doesNotMatch(r.body, new RegExp(server.token), `${what}: the refusal does not reveal the token`)
  }
  // The right token without the `junction` subprotocol is refused too.
  const r = await open(server, { protocols: [`token.${server.token}`] })
  assert.ok('status' in r && r.status === 403)
})

test('a token given by the caller is used; two servers get different random tokens', async (t) => {
  const lj = await localJunction(t)
  const api = createEngineApi(lj.j)
  const fixed = await startApiServer({ api, port: 0, token: 'a-fixed-token-for-tests' })
  t.after(() => fixed.stop())
  assert.equal(fixed.token, 'a-fixed-token-for-tests')
  const other = await startApiServer({ api, port: 0 })
  t.after(() => other.stop())
  const third = await startApiServer({ api, port: 0 })
  t.after(() => third.stop())
  assert.notEqual(other.token, third.token)
  assert.ok('ws' in (await open(fixed)))
  // A token is good for its own server only.
  const cross = await open(other, { token: third.token })
  assert.ok('status' in cross && cross.status === 401)
})

test('Host and Origin are checked against DNS rebinding', async (t) => {
  const { server } = await setup(t)
  const p = server.port
  for (const host of ['evil.example', `evil.example:${p}`, `127.0.0.1:${p + 1}`, '127.0.0.1', `localhost.evil.example:${p}`, `0.0.0.0:${p}`]) {
    const r = await open(server, { host })
    assert.ok('status' in r, `Host ${host} must be refused`)
    assert.equal(r.status, 403, host)
  }
  for (const host of [`127.0.0.1:${p}`, `localhost:${p}`, `[::1]:${p}`]) {
    const r = await open(server, { host })
    assert.ok('ws' in r, `Host ${host} is allowed`)
    r.ws.terminate()
  }
  for (const origin of ['https://evil.example', `http://evil.example:${p}`, `http://127.0.0.1:${p + 1}`, `https://127.0.0.1:${p}`, 'null']) {
    const r = await open(server, { origin })
    assert.ok('status' in r, `Origin ${origin} must be refused`)
    assert.equal(r.status, 403, origin)
  }
  for (const origin of [`http://127.0.0.1:${p}`, `http://localhost:${p}`]) {
    const r = await open(server, { origin })
    assert.ok('ws' in r, `Origin ${origin} is allowed`)
    r.ws.terminate()
  }
  // Even the right token does not help a foreign page.
  const r = await open(server, { origin: 'https://evil.example', token: server.token })
  assert.ok('status' in r && r.status === 403)

  // The page: plain HTML without secrets, and also behind the Host check.
  const page = await httpGet(p)
  assert.equal(page.status, 200)
  assert.match(page.type, /^text\/html/)
  assert.match(page.body, /Junction/)
  assert.match(page.csp, /default-src 'self'/)
  assert.ok(!page.body.includes(server.token), 'the page holds no token')
  assert.equal((await httpGet(p, { host: `evil.example:${p}` })).status, 403)
})

test('calls: listApps shows a connected ilp-plugin-btp app; results are plain JSON', async (t) => {
  const { lj, server } = await setup(t)
  const client = await Client.connect(t, server)
  await lj.app('alice')

  const res = await client.request('listApps')
  assert.ok('result' in res, JSON.stringify(res))
  const apps = res.result as AppView[]
  const alice = apps.find((a) => a.id === 'alice')
  assert.ok(alice, JSON.stringify(apps))
  assert.equal(alice.connected, true)
  assert.equal(alice.address, 'private.junction.alice')
  assert.equal(alice.balance, '0', 'amounts are decimal strings')

  // params {} is the same as none; getApp with its argument works.
  assert.equal((await client.request('status', {})).result.apps.connected, 1)
  assert.equal((await client.request('getApp', { id: 'alice' })).result.id, 'alice')
  assert.equal((await client.request('getApp', { id: 'nobody' })).error.code, 'not-found')
  // A method with no result answers null.
  assert.equal((await client.request('forgetApp', { id: 'alice' })).result, null)
})

test('errors: invalid input names the field; unknown method; bad JSON keeps the connection open', async (t) => {
  const { server } = await setup(t)
  const client = await Client.connect(t, server)

  const bad = await client.request('setAppBudget', { id: 'alice', budget: { amount: '-5', period: 'day' } })
  assert.equal(bad.error.code, 'invalid-input')
  assert.match(bad.error.message, /budget\.amount/)
  assert.deepEqual(
    bad.error.issues.map((i: Any) => i.path),
    ['budget.amount'],
  )
  const extra = await client.request('listApps', { surprise: 1 })
  assert.equal(extra.error.code, 'invalid-input')
  assert.match(extra.error.message, /surprise/)
  const missing = await client.request('getApp')
  assert.equal(missing.error.code, 'invalid-input')

  for (const method of ['noSuchMethod', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    const r = await client.request(method, {})
    assert.equal(r.error.code, 'unknown-method', method)
  }

  client.ws.send('{not json')
  const parseError = await client.frame((f) => f.id === null && /JSON/.test(f.error?.message), 'the bad-JSON error')
  assert.equal(parseError.error.code, 'bad-request')
  client.ws.send('[1,2,3]')
  client.ws.send('{"method":"status"}')
  client.ws.send(Buffer.from('{"id":1,"method":"status"}'), { binary: true })
  await client.frame((f) => f.id === null && /text frame/.test(f.error?.message), 'the binary-frame error')
  assert.equal(client.frames.filter((f) => f.id === null && f.error?.code === 'bad-request').length, 4)

  // Still open and working.
  assert.equal(client.ws.readyState, WebSocket.OPEN)
  assert.equal((await client.request('getNewAppPolicy')).result, 'allow')
  // String ids are echoed as they are.
  client.ws.send('{"id":"abc","method":"getNewAppPolicy"}')
  assert.equal((await client.frame((f) => f.id === 'abc', 'the string-id answer')).result, 'allow')
})

test('events: appConnected and appDisconnected reach every client', async (t) => {
  const { lj, server } = await setup(t)
  const one = await Client.connect(t, server)
  const two = await Client.connect(t, server)
  const bob = await lj.app('bob')
  for (const c of [one, two]) {
    assert.deepEqual(await c.frame((f) => f.event === 'appConnected', 'appConnected'), { event: 'appConnected', data: { id: 'bob' } })
  }
  await bob.stop()
  for (const c of [one, two]) {
    assert.deepEqual(await c.frame((f) => f.event === 'appDisconnected', 'appDisconnected'), { event: 'appDisconnected', data: { id: 'bob' } })
  }
})

test('events: a burst is throttled per stream to about 10/s, and the latest is delivered', async (t) => {
  const { lj, server } = await setup(t)
  const client = await Client.connect(t, server)
  // 200 changes to one app within ~1 s, and one to another app at the same time.
  const started = Date.now()
  lj.j.emit('appChanged', 'other')
  for (let i = 0; i < 200; i++) {
    lj.j.emit('appChanged', 'busy')
    await sleep(5)
  }
  const elapsed = Date.now() - started
  // The coalesced last one goes out at most 100 ms after the burst.
  await sleep(250)
  const busy = client.events('appChanged').filter((d) => d.id === 'busy')
  const max = Math.ceil(elapsed / 100) + 2
  assert.ok(busy.length >= 2 && busy.length <= max, `${busy.length} frames for a burst of 200 over ${elapsed} ms (at most ${max})`)
  assert.equal(client.events('appChanged').filter((d) => d.id === 'other').length, 1, 'another app is another stream')

  // Coalescing keeps the latest data: the trailing frame carries the last value published.
  server.publish('address', { address: 'private.a' })
  server.publish('address', { address: 'private.b' })
  server.publish('address', { address: 'private.c' })
  await sleep(250)
  assert.deepEqual(
    client.events('address').map((d) => d.address),
    ['private.a', 'private.c'],
    'the first goes out at once, the rest are coalesced to the latest',
  )
})

test('stop closes clients and frees the port', async (t) => {
  const lj = await localJunction(t)
  const server = await startApiServer({ api: createEngineApi(lj.j), connector: lj.j, port: 0 })
  const client = await Client.connect(t, server)
  const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)))
  await server.stop()
  assert.equal(await withTimeout(closed, 3000, 'the client to be closed'), 1001)
  assert.equal(lj.j.listenerCount('appConnected'), 0, 'no listener left on the connector')
  // The port is free again.
  const again = await startApiServer({ api: createEngineApi(lj.j), port: server.port })
  await again.stop()
})
