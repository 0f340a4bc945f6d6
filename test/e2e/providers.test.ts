// Providers end to end, as a person does it: headless Junction connected to a real ILSP A (ilp-connector +
// mini-accounts), the built UI in Debian's Chromium; add ILSP B on the Providers page, test it, switch to it (after
// the confirmation), and see Junction's address change to one under B.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { spawnHeadless } from '../support/headless'
import { freePort, startIlsp } from '../support/ilsp'
import { cleanup } from '../support/junction'
import { expectText, openJunctionUi, skipBrowser } from './support/browser'

test('add a provider, test it, switch to it, see the address change', { skip: skipBrowser(), timeout: 120_000 }, async (t) => {
  const defer = cleanup(t)
  const [a, b] = await Promise.all([startIlsp({ address: 'test.ilsp-a' }), startIlsp({ address: 'test.ilsp-b' })])
  defer(() => a.stop())
  defer(() => b.stop())
  const data = mkdtempSync(join(tmpdir(), 'junction-e2e-providers-'))
  defer(() => rmSync(data, { recursive: true, force: true }))
  const junction = spawnHeadless(['--parent', a.btpUrl('me', 'me-secret'), '--data', data, '--port', String(await freePort())])
  defer(() => junction.stop())
  await junction.ready()

  const browser = await openJunctionUi(junction)
  defer(() => browser.close())
  const { page } = browser
  await expectText(page, 'body', 'test.ilsp-a.children.me')
  await browser.show('providers')
  await expectText(page, 'body', 'All providers')

  // Add B: a wrong URL is refused in the form, the right one is listed (secret masked).
  await page.getByRole('button', { name: /Add provider/ }).click()
  await page.getByLabel('Name').fill('ILSP B')
  await page.getByLabel('Provider URL').fill('https://wrong.example')
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expectText(page, '[role="alert"]', /an ILP-over-HTTP URL carries its token as the password/)
  await page.getByLabel('Provider URL').fill(b.btpUrl('me', 'b-secret'))
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  const rowB = page.locator('tr', { hasText: 'ILSP B' })
  await rowB.waitFor()
  assert.doesNotMatch((await rowB.textContent()) ?? '', /b-secret/)

  // Test: B's answer (address, asset, latency) shows in its row.
  await rowB.getByRole('button', { name: 'Test' }).click()
  await expectText(page, 'tr', /Works: address test\.ilsp-b\.children\.me, XRP/)

  // Make active: confirmed first, then the address changes everywhere.
  await rowB.getByRole('button', { name: 'Make active' }).click()
  const dialog = page.getByRole('alertdialog')
  await expectText(page, '[role="alertdialog"]', /Apps will reconnect/)
  await dialog.getByRole('button', { name: 'Switch provider' }).click()
  await expectText(page, 'body', 'Switched to ILSP B')
  await expectText(page, 'code', 'test.ilsp-b.children.me')
  await expectText(page, 'tr', /ILSP B\s*active/)
  await browser.shot('providers-switched')
})
