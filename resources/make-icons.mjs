// Renders Junction's PNG icons from SVG with headless Chromium: the app icon (from icon.svg, for electron-builder)
// and the tray icons, one per state at 16 px and 32 px (`@2x`, which Electron picks on high-DPI screens).
// The PNGs are committed; run this only after changing the artwork:
//   node resources/make-icons.mjs        (needs playwright-core and /usr/bin/chromium, or CHROMIUM=path)
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
const appIcon = readFileSync(join(here, 'icon.svg'), 'utf8')

// The tray icons: the app icon simplified to read at 16 px (thicker lines, fewer of them). Each state differs in shape
// as well as colour (no colour is the only carrier of meaning): the junction's dot filled when connected, a hollow
// ring with no provider, two bars instead of the lines when paused.
const tile = (fill, inner) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect x="1" y="1" width="30" height="30" rx="7" fill="${fill}"/>${inner}</svg>`
const lines = '<path d="M7 9h6a5 5 0 0 1 5 5v9M7 23h6M25 9h-7M25 23h-7" stroke="#fff" stroke-width="3.2" stroke-linecap="round" fill="none"/>'
const TRAY = {
  connected: tile('#1f6f5c', `${lines}<circle cx="18" cy="16" r="4" fill="#f2c14e"/>`),
  'no-provider': tile('#6b7280', `${lines}<circle cx="18" cy="16" r="3.6" fill="#6b7280" stroke="#fff" stroke-width="2"/>`),
  paused: tile('#a15c07', '<rect x="9.5" y="8" width="4.5" height="16" rx="1" fill="#fff"/><rect x="18" y="8" width="4.5" height="16" rx="1" fill="#fff"/>'),
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 })
  const render = async (svg, size, file) => {
    await page.setViewportSize({ width: size, height: size })
    const html = `<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`
    await page.setContent(html)
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } })
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, png)
    console.log(`${file} (${size}×${size}, ${png.length} bytes)`)
  }
  // electron-builder makes the .icns and .ico from this (it wants at least 512 px; 1024 for macOS Retina).
  await render(appIcon, 1024, join(here, 'icon.png'))
  // The window icon on Linux (BrowserWindow's `icon`).
  await render(appIcon, 256, join(here, 'tray', 'app-256.png'))
  for (const [state, svg] of Object.entries(TRAY)) {
    await render(svg, 16, join(here, 'tray', `tray-${state}.png`))
    await render(svg, 32, join(here, 'tray', `tray-${state}@2x.png`))
  }
} finally {
  await browser.close()
}
