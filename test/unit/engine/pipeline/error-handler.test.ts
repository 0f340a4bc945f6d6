import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { IlpFailure, IlpFailureError } from '../../../../app/main/engine/ilp/ilp-failure'
import { failureFromError } from '../../../../app/main/engine/pipeline/error-handler'

describe('failureFromError', () => {
  it('keeps an IlpFailure, thrown directly or wrapped', () => {
    const f = new IlpFailure('T04', 'no liquidity', Buffer.from([1]))
    assert.equal(failureFromError(f), f)
    assert.equal(failureFromError(new IlpFailureError(f)), f)
  })

  it('keeps a valid ilpErrorCode and its data (the ilp-connector convention)', () => {
    const err = Object.assign(new Error('too big'), { ilpErrorCode: 'F08', ilpErrorData: Buffer.from([9]) })
    const f = failureFromError(err)
    assert.equal(f.code, 'F08')
    assert.equal(f.message, 'too big')
    assert.deepEqual(f.data, Buffer.from([9]))
  })

  it('makes everything else F00 with the message', () => {
    assert.deepEqual([failureFromError(new Error('bug')).code, failureFromError(new Error('bug')).message], ['F00', 'bug'])
    assert.equal(failureFromError(Object.assign(new Error('x'), { ilpErrorCode: 'X99' })).code, 'F00')
    assert.equal(failureFromError(Object.assign(new Error('x'), { ilpErrorCode: 'F0' })).code, 'F00')
    assert.equal(failureFromError('a string').message, 'a string')
    assert.equal(failureFromError(undefined).code, 'F00')
    assert.equal(failureFromError(null).code, 'F00')
  })
})
