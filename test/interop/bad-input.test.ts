// Malformed input on the app port, sent with a raw WebSocket + btp-packet client: garbage frames, text messages,
// ILP payloads that are not prepares, Transfers, missing auth, and a bounded fuzz loop. Junction must answer with a
// BTP Error or an ILP Reject naming the problem, keep the connection usable, and keep serving real apps.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import * as Btp from 'btp-packet'
import { createConnector } from '../../app/main/engine/connector'
import {
  authFrame,
  eventually,
  fulfillPacket,
  type Frame,
  ilpMessageFrame,
  ilpOf,
  makePrepare,
  newCondition,
  RawBtpClient,
  readIlpReply,
  rejectPacket,
  localJunction,
} from '../support/raw-btp'

const LOCAL = 'private.junction'



function assertBtpError(frame: Frame, code: string, requestId: number, message: RegExp): void {
  assert.equal(frame.type, Btp.TYPE_ERROR, `expected a BTP Error, got frame type ${frame.type}`)
  assert.equal(frame.error!.code, code, `code (message: ${frame.error!.data})`)
  assert.equal(frame.requestId, requestId)
  assert.match(frame.error!.data, message)
}

/** The connection still carries packets: a valid prepare to `to` is forwarded and fulfilled. */
async function assertUsable(client: RawBtpClient, to: string): Promise<void> {
  const reply = await client.sendPrepare(makePrepare({ destination: to, amount: 1 }))
  assert.equal(reply.type, 'fulfill', reply.type === 'reject' ? `${reply.code} ${reply.message}` : '')
}

