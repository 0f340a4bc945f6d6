// Who may connect to the app port, and as whom: BTP auth of registered and unregistered apps (ilp-plugin-btp clients
// and a raw BTP client for the exact error frames), token-derived accounts, replacement of a live connection,
// browser Origin checks on the WebSocket upgrade, and loopback-only listening.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { connect as netConnect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { describe, test } from 'node:test'
import * as Btp from 'btp-packet'
import * as ILDCP from 'ilp-protocol-ildcp'
import {
  eventually,
  type Frame,
  RawBtpClient,
  recordingLog,
  localJunction,
  type LocalJunction,
} from '../support/raw-btp'

const LOCAL = 'private.junction'



function assertBtpError(frame: Frame, code: string, message: RegExp): void {
  assert.equal(frame.type, Btp.TYPE_ERROR, `expected a BTP Error, got frame type ${frame.type}`)
  assert.equal(frame.error!.code, code, `code (message: ${frame.error!.data})`)
  assert.match(frame.error!.data, message)
}

/** Authenticates a raw client and expects a refusal: a BTP Error with `code` and `message`, then a close (1008). */
async function assertRefused(h: LocalJunction, username: string | undefined, token: string | undefined, code: string, message: RegExp) {
  const client = await h.open()
  const answer = await client.auth(username, token, 77)
  assertBtpError(answer, code, message)
  assert.equal(answer.requestId, 77)
  assert.equal((await client.closed).code, 1008)
}

describe('registered apps', () => {
  test('the wrong token is refused; the right one is accepted', async (t) => {
    const h = await localJunction(t, { apps: [{ name: 'alice', token: 'right' }] })
    await assertRefused(h, 'alice', 'wrong', 'F00', /wrong auth_token for app "alice"/)
    await assertRefused(h, 'alice', '', 'F00', /wrong auth_token for app "alice"/)

    // ilp-plugin-btp's connect() rejects when Junction closes the refused connection; its log has Junction's message.
    const { lines, log } = recordingLog()
    await assert.rejects(h.app('alice', { token: 'wrong', log, connectTimeoutMs: 3000 }), /connection aborted/)
    assert.ok(
      lines.some((l) => l.includes('error authenticating btp connection') && l.includes('wrong auth_token for app')),
      `ilp-plugin-btp reported the refusal: ${lines.join(' | ')}`,
    )
    assert.equal(h.j.accounts.get('alice')!.link, undefined)

    const alice = await h.app('alice', { token: 'right' })
    const info = await ILDCP.fetch((data: Buffer) => alice.plugin.sendData(data))
    assert.equal(info.clientAddress, `${LOCAL}.alice`)
    assert.ok(h.j.accounts.get('alice')!.link?.open)
  })
})

describe('usernames', () => {
  for (const [name, bad] of [
    ['a.b', '"."'],
    ['al ice', '" "'],
    ['x/y', '"/"'],
    ['café', '"é"'],
  ] as const) {
    test(`${JSON.stringify(name)} is not an address segment: refused with a message naming the problem`, async (t) => {
      const h = await localJunction(t)
      await assertRefused(h, name, 'token', 'F01', new RegExp(`invalid auth_username ${JSON.stringify(name)}.*contains ${bad}`))
      assert.equal(h.j.accounts.has(name), false)
    })
  }

  test('a username longer than 256 characters is refused', async (t) => {
    const h = await localJunction(t)
    await assertRefused(h, 'a'.repeat(300), 'token', 'F01', /invalid auth_username .*300 characters long/)
  })

  test('a username of the token-derived form (43 base64url chars) is refused', async (t) => {
    const h = await localJunction(t)
    const victim = createHash('sha256').update('victim-token').digest('base64url')
    assert.equal(victim.length, 43)
    // The victim's token-derived account exists and is connected.
    const owner = await h.app('', { token: 'victim-token' })
    assert.ok(h.j.accounts.get(victim)?.link?.open)
    await assertRefused(h, victim, 'attacker-token', 'F01', /reserved for token-derived accounts/)
    await assertRefused(h, 'A'.repeat(43), 'token', 'F01', /reserved for token-derived accounts/)
    // 42 or 44 characters are ordinary names.
    await h.app('A'.repeat(42), { token: 'token' })
    await h.app('A'.repeat(44), { token: 'token' })
    assert.ok(owner.plugin.isConnected())
  })

  test('empty username + token: the account is base64url(sha256(token)) and ILDCP gives that address', async (t) => {
    const h = await localJunction(t)
    const token = 'a-secret-token'
    const id = createHash('sha256').update(token, 'utf8').digest('base64url')
    const app = await h.app('', { token })
    const info = await ILDCP.fetch((data: Buffer) => app.plugin.sendData(data))
    assert.equal(info.clientAddress, `${LOCAL}.${id}`)
    assert.ok(info.clientAddress.endsWith(id))
    assert.ok(h.j.accounts.get(id)?.link?.open)
    // Payments to that address reach it.
    const payer = await h.app('payer', { token: 'p' })
    const reply = await payer.pay(info.clientAddress, 12)
    assert.equal(reply.type, 'fulfill')
    assert.equal(app.received, 12n)
    assert.equal(h.j.accounts.get(id)!.balance, -12n)
  })
})

