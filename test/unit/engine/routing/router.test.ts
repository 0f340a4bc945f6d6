import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import * as ILDCP from 'ilp-protocol-ildcp'
import * as IlpPacket from 'ilp-packet'
import type { Account } from '../../../../app/main/engine/accounts/account'
import { encodeEchoRequest } from '../../../../app/main/engine/control/echo'
import { decodePeerBalance } from '../../../../app/main/engine/control/peer-balance'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import type { Prepare, Reply } from '../../../../app/main/engine/ilp/packets'
import type { OwnIdentity } from '../../../../app/main/engine/own-identity'
import { createOneToOneRates } from '../../../../app/main/engine/rates/one-to-one'
import { Router } from '../../../../app/main/engine/routing/router'
import { RoutingTable } from '../../../../app/main/engine/routing/routing-table'
import { account, context, MemoryLink, OWN_ADDRESS } from '../../factories'

const WINDOW = 1000
const HOLD = 30_000

function setup(opts: { own?: Partial<OwnIdentity>; spread?: string } = {}) {
  const own: OwnIdentity = { address: OWN_ADDRESS, assetCode: 'XRP', assetScale: 9, ...opts.own }
  const alice = account('alice')
  const bob = account('bob')
  const parent = account('parent', { relation: 'parent', assetScale: 6 })
  const accounts = new Map<string, Account>([alice, bob, parent].map((a) => [a.id, a]))
  for (const a of accounts.values()) a.link = new MemoryLink()
  const table = new RoutingTable()
  table.add({ prefix: '', accountId: 'parent', source: 'parent' })
  table.add({ prefix: OWN_ADDRESS, accountId: '', source: 'local' })
  table.add({ prefix: `${OWN_ADDRESS}.alice`, accountId: 'alice', source: 'child' })
  table.add({ prefix: `${OWN_ADDRESS}.bob`, accountId: 'bob', source: 'child' })
  const router = new Router({ own, table, accounts, rates: createOneToOneRates(opts.spread), minMessageWindowMs: WINDOW, maxHoldTimeMs: HOLD })
  const route = (from: Account, p: Partial<Prepare>) => {
    const ctx = context(from, p)
    return { ctx, result: router.route(ctx) }
  }
  return { own, alice, bob, parent, accounts, table, route }
}

function failure(result: IlpFailure | Reply | undefined, code: string): IlpFailure {
  assert.ok(result instanceof IlpFailure, `expected ${code}, got ${result === undefined ? 'a route' : 'a reply'}`)
  assert.equal(result.code, code, result.message)
  return result
}

function reply(result: IlpFailure | Reply | undefined): Reply {
  assert.ok(result && !(result instanceof IlpFailure), `expected a reply, got ${result instanceof IlpFailure ? result.code + ' ' + result.message : 'a route'}`)
  return result
}

describe('Router: forwarding', () => {
  it('picks the next hop by longest prefix and converts the amount between scales', () => {
    const { alice, bob, parent, route } = setup()
    const toBob = route(alice, { destination: `${OWN_ADDRESS}.bob.stream`, amount: 1234n })
    assert.equal(toBob.result, undefined)
    assert.equal(toBob.ctx.to, bob)
    assert.equal(toBob.ctx.outAmount, 1234n)
    const toParent = route(alice, { destination: 'g.someone.else', amount: 1234567n })
    assert.equal(toParent.result, undefined)
    assert.equal(toParent.ctx.to, parent)
    assert.equal(toParent.ctx.outAmount, 1234n) // scale 9 → 6, rounded down
  })

  it('takes the spread', () => {
    const { alice, route } = setup({ spread: '0.01' })
    assert.equal(route(alice, { destination: `${OWN_ADDRESS}.bob`, amount: 1000n }).ctx.outAmount, 990n)
  })

  it('sets the outgoing expiry to min(incoming − window, now + max hold time)', () => {
    const { alice, route } = setup()
    const near = Date.now() + 10_000
    const a = route(alice, { destination: `${OWN_ADDRESS}.bob`, expiresAt: near })
    assert.equal(a.ctx.outExpiresAt, near - WINDOW)
    const before = Date.now()
    const b = route(alice, { destination: `${OWN_ADDRESS}.bob`, expiresAt: Date.now() + 600_000 })
    assert.ok(b.ctx.outExpiresAt >= before + HOLD && b.ctx.outExpiresAt <= Date.now() + HOLD)
  })

  it('refuses expired packets and packets too close to expiry with R02', () => {
    const { alice, route } = setup()
    failure(route(alice, { destination: `${OWN_ADDRESS}.bob`, expiresAt: Date.now() - 1 }).result, 'R02')
    failure(route(alice, { destination: `${OWN_ADDRESS}.bob`, expiresAt: Date.now() + 1500 }).result, 'R02')
    assert.equal(route(alice, { destination: `${OWN_ADDRESS}.bob`, expiresAt: Date.now() + 2500 }).result, undefined)
  })

  it('answers F02 without a route, for unknown apps, and for vanished accounts', () => {
    const { alice, table, route } = setup()
    failure(route(alice, { destination: `${OWN_ADDRESS}.carol` }).result, 'F02')
    table.removeSource('parent')
    failure(route(alice, { destination: 'g.nowhere' }).result, 'F02')
    table.add({ prefix: 'g.ghost', accountId: 'ghost', source: 'configured' })
    failure(route(alice, { destination: 'g.ghost.x' }).result, 'F02')
  })

  it('does not route a packet back to the provider or peer it came from (F02), but lets an app pay itself', () => {
    const { alice, parent, route } = setup()
    failure(route(parent, { destination: 'g.elsewhere' }).result, 'F02')
    const self = route(alice, { destination: `${OWN_ADDRESS}.alice.other-stream` })
    assert.equal(self.result, undefined)
    assert.equal(self.ctx.to, alice)
  })

  it('answers T01 when the next hop is not connected', () => {
    const { alice, bob, parent, route } = setup()
    bob.link = undefined
    failure(route(alice, { destination: `${OWN_ADDRESS}.bob` }).result, 'T01')
    ;(parent.link as MemoryLink).open = false
    failure(route(alice, { destination: 'g.x' }).result, 'T01')
  })
})

