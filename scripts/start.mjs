// `npm start`: builds the desktop app and opens it.
//   1. build dist/ (scripts/build.mjs: the UI, the main process, the preload, icons)
//   2. get the Electron binary (the electron package downloads it on first use, from GitHub)
//   3. get better-sqlite3 built for Electron, apart from Node's build (scripts/electron-native.mjs)
//   4. run Electron on this folder; arguments after `--` go to the app (e.g. `npm start -- --hidden`)
// Steps 2 and 3 need the internet the first time. Where that fails, this says so and points to headless mode, which
// runs the same node without Electron.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildAll } from './build.mjs'
import { ensureElectronNative } from './electron-native.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const electronDir = join(root, 'node_modules', 'electron')
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version

const HEADLESS_HINT = `Junction runs the same node without a window, and serves the same UI in your browser:

  npm run headless -- --help`

class StartError extends Error {}

/** The Electron executable: an override, or the package's own binary, downloaded now if it is missing. */
function electronBinary() {
  const platformPath = () => {
    try {
      return readFileSync(join(electronDir, 'path.txt'), 'utf8').trim()
    } catch {
      return null
    }
  }
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const bin = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, platformPath() ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'))
    if (!existsSync(bin)) throw new StartError(`ELECTRON_OVERRIDE_DIST_PATH is set, but there is no Electron at ${bin}.`)
    return bin
  }
  const installed = () => {
    const p = platformPath()
    return p !== null && existsSync(join(electronDir, 'dist', p)) ? join(electronDir, 'dist', p) : null
  }
  const have = installed()
  if (have) return have
  console.log(`downloading Electron ${electronVersion} (once; about 100 MB) …`)
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] })
  const got = r.status === 0 ? installed() : null
  if (got) return got
  const reason =
    (r.stderr ?? '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('at ')) ?? `the download exited with ${r.status}`
  throw new StartError(
    `The desktop app needs the Electron ${electronVersion} binary, and it could not be downloaded (${reason}).\n` +
      'The electron package fetches it from github.com on first use; this machine cannot reach it (offline, or\n' +
      'a network that blocks it). On a connected machine `npm start` works as it is. To use a mirror, set\n' +
      'ELECTRON_MIRROR; to use an Electron you already have, set ELECTRON_OVERRIDE_DIST_PATH to its folder.\n\n' +
      HEADLESS_HINT,
  )
}

async function main() {
  await buildAll()
  const electron = electronBinary()
  let native
  try {
    native = ensureElectronNative(root)
  } catch (err) {
    throw new StartError(`The desktop app needs its database module built for Electron: ${err.message}\n\n${HEADLESS_HINT}`)
  }
  mkdirSync(join(root, 'dist', 'native'), { recursive: true })
  cpSync(native, join(root, 'dist', 'native', 'better_sqlite3.node'))

  console.log('starting Junction …')
  const env = { ...process.env }
  // Set by some tools; it would make Electron run this folder as a plain Node script.
  delete env.ELECTRON_RUN_AS_NODE
  const child = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit', env })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('error', (err) => {
    console.error(`junction: could not run Electron (${electron}): ${err.message}`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

main().catch((err) => {
  const message = err instanceof StartError ? err.message : `npm start failed: ${err.message}`
  console.error(`\njunction: ${message}`)
  process.exit(1)
})
