// better-sqlite3 built for Electron's ABI, kept apart from Node's build. `npm test` and headless mode load Node's
// build from node_modules/better-sqlite3; the desktop app loads this one through better-sqlite3's `nativeBinding`
// option. It is made from a copy of the package, so Node's build is never replaced (a failed in-place rebuild would
// delete it), and cached per Electron version under node_modules/.cache.
//
// Two ways, the first that works: the project's prebuilt binary for this Electron (prebuild-install, from GitHub),
// else a compile against Electron's headers (node-gyp, needs Python and a C++ compiler). Both need the internet.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { spawnSync } from 'node:child_process'

const version = (root, pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version

/** Where the Electron build lives once made (one per Electron version, platform and arch). */
export function electronNativeCache(root, arch = process.arch) {
  const tag = `electron-${version(root, 'electron')}-${process.platform}-${arch}-better-sqlite3-${version(root, 'better-sqlite3')}`
  return join(root, 'node_modules', '.cache', 'junction', tag, 'better_sqlite3.node')
}

/**
 * Makes the Electron build if it is not cached yet; returns its path. Throws an Error that says what failed and what
 * is needed, never a tool's stack trace.
 */
export function ensureElectronNative(root, { arch = process.arch, log = console.log } = {}) {
  const target = electronNativeCache(root, arch)
  if (existsSync(target)) return target
  const electronVersion = version(root, 'electron')
  log(`making better-sqlite3 for Electron ${electronVersion} (${process.platform}-${arch}); Node's build stays as it is …`)

  const work = mkdtempSync(join(tmpdir(), 'junction-electron-native-'))
  try {
    const copy = join(work, 'better-sqlite3')
    const source = join(root, 'node_modules', 'better-sqlite3')
    cpSync(source, copy, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) })
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node')
    const run = (cmd, args) => {
      const r = spawnSync(process.execPath, [cmd, ...args], { cwd: copy, encoding: 'utf8', env: { ...process.env, npm_config_arch: arch } })
      return r.status === 0 ? null : lastLine(r.stderr || r.stdout || r.error?.message || `exit ${r.status}`)
    }

    const require = createRequire(join(source, 'package.json'))
    const prebuild = run(require.resolve('prebuild-install/bin.js'), ['--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, `--platform=${process.platform}`])
    let compile = null
    if (prebuild !== null || !existsSync(built)) {
      const gyp = nodeGyp(root)
      compile =
        gyp === null
          ? 'node-gyp not found'
          : run(gyp, ['rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'])
    }
    if (!existsSync(built)) {
      throw new Error(
        `could not make better-sqlite3 for Electron ${electronVersion}.\n` +
          `  prebuilt binary (GitHub): ${prebuild ?? 'none'}\n` +
          `  compiling (Electron headers from electronjs.org): ${compile ?? 'no output file'}\n` +
          'This needs the internet, and to compile also Python 3 and a C++ compiler (build-essential, Xcode tools or\n' +
          "Visual Studio Build Tools). Nothing in node_modules was changed: `npm test` and `npm run headless` still work.",
      )
    }
    mkdirSync(dirname(target), { recursive: true })
    cpSync(built, target)
    log(`better-sqlite3 for Electron: ${target}`)
    return target
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** node-gyp: the project's copy, or the one npm ships (npm sets npm_config_node_gyp for scripts). */
function nodeGyp(root) {
  try {
    return createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js')
  } catch {
    const bundled = process.env.npm_config_node_gyp
    return bundled && existsSync(bundled) ? bundled : null
  }
}

/** The line that says why: node-gyp's `stack Error:` message (over several lines), else the last line. */
function lastLine(text) {
  const gyp = String(text).split('\n').map((l) => l.replace(/^gyp ERR! stack\s?/, '').trim())
  const start = gyp.findIndex((l) => l.startsWith('Error: '))
  if (start >= 0 && String(text).includes('gyp ERR!')) {
    const end = gyp.findIndex((l, i) => i > start && (l.startsWith('at ') || l.startsWith('gyp ')))
    return gyp.slice(start, end < 0 ? undefined : end).join(' ').replace(/^Error: /, '')
  }
  const lines = String(text)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at '))
  return lines.at(-1) ?? 'failed'
}
