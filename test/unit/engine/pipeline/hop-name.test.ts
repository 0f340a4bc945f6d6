// Rejects name the next hop by its relation: an app, a peer (by its id, without the account prefix), the provider.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createAccount } from '../../../../app/main/engine/accounts/account'
import { hopName } from '../../../../app/main/engine/pipeline/packet-pipeline'

test('the next hop in words: app X, peer X, the provider (X)', () => {
  const account = (id: string, relation: 'child' | 'peer' | 'parent') => createAccount({ id, relation, assetCode: 'XRP', assetScale: 9 })
  assert.equal(hopName(account('alice', 'child')), 'app alice')
  assert.equal(hopName(account('peer:lab', 'peer')), 'peer lab')
  assert.equal(hopName(account('parent', 'parent')), 'the provider (parent)')
  assert.equal(hopName(account('provider:b', 'parent')), 'the provider (provider:b)')
})