describe('one live connection per app', () => {
  test('same username and token again: the first connection is closed (4001) and replaced', async (t) => {
    const h = await localJunction(t)
    const first = await RawBtpClient.connect(h.wsUrl, 'carol', 'tok')
    t.after(() => first.terminate())
    const second = await RawBtpClient.connect(h.wsUrl, 'carol', 'tok')
    t.after(() => second.terminate())
    const closed = await first.closed
    assert.equal(closed.code, 4001)
    assert.match(closed.reason, /replaced/)
    assert.equal(second.isClosed, false)
  })

  test('prepares to a replaced app reach only the new connection (ilp-plugin-btp both)', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice', { token: 'a' })
    // The first instance would reconnect at once and take the name back; a long interval keeps it down.
    const first = await h.app('carol', { token: 'tok', reconnectIntervals: [60_000] })
    assert.equal((await alice.pay(`${LOCAL}.carol`, 1)).type, 'fulfill')
    assert.equal(first.calls, 1)
    const second = await h.app('carol', { token: 'tok' })
    for (let i = 0; i < 3; i++) {
      const reply = await alice.pay(`${LOCAL}.carol`, 2)
      assert.equal(reply.type, 'fulfill')
    }
    assert.equal(second.calls, 3)
    assert.equal(first.calls, 1, 'the replaced connection got nothing more')
    assert.equal(h.j.accounts.get('carol')!.balance, -7n)
  })

  test('an unregistered name with a different token is refused while the first is live; the first keeps working', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice', { token: 'a' })
    const dave = await h.app('dave', { token: 'token-1' })
    await assertRefused(h, 'dave', 'token-2', 'F00', /app "dave" is already connected with a different token/)
    const reply = await alice.pay(`${LOCAL}.dave`, 5)
    assert.equal(reply.type, 'fulfill')
    assert.equal(dave.calls, 1)

    // Once it disconnected, the name is free for another token (name-based identity, as ilp-plugin needs).
    await dave.stop()
    await eventually(() => h.j.accounts.get('dave')!.link === undefined, 3000, 'dave to be detached')
    const dave2 = await h.app('dave', { token: 'token-2' })
    assert.equal((await alice.pay(`${LOCAL}.dave`, 5)).type, 'fulfill')
    assert.equal(dave2.calls, 1)
    assert.equal(dave.calls, 1)
    assert.equal(h.j.accounts.get('dave')!.balance, -10n, 'same account, same books')
  })
})

describe('browser origins', () => {
  test('an upgrade with a foreign Origin is refused with 403; an allowed one and none are accepted', async (t) => {
    const h = await localJunction(t, { allowOrigins: ['https://good.example'] })
    for (const origin of ['https://evil.example', 'http://good.example', 'https://good.example.evil.example', 'null']) {
      await assert.rejects(h.open({ origin }), /Unexpected server response: 403/, `origin ${origin}`)
    }
    assert.equal(h.j.accounts.size, 0)

    const allowed = await h.open({ origin: 'https://good.example' })
    assert.equal((await allowed.auth('webapp', 'w')).type, Btp.TYPE_RESPONSE)
    const plain = await h.open()
    assert.equal((await plain.auth('nodeapp', 'n')).type, Btp.TYPE_RESPONSE)
    assert.ok(h.j.accounts.get('webapp')?.link?.open)
    assert.ok(h.j.accounts.get('nodeapp')?.link?.open)
  })

  test('with no allowed origins, every browser Origin is refused', async (t) => {
    const h = await localJunction(t)
    await assert.rejects(h.open({ origin: 'http://localhost:3000' }), /Unexpected server response: 403/)
  })
})

describe('loopback only', () => {
  test('listens on 127.0.0.1 and ::1, and not on the machine’s other addresses', async (t) => {
    const h = await localJunction(t)
    assert.deepEqual(h.j.listeningHosts, ['127.0.0.1', '::1'])
    const v6 = await RawBtpClient.open(`ws://[::1]:${h.j.port}`)
    t.after(() => v6.terminate())
    assert.equal((await v6.auth('six', 's')).type, Btp.TYPE_RESPONSE)

    const external = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal && (i.family === 'IPv4' || !i.address.startsWith('fe80')))
    const ipv4 = external.find((i) => i!.family === 'IPv4')
    if (!ipv4) {
      t.skip('no non-loopback IPv4 address on this machine')
      return
    }
    for (const iface of external) {
      const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
        const socket = netConnect({ host: iface!.address, port: h.j.port, timeout: 2000 })
        socket.once('connect', () => {
          socket.destroy()
          resolve(undefined)
        })
        socket.once('timeout', () => {
          socket.destroy()
          resolve(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))
        })
        socket.once('error', (e) => resolve(e))
      })
      assert.ok(err, `connecting to ${iface!.address}:${h.j.port} must fail`)
      const expected = ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']
      assert.ok(expected.includes(err.code ?? ''), `${iface!.address}: ${err.code}`)
    }
  })
})
