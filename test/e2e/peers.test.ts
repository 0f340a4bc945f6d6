// Peers end to end, as a person does it: headless Junction with a peer from --peer (a real ilp-connector it connects
// to), the built UI in Debian's Chromium. The --peer one is marked "from config"; a peer added on the page gets a
// token whose URL is handed out once and really connects (a BTP client on the app port); Edit gives it a new token:
// the old connection closes, the old token is refused, the new one connects.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { spawnHeadless } from '../support/headless'
import { cleanup, randomToken } from '../support/junction'
import { RawBtpClient } from '../support/raw-btp'
import { btpListener, freePort, miniAccountsChild, startRealConnector } from '../support/real-connector'
import { expectText, openJunctionUi, skipBrowser } from './support/browser'

/** The BTP URL in the hand-out box, parsed into what a client connects with. */
async function handout(page: Page): Promise<{ username: string; token: string }> {
  const text = (await page.locator('.peer-handout code').first().textContent()) ?? ''
  const url = new URL(text.replace(/^btp\+ws:/, 'http:'))
  return { username: decodeURIComponent(url.username), token: decodeURIComponent(url.password) }
}

test('peers: one from --peer marked from config; add one that connects with its token; a new token replaces the old', { skip: skipBrowser(), timeout: 120_000 }, async (t) => {
  const defer = cleanup(t)
  const peerPort = await freePort()
  const secret = randomToken()
  const lab = await startRealConnector({
    address: 'test.lab',
    accounts: { junction: { ...btpListener(peerPort, secret), sendRoutes: true, receiveRoutes: true }, children: miniAccountsChild(await freePort()) },
    extra: { initialConnectTimeout: 5000 },
  })
  defer(() => lab.stop())
  const data = mkdtempSync(join(tmpdir(), 'junction-e2e-peers-'))
  defer(() => rmSync(data, { recursive: true, force: true }))
  const appPort = await freePort()
  const junction = spawnHeadless(['--data', data, '--port', String(appPort), '--address', 'test.junction', '--peer', `lab=btp+ws://junction:${secret}@127.0.0.1:${peerPort}`])
  defer(() => junction.stop())
  await junction.ready()

  const browser = await openJunctionUi(junction)
  defer(() => browser.close())
  const { page } = browser
  await expectText(page, 'code', 'test.junction')
  await browser.show('peers')
  const labRow = page.locator('tr[data-peer="lab"]')
  await expectText(page, 'tr[data-peer="lab"]', 'from config')
  await expectText(page, 'tr[data-peer="lab"]', 'Connected')
  assert.doesNotMatch((await labRow.textContent()) ?? '', new RegExp(secret))

  // Add a peer that connects to Junction: the URL with its token is shown once, and it connects with it.
  await page.getByRole('button', { name: /Add peer/ }).click()
  const addForm = page.getByRole('form', { name: 'Add a peer' })
  await addForm.getByLabel('ID').fill('friend')
  await addForm.getByLabel('Name').fill('A friend')
  await addForm.getByRole('button', { name: 'Generate' }).click()
  await addForm.getByRole('button', { name: 'Add peer' }).click()
  await expectText(page, '.peer-handout', 'Give friend this URL')
  const first = await handout(page)
  assert.equal(first.username, 'friend')
  const ws = `ws://127.0.0.1:${appPort}`
  const conn = await RawBtpClient.connect(ws, first.username, first.token)
  defer(() => conn.terminate())
  await expectText(page, 'tr[data-peer="friend"]', 'Connected')
  await page.getByRole('button', { name: 'Done' }).click()

  // Edit: a new token. Her connection closes; the old token is refused; the new one, shown once, connects.
  await page.getByRole('button', { name: 'Edit A friend' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Generate' }).click()
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expectText(page, '.peer-handout', 'Give friend this URL')
  const second = await handout(page)
  assert.notEqual(second.token, first.token)
  assert.equal((await conn.closed).code, 1008)
  await assert.rejects(RawBtpClient.connect(ws, 'friend', first.token), /auth refused: F00 wrong auth_token for peer "friend"/)
  const again = await RawBtpClient.connect(ws, second.username, second.token)
  defer(() => again.terminate())
  await expectText(page, 'tr[data-peer="friend"]', 'Connected')
  // The Accounts table agrees once Junction has put the account on that connection.
  await expectText(page, 'table[aria-label="Accounts"] tr', /A friend.*peer:friend.*Peer.*Connected/)

  // Removing the --peer one says it comes back at the next start.
  await page.getByRole('button', { name: 'Remove lab' }).click()
  await expectText(page, '[role="alertdialog"]', /back at the next start unless you remove it there too/)
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()
  await browser.shot('peers-edited')
  assert.deepEqual(browser.errors, [])
})
