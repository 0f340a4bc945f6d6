import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { apiSchemas } from '../../../app/shared/api-schemas'
import { checkParams, contract, isMethodName, toJson } from '../../../app/shared/contract'

describe('the UI contract', () => {
  it('lists every schema-checked API method with its schema, and methods without arguments take none', () => {
    for (const [name, schema] of Object.entries(apiSchemas)) {
      assert.ok(isMethodName(name), name)
      assert.equal(contract.methods[name], schema, name)
    }
    assert.equal(checkParams('status', undefined), null)
    assert.equal(checkParams('status', {}), null)
    assert.match(checkParams('status', { x: 1 })![0].message, /no arguments/)
    assert.match(checkParams('status', 'x')![0].message, /no arguments/)
  })

  it('does not take names from Object.prototype for methods', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', '', 1, null]) assert.equal(isMethodName(name), false, String(name))
  })

  it('names the bad field', () => {
    assert.ok(checkParams('getApp', { id: '' })?.every((i) => i.path === 'id'))
    assert.deepEqual(checkParams('setAppBudget', { id: 'a', budget: { amount: 'x', period: 'day' } })?.map((i) => i.path), ['budget.amount'])
  })

  it('lists the events', () => {
    assert.deepEqual(Object.keys(contract.events).sort(), [
      'address',
      'appChanged',
      'appConnected',
      'appDisconnected',
      'appForgotten',
      'budgetWarning',
      'packets',
      'paused',
      'peersChanged',
      'provider',
      'providerFailover',
      'providersChanged',
      'ratesChanged',
      'routesChanged',
      'settingsChanged',
      'traffic',
    ])
  })

  it('writes bigint as decimal strings', () => {
    assert.equal(toJson({ a: 2n ** 64n, b: [1n], c: 'x' }), '{"a":"18446744073709551616","b":["1"],"c":"x"}')
  })
})
