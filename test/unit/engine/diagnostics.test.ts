import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { diagnosticsText, maskSecrets } from '../../../app/main/engine/diagnostics'
import { createLogger } from '../../../app/main/engine/log'
import type { SettingsView, StatusView } from '../../../app/shared/api-types'

const status: StatusView = {
  address: 'test.ilsp.junction',
  assetCode: 'XRP',
  assetScale: 9,
  appPort: 7768,
  provider: {
    configured: true,
    name: 'ilsp.example:7443',
    url: 'btp+ws://junction:***@ilsp.example:7443',
    state: { state: 'connected', since: Date.UTC(2026, 0, 1) },
    balance: '-5',
    minBalance: '-1000',
    maxBalance: null,
    latencyMs: 3.2,
  },
  newAppPolicy: 'ask',
  defaultBudget: null,
  apps: { total: 3, connected: 1, pending: 1 },
  paused: true,
}

const settings: SettingsView = {
  dataFolder: '/home/me/.config/Junction',
  appPort: 7768,
  uiPort: 7769,
  newAppPolicy: 'ask',
  defaultBudget: { amount: '1000', period: 'day' },
  allowedOrigins: ['https://example.com'],
  logLevel: 'info',
  logFile: '/home/me/.config/Junction/logs/junction.log',
  startAtLogin: null,
  closeToTray: null,
  shell: 'headless',
}

describe('diagnostics', () => {
  it('masks secrets of URLs with credentials', () => {
    assert.equal(maskSecrets('to btp+ws://alice:s3cr3t@host:1/x now'), 'to btp+ws://alice:***@host:1/x now')
    assert.equal(maskSecrets('btp+wss://:tok@h and https://u:p@h'), 'btp+wss://:***@h and https://u:***@h')
    assert.equal(maskSecrets('no url here: a:b@c'), 'no url here: a:b@c')
  })

  it('carries versions, OS, node state, settings and recent problems, and no secret', () => {
    createLogger('diag-test').error('the provider btp+ws://junction:hunter2@ilsp.example refused us')
    const text = diagnosticsText({ status, settings, accounts: 4, recentPackets: 12, now: Date.UTC(2026, 0, 2) })
    assert.match(text, /^Junction diagnostics, 2026-01-02T00:00:00.000Z/)
    assert.match(text, /Junction \d+\.\d+\.\d+ \(headless\)/)
    assert.match(text, new RegExp(`Node ${process.versions.node.replace(/\./g, '\\.')}`))
    assert.match(text, /OS linux /)
    assert.match(text, /provider btp\+ws:\/\/junction:\*\*\*@ilsp\.example:7443: connected since 2026-01-01/)
    assert.match(text, /ILDCP round trip 3\.2 ms, balance -5 \(min -1000, max none\)/)
    assert.match(text, /paused: yes/)
    assert.match(text, /allowedOrigins: \["https:\/\/example.com"\]/)
    assert.match(text, /error diag-test: the provider btp\+ws:\/\/junction:\*\*\*@ilsp\.example refused us/)
    assert.doesNotMatch(text, /hunter2/)
  })
})