/** A small seeded PRNG (mulberry32), so a failing fuzz run can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = a
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

describe('malformed frames after auth', () => {
  test('random bytes → BTP Error F01 with the same request id; the connection stays usable', async (t) => {
    const h = await localJunction(t)
    await h.app('bob')
    const client = await h.raw('alice')
    let sent = 0
    while (sent < 20) {
      const frame = randomBytes(5 + Math.floor(Math.random() * 200))
      let readable = true
      try {
        Btp.deserialize(frame)
      } catch {
        readable = false
      }
      if (readable) continue // a random frame that happens to parse is not garbage
      const requestId = frame.readUInt32BE(1)
      client.send(frame)
      assertBtpError(await client.waitFor((f) => f.requestId === requestId), 'F01', requestId, /invalid BTP frame/)
      sent++
    }
    // Too short to carry a request id: answered with request id 0.
    client.send(Buffer.from([6, 1, 2]))
    assertBtpError(await client.waitFor(), 'F01', 0, /invalid BTP frame/)
    // A Message whose protocol data length claims far more than is there.
    client.send(Buffer.concat([Buffer.from([Btp.TYPE_MESSAGE, 0, 0, 0x30, 0x39, 0x84, 0xff, 0xff, 0xff, 0xff]), randomBytes(16)]))
    assertBtpError(await client.waitFor(), 'F01', 12345, /invalid BTP frame/)
    assert.equal(client.isClosed, false)
    await assertUsable(client, `${LOCAL}.bob`)
  })

  test('a text WebSocket message → BTP Error F01; the connection stays usable', async (t) => {
    const h = await localJunction(t)
    await h.app('bob')
    const client = await h.raw('alice')
    client.send('{"type":"prepare","amount":"10"}')
    assertBtpError(await client.waitFor(), 'F01', 0, /must be binary/)
    await assertUsable(client, `${LOCAL}.bob`)
  })

  test('an ILP payload that is not a valid prepare', async (t) => {
    const h = await localJunction(t)
    const bob = await h.app('bob')
    const client = await h.raw('alice')

    // Starts like a prepare, then garbage: an ILP Reject F01 from Junction.
    const broken = Buffer.concat([Buffer.from([12, 0x40]), randomBytes(30)])
    let frame = await client.sendIlp(broken, 501)
    assert.equal(frame.type, Btp.TYPE_RESPONSE)
    const reply = readIlpReply(ilpOf(frame)!)
    assert.equal(reply.type, 'reject')
    if (reply.type === 'reject') {
      assert.equal(reply.code, 'F01')
      assert.equal(reply.triggeredBy, LOCAL)
      assert.match(reply.message, /invalid ILP prepare/)
    }

    // A valid prepare cut short.
    const truncated = makePrepare({ destination: `${LOCAL}.bob`, amount: 5 }).subarray(0, 40)
    frame = await client.sendIlp(truncated, 502)
    const reply2 = readIlpReply(ilpOf(frame)!)
    assert.ok(reply2.type === 'reject' && reply2.code === 'F01', 'a truncated prepare is an F01 reject')

    // Not a prepare at all: a BTP Error.
    frame = await client.sendIlp(Buffer.concat([Buffer.from([0x99]), randomBytes(20)]), 503)
    assertBtpError(frame, 'F01', 503, /must carry an ILP Prepare \(type 12\), got type 153/)

    // A Fulfill (and a Reject) inside a Message.
    frame = await client.sendIlp(fulfillPacket(randomBytes(32)), 504)
    assertBtpError(frame, 'F01', 504, /got type 13/)
    frame = await client.sendIlp(rejectPacket('F99', 'test.x', 'nope'), 505)
    assertBtpError(frame, 'F01', 505, /got type 14/)

    // An empty ILP payload.
    frame = await client.sendIlp(Buffer.alloc(0), 506)
    assertBtpError(frame, 'F01', 506, /ilp protocol data is empty: expected an ILP Prepare/)

    // A Message without an ILP packet (a side protocol Junction does not speak) is acknowledged, empty.
    const custom = { protocolName: 'custom', contentType: Btp.MIME_TEXT_PLAIN_UTF8, data: Buffer.from('hi') }
    client.send(Btp.serializeMessage(507, [custom]))
    frame = await client.waitFor((f) => f.requestId === 507)
    assert.equal(frame.type, Btp.TYPE_RESPONSE)
    assert.equal(frame.protocolData.length, 0)

    assert.equal(bob.calls, 0, 'nothing malformed was forwarded')
    assert.equal(h.j.accounts.get('alice')!.balance, 0n)
    await assertUsable(client, `${LOCAL}.bob`)
    assert.equal(h.j.accounts.get('alice')!.balance, 1n)
  })

  test('a BTP Transfer → BTP Error F00, and no balance moves', async (t) => {
    const h = await localJunction(t)
    await h.app('bob')
    const client = await h.raw('alice')
    client.send(Btp.serializeTransfer({ amount: '1000' }, 77, []))
    assertBtpError(await client.waitFor((f) => f.requestId === 77), 'F00', 77, /Transfer is not accepted/)
    assert.equal(h.j.accounts.get('alice')!.balance, 0n)
    await assertUsable(client, `${LOCAL}.bob`)
  })

  test('Responses and Errors for request ids Junction never used are ignored', async (t) => {
    const h = await localJunction(t)
    await h.app('bob')
    const client = await h.raw('alice')
    client.send(Btp.serializeResponse(424242, [{ protocolName: 'ilp', contentType: 0, data: fulfillPacket(randomBytes(32)) }]))
    const error = { code: 'F00', name: 'NotAcceptedError', triggeredAt: new Date().toISOString(), data: 'x' }
    client.send(Btp.serializeError(error, 424243, []))
    await assertUsable(client, `${LOCAL}.bob`)
    assert.equal(client.unread.length, 0, 'no answer to an answer')
  })

  test('a frame above the size limit closes that connection only (1009)', async (t) => {
    const h = await localJunction(t)
    await h.app('bob')
    const client = await h.raw('alice')
    client.send(ilpMessageFrame(randomBytes(200 * 1024), 9))
    const closed = await client.closed
    assert.equal(closed.code, 1009)
    const again = await h.raw('alice')
    await assertUsable(again, `${LOCAL}.bob`)
  })
})

describe('fuzz', () => {
  test('500 mutated prepare frames never crash the node; apps keep paying afterwards', async (t) => {
    const h = await localJunction(t)
    const bob = await h.app('bob')
    const fuzzer = await h.raw('fuzzer')
    // A mutated frame may turn into a prepare addressed to the fuzzer itself: answer it, so nothing stays on hold.
    fuzzer.onPrepare = () => rejectPacket('F99', `${LOCAL}.fuzzer`, 'fuzzer does not accept payments')
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
    const rand = prng(seed)
    const int = (n: number) => Math.floor(rand() * n)
    const { condition } = newCondition()
    const base = ilpMessageFrame(makePrepare({ destination: `${LOCAL}.bob`, amount: 3, condition }), 1)

    for (let i = 0; i < 500; i++) {
      let frame = Buffer.from(base)
      const kind = int(5)
      if (kind === 0) {
        for (let k = 1 + int(4); k > 0; k--) frame[int(frame.length)] ^= 1 << int(8)
      } else if (kind === 1) {
        frame = frame.subarray(0, int(frame.length))
      } else if (kind === 2) {
        frame = Buffer.concat([frame, randomBytes(1 + int(600))])
      } else if (kind === 3) {
        const at = int(frame.length)
        frame[at] = [0x00, 0x7f, 0x80, 0xff][int(4)]
      } else {
        const at = int(frame.length)
        frame = Buffer.concat([frame.subarray(0, at), randomBytes(1 + int(40)), frame.subarray(at + int(10))])
      }
      fuzzer.send(frame)
    }
    // The sentinel: processed after all of the above.
    const sentinel = await fuzzer.sendPrepare(makePrepare({ destination: `${LOCAL}.bob`, amount: 1 }), 10_000)
    assert.equal(sentinel.type, 'fulfill', `seed ${seed}: the fuzzing connection still works`)
    assert.equal(fuzzer.isClosed, false, `seed ${seed}`)
    for (const f of fuzzer.unread) assert.notEqual(f.type, -1, `seed ${seed}: Junction only sends readable BTP frames`)
    const byType = new Map<number, number>()
    for (const f of fuzzer.unread) byType.set(f.type, (byType.get(f.type) ?? 0) + 1)
    const answers = JSON.stringify([...byType])
    t.diagnostic(`fuzz seed ${seed} (replay with FUZZ_SEED): answers by BTP type ${answers}; bob saw ${bob.calls} prepares`)

    // Another real app still pays, and a new raw connection works.
    const carol = await h.app('carol')
    const paid = await carol.pay(`${LOCAL}.bob`, 4)
    assert.equal(paid.type, 'fulfill')
    const fresh = await h.raw('fresh')
    await assertUsable(fresh, `${LOCAL}.bob`)

    // Books stay consistent: whatever was fulfilled moved the sender up and bob down by the same amount.
    const idle = () => [...h.j.accounts.values()].every((a) => a.pendingIncoming === 0n && a.pendingOutgoing === 0n)
    await eventually(idle, 5000, 'no packet in flight')
    const total = [...h.j.accounts.values()].reduce((s, a) => s + a.balance, 0n)
    assert.equal(total, 0n, `seed ${seed}: balances sum to zero`)
    assert.equal(h.j.accounts.get('carol')!.balance, 4n)
    assert.ok(bob.calls >= 3)
  })
})

describe('auth frame problems', () => {
  test('first frame not auth (a prepare) → BTP Error F01 and close', async (t) => {
    const h = await localJunction(t)
    const client = await RawBtpClient.open(h.wsUrl)
    t.after(() => client.terminate())
    client.send(ilpMessageFrame(makePrepare({ destination: `${LOCAL}.bob`, amount: 1 }), 31))
    assertBtpError(await client.waitFor(), 'F01', 31, /first protocol must be 'auth'/)
    assert.equal((await client.closed).code, 1008)
  })

  test('first frame garbage, text, or a Transfer → BTP Error and close', async (t) => {
    const h = await localJunction(t)
    const cases: Array<{ send: Buffer | string; code: string; requestId: number; message: RegExp }> = [
      { send: Buffer.from([0xee, 0, 0, 0, 9, 1, 2, 3]), code: 'F01', requestId: 9, message: /invalid BTP frame/ },
      { send: 'hello', code: 'F01', requestId: 0, message: /binary BTP auth message/ },
      { send: Btp.serializeTransfer({ amount: '5' }, 12, []), code: 'F01', requestId: 12, message: /must be a BTP Message/ },
      { send: authFrame('alice', undefined, 13), code: 'F01', requestId: 13, message: /auth_token is missing/ },
      { send: authFrame('', '', 14), code: 'F01', requestId: 14, message: /both empty/ },
    ]
    for (const c of cases) {
      const client = await RawBtpClient.open(h.wsUrl)
      t.after(() => client.terminate())
      client.send(c.send)
      assertBtpError(await client.waitFor(), c.code, c.requestId, c.message)
      assert.equal((await client.closed).code, 1008)
    }
    assert.equal(h.j.accounts.has('alice'), false, 'a refused auth creates no account')
  })

  test('a prepare pipelined right behind the auth frame (one write) is handled', async (t) => {
    const h = await localJunction(t)
    const bob = await h.app('bob')
    const client = await RawBtpClient.open(h.wsUrl)
    t.after(() => client.terminate())
    const prepare = makePrepare({ destination: `${LOCAL}.bob`, amount: 2 })
    // Two WebSocket messages in one TCP write: ws emits them back to back.
    const socket = (client.ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket
    socket.cork()
    client.send(authFrame('alice', 'alice-token', 1))
    client.send(ilpMessageFrame(prepare, 2))
    socket.uncork()
    assert.equal((await client.waitFor((f) => f.requestId === 1)).type, Btp.TYPE_RESPONSE)
    const answer = await client.waitFor((f) => f.requestId === 2)
    assert.equal(answer.type, Btp.TYPE_RESPONSE)
    assert.equal(readIlpReply(ilpOf(answer)!).type, 'fulfill')
    assert.equal(bob.calls, 1)
  })

  test('a connection that never authenticates is closed after the auth timeout', async (t) => {
    const j = createConnector({ port: 0, hosts: ['127.0.0.1'], authTimeoutMs: 300 })
    await j.start()
    t.after(() => j.stop())
    const url = `ws://127.0.0.1:${j.port}`
    const silent = await RawBtpClient.open(url)
    const started = Date.now()
    const closed = await silent.closed
    const elapsed = Date.now() - started
    assert.equal(closed.code, 1008)
    assert.match(closed.reason, /no BTP auth/)
    assert.ok(elapsed >= 250 && elapsed < 3000, `closed after ${elapsed} ms`)
    // A client that authenticates in time is admitted, and stays connected past the timeout.
    const ok = await RawBtpClient.connect(url, 'alice', 'token')
    t.after(() => ok.terminate())
    await new Promise((r) => setTimeout(r, 400))
    assert.equal(ok.isClosed, false, 'the auth timer is cleared once authenticated')
    assert.ok(j.accounts.get('alice')?.link?.open, 'alice is attached to her account')
  })
})
