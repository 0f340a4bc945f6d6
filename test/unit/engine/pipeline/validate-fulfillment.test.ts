import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import * as IlpPacket from 'ilp-packet'
import type { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import { fulfillReply } from '../../../../app/main/engine/ilp/packets'
import { createValidateFulfillmentMiddleware } from '../../../../app/main/engine/pipeline/validate-fulfillment'
import { account, context, reject, secret } from '../../factories'

function middleware() {
  const failures: IlpFailure[] = []
  const m = createValidateFulfillmentMiddleware((f) => {
    failures.push(f)
    return reject(f)
  })
  return { m, failures }
}

describe('validate-fulfillment middleware', () => {
  it('passes a fulfill whose fulfillment hashes to the condition', () => {
    const { m, failures } = middleware()
    const { fulfillment, condition } = secret()
    const reply = fulfillReply(fulfillment, Buffer.from('receipt'))
    assert.equal(m.reply!(context(account('a'), { executionCondition: condition }), reply), reply)
    assert.equal(failures.length, 0)
  })

  it('turns a wrong fulfillment into an F05 reject built by the reject function', () => {
    const { m, failures } = middleware()
    const { condition } = secret()
    const ctx = context(account('a'), { executionCondition: condition })
    ctx.to = account('bob')
    const out = m.reply!(ctx, fulfillReply(secret().fulfillment, Buffer.alloc(0)))
    assert.equal(failures.length, 1)
    assert.equal(failures[0].code, 'F05')
    assert.equal(out.fulfillment, undefined)
    assert.equal(out.code, 'F05')
    assert.equal(IlpPacket.deserializeIlpReject(out.raw).code, 'F05')
  })

  it('refuses the condition itself as a fulfillment', () => {
    const { m } = middleware()
    const { condition } = secret()
    const out = m.reply!(context(account('a'), { executionCondition: condition }), fulfillReply(condition, Buffer.alloc(0)))
    assert.equal(out.code, 'F05')
  })

  it('passes rejects through untouched', () => {
    const { m, failures } = middleware()
    const r = reject({ code: 'T04', message: 'x', data: Buffer.alloc(0) } as IlpFailure)
    assert.equal(m.reply!(context(account('a')), r), r)
    assert.equal(failures.length, 0)
  })
})
