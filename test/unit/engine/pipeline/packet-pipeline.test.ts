import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import * as IlpPacket from 'ilp-packet'
import type { Account } from '../../../../app/main/engine/accounts/account'
import { type BalanceStore, MemoryBalanceStore } from '../../../../app/main/engine/balances/balance-store'
import { IlpFailure, IlpFailureError } from '../../../../app/main/engine/ilp/ilp-failure'
import { type Prepare, writePrepare } from '../../../../app/main/engine/ilp/packets'
import { createChain } from '../../../../app/main/engine/pipeline/chain'
import type { Middleware } from '../../../../app/main/engine/pipeline/packet-context'
import { PacketPipeline } from '../../../../app/main/engine/pipeline/packet-pipeline'
import { createOneToOneRates } from '../../../../app/main/engine/rates/one-to-one'
import { Router } from '../../../../app/main/engine/routing/router'
import { RoutingTable } from '../../../../app/main/engine/routing/routing-table'
import { account, MemoryLink, OWN_ADDRESS, prepare, reject, secret, sleep, tick } from '../../factories'

const BOB = `${OWN_ADDRESS}.bob`

interface Setup {
  alice: Account
  bob: Account
  parent: Account
  pipeline: PacketPipeline
}

function setup(
  opts: {
    bobLink?: MemoryLink
    parentLink?: MemoryLink
    chain?: Middleware[]
    balances?: BalanceStore
    minMessageWindowMs?: number
    maxHoldTimeMs?: number
    aliceLimits?: Account['limits']
  } = {},
): Setup {
  const alice = account('alice', { limits: opts.aliceLimits })
  const bob = account('bob')
  const parent = account('parent', { relation: 'parent', assetScale: 6 })
  alice.link = new MemoryLink(() => new Error('alice is not expected to receive anything'))
  bob.link = opts.bobLink ?? new MemoryLink(() => new Error('no answer configured'))
  parent.link = opts.parentLink ?? new MemoryLink(() => new Error('no answer configured'))
  const accounts = new Map<string, Account>([alice, bob, parent].map((a) => [a.id, a]))
  const table = new RoutingTable()
  table.add({ prefix: '', accountId: 'parent', source: 'parent' })
  table.add({ prefix: OWN_ADDRESS, accountId: '', source: 'local' })
  table.add({ prefix: `${OWN_ADDRESS}.alice`, accountId: 'alice', source: 'child' })
  table.add({ prefix: BOB, accountId: 'bob', source: 'child' })
  const router = new Router({
    own: { address: OWN_ADDRESS, assetCode: 'XRP', assetScale: 9 },
    table,
    accounts,
    rates: createOneToOneRates('0'),
    minMessageWindowMs: opts.minMessageWindowMs ?? 1000,
    maxHoldTimeMs: opts.maxHoldTimeMs ?? 30_000,
  })
  const chain =
    opts.chain ?? createChain({ balances: opts.balances ?? new MemoryBalanceStore(), deduplicate: { maxEntries: 100, maxAgeMs: 30_000 }, reject })
  return { alice, bob, parent, pipeline: new PacketPipeline(chain, router, reject) }
}

/** Sends raw bytes from `from`; the returned list fills with every reply the pipeline gives. */
function sendRaw(s: Setup, from: Account, raw: Buffer): { replies: Buffer[]; first: Promise<Buffer> } {
  const replies: Buffer[] = []
  const first = new Promise<Buffer>((resolve) => {
    s.pipeline.handle(from, raw, (r) => {
      replies.push(r)
      resolve(r)
    })
  })
  return { replies, first }
}

const send = (s: Setup, from: Account, p: Partial<Prepare>) => sendRaw(s, from, writePrepare(prepare(p)))

const fulfillWith = (fulfillment: Buffer, data = Buffer.from('receipt')) => () => IlpPacket.serializeIlpFulfill({ fulfillment, data })

function rejectCode(raw: Buffer): string {
  assert.equal(raw[0], IlpPacket.Type.TYPE_ILP_REJECT, `expected a reject, got type ${raw[0]}`)
  return IlpPacket.deserializeIlpReject(raw).code
}

