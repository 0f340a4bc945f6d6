// Debian's Chromium driven by playwright-core, for the browser end-to-end tests (test/e2e). Flags from
// TOOLCHAIN.md: without the background-networking ones Chromium floods the closed network with connections.
// Screenshots go to test/e2e/screenshots/ (ignored by git, kept by CI as artifacts).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { type HeadlessProcess, ROOT } from '../../support/headless'

export const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots')

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[]

/** The Chromium to drive, or null when none is installed (`.ci/run` installs Debian's). */
export function chromiumPath(): string | null {
  return CANDIDATES.find((p) => existsSync(p)) ?? null
}

/** Why the browser tests cannot run here, or false. Under CI a missing browser is a failure, not a skip. */
export function skipBrowser(): string | false {
  if (chromiumPath()) return false
  if (process.env.CI) throw new Error('Chromium is missing: .ci/run installs it with apt-get install chromium')
  return 'no Chromium here (apt-get install chromium, or set CHROMIUM_PATH)'
}

export interface Browser {
  context: BrowserContext
  page: Page
  /** Console errors and page errors seen so far (CSP violations show here). */
  errors: string[]
  shot(name: string): Promise<void>
  close(): Promise<void>
}

export async function openBrowser(opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'junction-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath()!,
    headless: true,
    viewport: { width: 1280, height: 800 },
    colorScheme: opts.colorScheme ?? 'light',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  mkdirSync(SCREENSHOTS, { recursive: true })
  return {
    context,
    page,
    errors,
    shot: async (name) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
    },
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** Waits until an element matching `selector` that contains `text` is visible. */
export async function expectText(page: Page, selector: string, text: string | RegExp, ms = 15_000): Promise<void> {
  await page.locator(selector, { hasText: text }).first().waitFor({ state: 'visible', timeout: ms })
}

/**
 * Junction's UI opened as its user does: the ready line's `ui=` link, which carries the page's token, in a new browser.
 * `show(route)` then goes to a page by its route (e.g. 'peers'); the token stays with the page.
 */
export async function openJunctionUi(junction: HeadlessProcess): Promise<Browser & { ui: string; show(route: string): Promise<void> }> {
  const ui = (await junction.line(/ ui=(\S+)/))[1]!
  const browser = await openBrowser()
  await browser.page.goto(ui)
  return { ...browser, ui, show: async (route) => void (await browser.page.goto(`${ui.split('#')[0]}#/${route}`)) }
}