describe('Router: peer protocols', () => {
  it('answers peer.config (ILDCP) to an app with its address under Junction and the asset', () => {
    const { alice, route } = setup({ own: { assetCode: 'USD', assetScale: 2 } })
    const r = reply(route(alice, { destination: 'peer.config', amount: 0n }).result)
    assert.deepEqual(IlpPacket.deserializeIlpFulfill(r.raw).fulfillment, Buffer.alloc(32))
    // RFC 31: VarOctetString(address), UInt8 scale, VarOctetString(code).
    const address = Buffer.from(`${OWN_ADDRESS}.alice`)
    const data = Buffer.concat([Buffer.from([address.length]), address, Buffer.from([2, 3]), Buffer.from('USD')])
    assert.deepEqual(IlpPacket.deserializeIlpFulfill(r.raw).data, data)
    assert.deepEqual(ILDCP.deserializeIldcpResponse(r.raw), { clientAddress: `${OWN_ADDRESS}.alice`, assetScale: 2, assetCode: 'USD' })
  })

  it('answers peer.config with T01 before Junction has an address, and not at all to the provider', () => {
    failure(setup({ own: { address: undefined } }).route(account('alice'), { destination: 'peer.config' }).result, 'T01')
    const { parent, route } = setup()
    failure(route(parent, { destination: 'peer.config' }).result, 'F02')
  })

  it('answers peer.balance with the sender’s balance', () => {
    const { alice, route } = setup()
    alice.balance = -42n
    const r = reply(route(alice, { destination: 'peer.balance', amount: 0n }).result)
    assert.equal(decodePeerBalance(IlpPacket.deserializeIlpFulfill(r.raw).data).balance, -42n)
  })

  it('never forwards other peer.* destinations', () => {
    const { alice, route } = setup()
    for (const destination of ['peer.route.control', 'peer.settle', 'peer.x.y']) {
      const { ctx, result } = route(alice, { destination })
      failure(result, 'F02')
      assert.equal(ctx.to, undefined)
    }
  })
})

describe('Router: echo', () => {
  it('sends the echo response to the source address with ECHO data', () => {
    const { alice, parent, route } = setup()
    const { ctx, result } = route(alice, { destination: OWN_ADDRESS, data: encodeEchoRequest('g.pinger.x') })
    assert.equal(result, undefined)
    assert.equal(ctx.to, parent)
    assert.equal(ctx.prepare.destination, 'g.pinger.x')
    assert.deepEqual(ctx.prepare.data, Buffer.concat([Buffer.from('ECHOECHOECHOECHO'), Buffer.from([1])]))
  })

  it('refuses a malformed echo request with F01', () => {
    const { alice, route } = setup()
    failure(route(alice, { destination: OWN_ADDRESS, data: Buffer.from('hello') }).result, 'F01')
  })

  it('does not let an echo request send a packet to peer.* or to an invalid address', () => {
    const { alice, route } = setup()
    for (const source of ['peer.config', 'peer.route.control', 'peer.settle', 'not-an-address', '']) {
      const { ctx, result } = route(alice, { destination: OWN_ADDRESS, data: encodeEchoRequest(source) })
      assert.ok(result instanceof IlpFailure, `echo to ${JSON.stringify(source)} was routed to ${ctx.to?.id}`)
      assert.equal(ctx.to, undefined)
    }
  })
})
