// BtpSession.closeWhenAnswered on a real WebSocket: when a session that must close (Junction's address changed) closes.
// It must never close while a packet is unanswered either way, nor while the peer is busy sending (ilp-plugin-btp
// loses a packet written while its socket closes); it closes once the peer is idle, or right after refusing the
// peer's packets twice (the peer then waits before retrying), and at the deadline whatever is left.
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { test, type TestContext } from 'node:test'
import { WebSocketServer } from 'ws'
import * as Btp from 'btp-packet'
import { BtpSession } from '../../../../app/main/engine/btp/btp-session'
import { fulfillPacket, makePrepare, newCondition, RawBtpClient, readIlpReply, rejectPacket } from '../../../support/raw-btp'

const T03 = rejectPacket('T03', 'test.j', 'busy: reconnect')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Pair {
  session: BtpSession
  client: RawBtpClient
  /** Prepares the session received and has not answered: call one to answer it. */
  unanswered: Array<(reply: Buffer) => void>
  /** When the session closed (Date.now()), once it has. */
  closedAt(): number | undefined
}

/** A BtpSession on the server side of a real WebSocket, and a raw BTP client on the other side. */
async function pair(t: TestContext, autoFulfill: boolean): Promise<Pair> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((r) => wss.once('listening', () => r()))
  t.after(() => new Promise<void>((r) => wss.close(() => r())))
  const unanswered: Pair['unanswered'] = []
  let closedAt: number | undefined
  const sessionReady = new Promise<BtpSession>((resolve) =>
    wss.once('connection', (ws) => {
      const session = new BtpSession(
        ws,
        (prepare, answer) => {
          if (autoFulfill) answer(fulfillPacket(Buffer.alloc(32)))
          else unanswered.push(answer)
        },
        () => (closedAt = Date.now()),
      )
      resolve(session)
    }),
  )
  const client = await RawBtpClient.open(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`)
  t.after(() => client.terminate())
  return { session: await sessionReady, client, unanswered, closedAt: () => closedAt }
}

function prepare(): Buffer {
  return makePrepare({ destination: 'test.j.x', amount: 1, condition: newCondition().condition })
}

test('waits for a prepare the peer sent to be answered, then for the peer to be idle', async (t) => {
  const p = await pair(t, false)
  const reply = p.client.sendPrepare(prepare())
  while (p.unanswered.length === 0) await sleep(5)
  p.session.closeWhenAnswered(1012, 'address changed', () => T03, () => T03, 5000)
  await sleep(400)
  assert.equal(p.client.isClosed, false, 'open while its packet is unanswered')
  p.unanswered[0](fulfillPacket(Buffer.alloc(32)))
  assert.equal((await reply).type, 'fulfill', 'the answer reaches the peer')
  const answeredAt = Date.now()
  const { code, reason } = await p.client.closed
  assert.equal(code, 1012)
  assert.equal(reason, 'address changed')
  assert.ok(p.closedAt()! - answeredAt >= 200, 'closed once the peer had been quiet, not on the answer itself')
})

test('waits for a prepare it sent the peer to be answered', async (t) => {
  const p = await pair(t, true)
  // The peer holds our prepare: it notes the request id and answers when the test says.
  const held: number[] = []
  p.client.ws.on('message', (data) => {
    const frame = Btp.deserialize(data as Buffer)
    if (frame.type === Btp.TYPE_MESSAGE) held.push(frame.requestId)
  })
  let answered: Error | Buffer | null | undefined
  p.session.sendPrepare(prepare(), (err, reply) => (answered = err ?? reply))
  while (held.length === 0) await sleep(5)
  p.session.closeWhenAnswered(1012, 'address changed', () => T03, () => T03, 5000)
  await sleep(400)
  assert.equal(p.client.isClosed, false, 'open while our packet to the peer is unanswered')
  p.client.send(Btp.serializeResponse(held[0], [{ protocolName: 'ilp', contentType: Btp.MIME_APPLICATION_OCTET_STREAM, data: rejectPacket('F99', 'test.peer', 'no') }]))
  await p.client.closed
  assert.ok(Buffer.isBuffer(answered), 'the peer’s answer was taken before the close')
  assert.equal(readIlpReply(answered as Buffer).type, 'reject')
})

test('does not close a peer that keeps sending while packets are still forwarded', async (t) => {
  const p = await pair(t, true)
  p.session.closeWhenAnswered(1012, 'address changed', () => T03, () => T03, 5000)
  // A sender with short pauses between its packets, for most of the forwarding second.
  for (let i = 0; i < 12; i++) {
    const reply = await p.client.sendPrepare(prepare())
    assert.equal(reply.type, 'fulfill', `packet ${i} forwarded as usual`)
    await sleep(50)
  }
  assert.equal(p.client.isClosed, false)
})

test('after the forwarding second, refuses the peer’s packets and closes right after the second refusal', async (t) => {
  const p = await pair(t, true)
  p.session.closeWhenAnswered(1012, 'address changed', (ilp) => (ilp.length > 0 ? T03 : undefined), () => T03, 5000)
  // Busy through the forwarding second, until its first refusal.
  let first = await p.client.sendPrepare(prepare())
  let forwarded = 0
  while (first.type === 'fulfill') {
    forwarded++
    await sleep(50)
    first = await p.client.sendPrepare(prepare())
  }
  assert.ok(forwarded >= 1, 'forwarded as usual first')
  assert.equal(first.type === 'reject' && first.code, 'T03')
  await sleep(20)
  assert.equal(p.client.isClosed, false, 'still open after one refusal')
  const second = await p.client.sendPrepare(prepare())
  assert.equal(second.type === 'reject' && second.code, 'T03', 'the second refusal is read before the close')
  const { code } = await p.client.closed
  assert.equal(code, 1012)
})

test('closes at the deadline with a packet still unanswered, and fails our own waiting packets', async (t) => {
  const p = await pair(t, false)
  let ours: Error | null | undefined
  p.session.sendPrepare(prepare(), (err) => (ours = err))
  void p.client.sendPrepare(prepare()).catch(() => {})
  while (p.unanswered.length === 0) await sleep(5)
  p.session.closeWhenAnswered(1012, 'address changed', () => T03, () => T03, 600)
  const { code } = await p.client.closed
  assert.equal(code, 1012)
  assert.match(String(ours?.message), /link closed \(1012/)
  assert.equal(p.session.open, false)
})