describe('packet pipeline: forwarding with the real chain', () => {
  it('forwards a prepare, passes the fulfill back and commits both balances', async () => {
    const { fulfillment, condition } = secret()
    const bobLink = new MemoryLink(fulfillWith(fulfillment))
    const s = setup({ bobLink })
    const expiresAt = Date.now() + 20_000
    const { replies, first } = send(s, s.alice, { amount: 500n, destination: `${BOB}.x`, executionCondition: condition, expiresAt, data: Buffer.from('d') })
    const raw = await first
    const fulfill = IlpPacket.deserializeIlpFulfill(raw)
    assert.deepEqual(fulfill.fulfillment, fulfillment)
    assert.deepEqual(fulfill.data, Buffer.from('receipt'))

    assert.equal(bobLink.sent.length, 1)
    const out = IlpPacket.deserializeIlpPrepare(bobLink.sent[0])
    assert.equal(out.amount, '500')
    assert.equal(out.destination, `${BOB}.x`)
    assert.deepEqual(out.executionCondition, condition)
    assert.deepEqual(out.data, Buffer.from('d'))
    assert.equal(out.expiresAt.getTime(), expiresAt - 1000)

    assert.equal(s.alice.balance, 500n)
    assert.equal(s.bob.balance, -500n)
    assert.equal(s.alice.pendingIncoming, 0n)
    assert.equal(s.bob.pendingOutgoing, 0n)
    assert.equal(s.alice.stats.fulfilledIn, 1)
    assert.equal(s.bob.stats.preparesOut, 1)
    assert.equal(s.bob.stats.fulfilledOut, 1)
    await sleep(5)
    assert.equal(replies.length, 1)
  })

  it('converts the amount for a next hop with another scale', async () => {
    const { fulfillment, condition } = secret()
    const parentLink = new MemoryLink(fulfillWith(fulfillment))
    const s = setup({ parentLink })
    await send(s, s.alice, { amount: 1_234_567n, destination: 'g.shop', executionCondition: condition }).first
    assert.equal(IlpPacket.deserializeIlpPrepare(parentLink.sent[0]).amount, '1234')
    assert.equal(s.parent.balance, -1234n)
    assert.equal(s.alice.balance, 1_234_567n)
  })

  it('passes a reject back unchanged and moves no balance', async () => {
    const rejectRaw = IlpPacket.serializeIlpReject({ code: 'F99', triggeredBy: 'g.far', message: 'nope', data: Buffer.from('x') })
    const s = setup({ bobLink: new MemoryLink(() => rejectRaw) })
    const raw = await send(s, s.alice, { destination: BOB }).first
    assert.deepEqual(raw, rejectRaw)
    assert.equal(s.alice.balance, 0n)
    assert.equal(s.bob.balance, 0n)
    assert.equal(s.alice.pendingIncoming, 0n)
    assert.equal(s.bob.pendingOutgoing, 0n)
    assert.equal(s.alice.stats.rejectsByCode.get('F99'), 1)
  })

  it('turns a fulfill with the wrong fulfillment into F05 and moves no balance', async () => {
    const s = setup({ bobLink: new MemoryLink(fulfillWith(secret().fulfillment)) })
    const raw = await send(s, s.alice, { destination: BOB, executionCondition: secret().condition }).first
    assert.equal(rejectCode(raw), 'F05')
    assert.equal(s.alice.balance, 0n)
    assert.equal(s.bob.balance, 0n)
  })

  it('answers T01 when the link fails and T00 when the next hop sends garbage', async () => {
    const s1 = setup({ bobLink: new MemoryLink(() => new Error('socket closed')) })
    assert.equal(rejectCode(await send(s1, s1.alice, { destination: BOB }).first), 'T01')
    assert.equal(s1.alice.pendingIncoming, 0n)
    const s2 = setup({ bobLink: new MemoryLink(() => Buffer.from('garbage')) })
    assert.equal(rejectCode(await send(s2, s2.alice, { destination: BOB }).first), 'T00')
    assert.equal(s2.bob.pendingOutgoing, 0n)
  })

  it('rejects an invalid ILP prepare with F01 from this node, once', async () => {
    const s = setup()
    for (const raw of [Buffer.from('not a packet'), Buffer.alloc(0), IlpPacket.serializeIlpFulfill({ fulfillment: Buffer.alloc(32), data: Buffer.alloc(0) })]) {
      const { replies, first } = sendRaw(s, s.alice, raw)
      const r = IlpPacket.deserializeIlpReject(await first)
      assert.equal(r.code, 'F01')
      assert.equal(r.triggeredBy, OWN_ADDRESS)
      await tick()
      assert.equal(replies.length, 1)
    }
  })

  it('refuses before forwarding: F02 without a route, F08 above the maximum packet amount', async () => {
    const bobLink = new MemoryLink(fulfillWith(secret().fulfillment))
    const s = setup({ bobLink, aliceLimits: { maxPacketAmount: 1000n } })
    assert.equal(rejectCode(await send(s, s.alice, { destination: `${OWN_ADDRESS}.nobody` }).first), 'F02')
    const f08 = IlpPacket.deserializeIlpReject(await send(s, s.alice, { destination: BOB, amount: 1001n }).first)
    assert.equal(f08.code, 'F08')
    assert.equal(f08.data.readBigUInt64BE(0), 1001n)
    assert.equal(f08.data.readBigUInt64BE(8), 1000n)
    assert.equal(bobLink.sent.length, 0)
    assert.equal(s.alice.pendingIncoming, 0n)
  })

  it('answers T00 instead of the fulfill when the balance store throws, and moves no balance', async () => {
    const { fulfillment, condition } = secret()
    const s = setup({
      bobLink: new MemoryLink(fulfillWith(fulfillment)),
      balances: {
        load: () => 0n,
        recordFulfill() {
          throw new Error('database is locked')
        },
        recordReject() {},
        pending: false,
        unavailable: undefined,
        whenDurable: (cb) => cb(),
      },
    })
    const r = IlpPacket.deserializeIlpReject(await send(s, s.alice, { destination: BOB, executionCondition: condition }).first)
    assert.equal(r.code, 'T00')
    assert.match(r.message, /database is locked/)
    assert.equal(s.alice.balance, 0n)
    assert.equal(s.bob.balance, 0n)
    assert.equal(s.alice.pendingIncoming, 0n)
    assert.equal(s.bob.pendingOutgoing, 0n)
  })

  it('forwards a retransmitted copy once and answers both with the same reply', async () => {
    const { fulfillment, condition } = secret()
    const bobLink = new MemoryLink(undefined, { hold: true })
    const s = setup({ bobLink })
    const raw = writePrepare(prepare({ destination: BOB, executionCondition: condition, amount: 70n }))
    const a = sendRaw(s, s.alice, raw)
    const b = sendRaw(s, s.alice, raw)
    assert.equal(bobLink.sent.length, 1)
    bobLink.held[0].cb(null, IlpPacket.serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) }))
    const [ra, rb] = await Promise.all([a.first, b.first])
    assert.deepEqual(IlpPacket.deserializeIlpFulfill(ra).fulfillment, fulfillment)
    assert.deepEqual(rb, ra)
    // Paid once.
    assert.equal(s.alice.balance, 70n)
    assert.equal(s.bob.balance, -70n)
    // A copy after the reply gets it from the cache, still without forwarding.
    assert.deepEqual(await sendRaw(s, s.alice, raw).first, ra)
    assert.equal(bobLink.sent.length, 1)
    assert.equal(s.alice.balance, 70n)
  })

  it('answers R00 at expiry and exactly once, even when the next hop answers afterwards', async () => {
    const { fulfillment, condition } = secret()
    const bobLink = new MemoryLink(undefined, { hold: true })
    const s = setup({ bobLink, minMessageWindowMs: 10, maxHoldTimeMs: 40 })
    const { replies, first } = send(s, s.alice, { destination: BOB, executionCondition: condition, amount: 9n })
    assert.equal(bobLink.sent.length, 1)
    const raw = await first
    assert.equal(rejectCode(raw), 'R00')
    assert.deepEqual(bobLink.forgotten, [bobLink.held[0].requestId])
    // The next hop's late fulfill is dropped.
    bobLink.held[0].cb(null, IlpPacket.serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) }))
    await sleep(10)
    assert.equal(replies.length, 1)
    assert.equal(s.alice.balance, 0n)
    assert.equal(s.bob.balance, 0n)
    assert.equal(s.alice.pendingIncoming, 0n)
    assert.equal(s.bob.pendingOutgoing, 0n)
  })
})

