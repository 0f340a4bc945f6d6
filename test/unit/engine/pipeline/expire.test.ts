import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import * as IlpPacket from 'ilp-packet'
import { fulfillReply } from '../../../../app/main/engine/ilp/packets'
import { createExpireMiddleware } from '../../../../app/main/engine/pipeline/expire'
import { account, context, MemoryLink, reject, sleep } from '../../factories'

function outgoing(expiresInMs: number) {
  const m = createExpireMiddleware(reject)
  const to = account('bob')
  const link = new MemoryLink(undefined, { hold: true })
  to.link = link
  const ctx = context(account('alice'))
  ctx.to = to
  ctx.outRequestId = 42
  ctx.outExpiresAt = Date.now() + expiresInMs
  assert.equal(m.outgoing!(ctx), undefined)
  return { m, ctx, link }
}

describe('expire middleware', () => {
  it('rejects with R00 through settle at the outgoing expiry and stops waiting for the next hop', async () => {
    const { ctx, link } = outgoing(20)
    await sleep(5)
    assert.equal(ctx.settled.length, 0)
    await sleep(40)
    assert.equal(ctx.settled.length, 1)
    const r = IlpPacket.deserializeIlpReject(ctx.settled[0].raw)
    assert.equal(r.code, 'R00')
    assert.deepEqual(link.forgotten, [42])
  })

  it('does nothing once a reply came first', async () => {
    const { m, ctx, link } = outgoing(20)
    const reply = fulfillReply(Buffer.alloc(32), Buffer.alloc(0))
    assert.equal(m.reply!(ctx, reply), reply)
    assert.equal(ctx.expiryTimer, undefined)
    await sleep(40)
    assert.equal(ctx.settled.length, 0)
    assert.deepEqual(link.forgotten, [])
  })

  it('does not settle a packet already marked done', async () => {
    const { ctx } = outgoing(10)
    ctx.done = true
    await sleep(30)
    assert.equal(ctx.settled.length, 0)
  })

  it('fires at once for an expiry already past', async () => {
    const { ctx } = outgoing(-100)
    await sleep(5)
    assert.equal(ctx.settled.length, 1)
    assert.equal(ctx.settled[0].code, 'R00')
  })
})
