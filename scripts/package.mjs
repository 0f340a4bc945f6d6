// `npm run dist`: installers for this OS (electron-builder.yml: AppImage and deb, dmg, NSIS) into out/.
//   1. build dist/ (scripts/build.mjs)
//   2. better-sqlite3 built for Electron into dist/native (scripts/electron-native.mjs; from a copy, so Node's build
//      that `npm test` uses is never touched — this is why electron-builder's own rebuild is off)
//   3. electron-builder, with any arguments after `--` (e.g. `npm run dist -- --linux deb`, `--x64`, `--arm64`)
// Needs the internet the first time (Electron, the native module, electron-builder's packaging tools).
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildAll } from './build.mjs'
import { ensureElectronNative } from './electron-native.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
// The native module must match the packaged Electron's architecture.
const arch = ['x64', 'arm64', 'ia32', 'armv7l'].find((a) => args.includes(`--${a}`)) ?? process.arch

try {
  await buildAll()
  const native = ensureElectronNative(root, { arch })
  mkdirSync(join(root, 'dist', 'native'), { recursive: true })
  cpSync(native, join(root, 'dist', 'native', 'better_sqlite3.node'))
} catch (err) {
  console.error(`\njunction: cannot package: ${err.message}`)
  process.exit(1)
}
const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js')
const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' })
process.exit(r.status ?? 1)