describe('packet pipeline: hooks', () => {
  function recorder(log: string[], name: string, hooks: Partial<Middleware> = {}): Middleware {
    return {
      name,
      incoming: (ctx) => {
        log.push(`in:${name}`)
        return hooks.incoming?.(ctx)
      },
      outgoing: (ctx) => {
        log.push(`out:${name}`)
        return hooks.outgoing?.(ctx)
      },
      reply: (ctx, reply) => {
        log.push(`reply:${name}`)
        return hooks.reply ? hooks.reply(ctx, reply) : reply
      },
    }
  }

  it('runs incoming and outgoing hooks in order and reply hooks in reverse', async () => {
    const { fulfillment, condition } = secret()
    const log: string[] = []
    const s = setup({ bobLink: new MemoryLink(fulfillWith(fulfillment)), chain: ['a', 'b', 'c'].map((n) => recorder(log, n)) })
    await send(s, s.alice, { destination: BOB, executionCondition: condition }).first
    assert.deepEqual(log, ['in:a', 'in:b', 'in:c', 'out:a', 'out:b', 'out:c', 'reply:c', 'reply:b', 'reply:a'])
  })

  it('runs the reply hooks only of the middlewares a refused packet reached', async () => {
    const log: string[] = []
    const chain = [recorder(log, 'a'), recorder(log, 'b', { incoming: () => new IlpFailure('T05', 'slow down') }), recorder(log, 'c')]
    const s = setup({ chain })
    assert.equal(rejectCode(await send(s, s.alice, { destination: BOB }).first), 'T05')
    assert.deepEqual(log, ['in:a', 'in:b', 'reply:b', 'reply:a'])
  })

  it('turns a throwing reply hook into T00, and still runs the hooks before it', async () => {
    const { fulfillment, condition } = secret()
    const log: string[] = []
    const chain = [
      recorder(log, 'a'),
      recorder(log, 'b', {
        reply: () => {
          throw new Error('boom')
        },
      }),
      recorder(log, 'c'),
    ]
    const s = setup({ bobLink: new MemoryLink(fulfillWith(fulfillment)), chain })
    const { replies, first } = send(s, s.alice, { destination: BOB, executionCondition: condition })
    const r = IlpPacket.deserializeIlpReject(await first)
    assert.equal(r.code, 'T00')
    assert.match(r.message, /boom/)
    assert.deepEqual(log.filter((l) => l.startsWith('reply:')), ['reply:c', 'reply:b', 'reply:a'])
    await tick()
    assert.equal(replies.length, 1)
  })

  it('turns a throwing incoming hook into a reject, keeping the code of an IlpFailureError', async () => {
    const s1 = setup({
      chain: [
        {
          name: 'x',
          incoming: () => {
            throw new Error('unexpected')
          },
        },
      ],
    })
    const r1 = IlpPacket.deserializeIlpReject(await send(s1, s1.alice, { destination: BOB }).first)
    assert.equal(r1.code, 'F00')
    assert.match(r1.message, /unexpected/)
    const s2 = setup({
      chain: [
        {
          name: 'x',
          incoming: () => {
            throw new IlpFailureError(new IlpFailure('T03', 'busy'))
          },
        },
      ],
    })
    assert.equal(rejectCode(await send(s2, s2.alice, { destination: BOB }).first), 'T03')
  })

  it('lets an incoming hook answer the packet itself', async () => {
    const answer = reject(new IlpFailure('F99', 'answered early'))
    const bobLink = new MemoryLink(fulfillWith(secret().fulfillment))
    const s = setup({ bobLink, chain: [{ name: 'x', incoming: () => answer }] })
    assert.deepEqual(await send(s, s.alice, { destination: BOB }).first, answer.raw)
    assert.equal(bobLink.sent.length, 0)
  })
})
