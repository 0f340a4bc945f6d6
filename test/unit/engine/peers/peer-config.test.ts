import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { resolveConfig } from '../../../../app/main/engine/config'
import { createConnector } from '../../../../app/main/engine/connector'
import { checkPeerConfig, parsePeerFlag, peerAccountId } from '../../../../app/main/engine/peers/peer-config'
import { engineConfig, parseHeadlessArgs } from '../../../../app/main/headless-args'

const URL = 'btp+ws://me:secret@127.0.0.1:7443'

describe('peer settings', () => {
  it('parses --peer ID=URL into a peer with relation peer, over BTP or ILP-over-HTTP', () => {
    assert.deepEqual(parsePeerFlag(`lab=${URL}`), { id: 'lab', url: URL, relation: 'peer' })
    assert.deepEqual(parsePeerFlag('lab=https://lab:t0ken@lab.example/ilp'), { id: 'lab', url: 'https://lab:t0ken@lab.example/ilp', relation: 'peer' })
    assert.equal(peerAccountId('lab'), 'peer:lab')
  })

  it('says what is wrong with a bad peer', () => {
    assert.throws(() => parsePeerFlag(URL), /expected ID=URL/)
    assert.throws(() => parsePeerFlag('lab='), /expected ID=URL/)
    assert.throws(() => parsePeerFlag(`a.b=${URL}`), /invalid peer id "a.b": it contains "."/)
    assert.throws(() => parsePeerFlag('lab=ftp://x'), /peer lab: invalid peer URL: the scheme must be btp\+ws: or btp\+wss:, not ftp:/)
    assert.throws(() => parsePeerFlag('lab=http://x'), /peer lab: invalid ILP-over-HTTP URL: it carries no token/)
    assert.throws(() => checkPeerConfig([{ id: 'a', url: URL, relation: 'peer' }, { id: 'a', url: URL, relation: 'peer' }]), /peer a is given twice/)
    assert.throws(() => checkPeerConfig([{ id: 'a', url: URL, relation: 'child' as 'peer' }]), /relation must be 'peer'/)
    assert.throws(() => checkPeerConfig([{ id: 'a', url: URL, relation: 'peer', assetScale: 300 }]), /invalid asset scale 300/)
    assert.throws(() => resolveConfig({ peers: [{ id: '', url: URL, relation: 'peer' }] }), /invalid peer id "": it is empty/)
    assert.throws(() => resolveConfig({ ccp: { broadcastIntervalMs: 0, routeExpiryMs: 1 } }), /must be positive/)
  })

  it('takes repeated --peer flags (and JUNCTION_PEER) into the engine config', () => {
    const args = parseHeadlessArgs(['--peer', `lab=${URL}`, '--peer', `friend=${URL}`], { env: {} })
    assert.ok(args !== 'help')
    assert.deepEqual(
      engineConfig(args).peers?.map((p) => p.id),
      ['lab', 'friend'],
    )
    const fromEnv = parseHeadlessArgs([], { env: { JUNCTION_PEER: `lab=${URL}` } })
    assert.ok(fromEnv !== 'help')
    assert.deepEqual(fromEnv.peers, [{ id: 'lab', url: URL, relation: 'peer' }])
    assert.throws(() => parseHeadlessArgs(['--peer', `lab=${URL}`, '--peer', `lab=${URL}`], { env: {} }), /--peer .*a peer ID is given twice/)
    assert.throws(() => parseHeadlessArgs(['--peer', 'nope'], { env: {} }), /--peer nope: expected ID=URL/)
  })

  it('gives each peer its own account with its asset and limits, not connected before start', () => {
    const j = createConnector({
      port: 0,
      peers: [{ id: 'lab', url: URL, relation: 'peer', assetCode: 'USD', assetScale: 2, limits: { maximumBalance: 1000n } }],
    })
    const account = j.accounts.get('peer:lab')!
    assert.equal(account.relation, 'peer')
    assert.deepEqual([account.assetCode, account.assetScale, account.limits.maximumBalance, account.balance], ['USD', 2, 1000n, 0n])
    assert.equal(account.link, undefined)
  })
})
