import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import { createPauseMiddleware, PAUSED_MESSAGE } from '../../../../app/main/engine/pipeline/pause'
import { account, context } from '../../factories'

describe('pause middleware', () => {
  const pause = { paused: false }
  const m = createPauseMiddleware(pause)
  const app = account('alice')
  const bob = account('bob')
  const parent = account('parent', { relation: 'parent' })

  it('lets everything through while not paused', () => {
    pause.paused = false
    assert.equal(m.incoming!(context(app)), undefined)
    assert.equal(m.outgoing!({ ...context(parent), to: app }), undefined)
  })

  it('while paused, refuses an app\'s packets with T03 saying Junction is paused and how to resume', () => {
    pause.paused = true
    const r = m.incoming!(context(app, { destination: 'g.shop.x' }))
    assert.ok(r instanceof IlpFailure)
    assert.equal(r.code, 'T03')
    assert.equal(r.message, PAUSED_MESSAGE)
    assert.match(r.message, /paused by its user; resume it in Junction/)
  })

  it('while paused, refuses packets to an app after routing, also from another app', () => {
    pause.paused = true
    assert.equal((m.outgoing!({ ...context(parent), to: app }) as IlpFailure).code, 'T03')
    assert.equal(m.incoming!(context(parent)), undefined, 'the provider may still send')
    assert.equal(m.outgoing!({ ...context(parent), to: parent }), undefined, 'nothing to refuse between non-apps')
    assert.equal((m.incoming!(context(bob, { destination: 'private.junction.alice' })) as IlpFailure).code, 'T03')
  })

  it('while paused, peer protocols still pass, so an app keeps its address and balance', () => {
    pause.paused = true
    assert.equal(m.incoming!(context(app, { destination: 'peer.config', amount: 0n })), undefined)
    assert.equal(m.incoming!(context(app, { destination: 'peer.balance', amount: 0n })), undefined)
  })

  it('reads the switch on every packet: resuming takes effect at once', () => {
    pause.paused = true
    assert.ok(m.incoming!(context(app)))
    pause.paused = false
    assert.equal(m.incoming!(context(app)), undefined)
  })
})
