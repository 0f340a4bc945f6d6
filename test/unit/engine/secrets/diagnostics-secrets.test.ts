// The diagnostics text says where secrets are kept (with the secret store's warning) and never shows a secret, in
// any URL form a log line may carry: BTP, ILP-over-HTTP, an empty user name, a raw `@` inside the secret.
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { diagnosticsText, maskSecrets } from '../../../../app/main/engine/diagnostics'
import { createFileSecretStore } from '../../../../app/main/engine/secrets/file-secret-store'
import { createLogger } from '../../../../app/main/engine/log'
import type { SettingsView, StatusView } from '../../../../app/shared/api-types'

const status = {
  address: null,
  assetCode: 'XRP',
  assetScale: 9,
  appPort: 7768,
  provider: { configured: false, name: null, url: null, state: null, balance: null, minBalance: null, maxBalance: null, latencyMs: null },
  newAppPolicy: 'ask',
  defaultBudget: null,
  apps: { total: 0, connected: 0, pending: 0 },
  paused: false,
} as StatusView
const settings = { dataFolder: '/d', shell: 'headless' } as SettingsView

it('diagnostics say where secrets are kept, and show none of them', () => {
  const secrets = ['hunter2-btp', 'tok3n-http', 'p@ss-with-at', 'only-t0ken']
  const log = createLogger('diag-secrets-test')
  log.warn(`could not reach btp+ws://junction:${secrets[0]}@ilsp.example:7443/btp`)
  log.warn(`HTTP provider https://me:${secrets[1]}@ilsp.example/ilp answered 401`)
  log.error(`peer btp+wss://lab:${secrets[2]}@lab.example refused`)
  log.warn(`probe of http://:${secrets[3]}@127.0.0.1:8080/ failed`)
  const store = createFileSecretStore({ folder: mkdtempSync(join(tmpdir(), 'junction-diag-secrets-')), log })
  const text = diagnosticsText({ status, settings, accounts: 0, recentPackets: 0, secrets: store.description })
  for (const s of secrets) assert.ok(!text.includes(s) && !text.includes(s.split('@')[1] + '@lab'), `${s} leaked:\n${text}`)
  assert.match(text, /HTTP provider https:\/\/me:\*\*\*@ilsp\.example\/ilp answered 401/)
  assert.match(text, /peer btp\+wss:\/\/lab:\*\*\*@lab\.example refused/)
  assert.match(text, /^secrets: headless mode has no OS keychain, so secrets .* kept unencrypted in .*secrets/m)
  assert.equal(maskSecrets('btp+ws://me:p@ss@host:1/x?y=a@b'), 'btp+ws://me:***@host:1/x?y=a@b')
})
