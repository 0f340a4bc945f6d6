// `npm run build`: everything the desktop app runs, under dist/ (what electron-builder packs, with package.json):
//   dist/renderer/   the UI (vite build; headless mode serves the same files)
//   dist/main/index.js     the main process: app/main/electron/main.ts and the whole engine in one ES module
//   dist/main/preload.cjs  the preload, one CommonJS file (a sandboxed preload can require nothing but 'electron')
//   dist/tray/       tray and window icons (resources/tray)
//   dist/native/     better-sqlite3 built for Electron, if scripts/start.mjs or packaging has made it
// Works offline; needs no Electron binary. `--only main` bundles just main and preload; `--out DIR` builds into DIR
// instead of dist/ (tests bundle into a folder of their own).
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build as esbuild } from 'esbuild'
import { build as viteBuild } from 'vite'
import { electronNativeCache } from './electron-native.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

export async function buildAll({ dist = join(root, 'dist'), only = null, quiet = false } = {}) {
  const say = (line) => quiet || console.log(line)
  if (only === null) {
    say('building the UI (vite) …')
    await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn', build: { outDir: join(dist, 'renderer') } })
  }

  say('bundling the main process and the preload (esbuild) …')
  rmSync(join(dist, 'main'), { recursive: true, force: true })
  await esbuild({
    entryPoints: [join(root, 'app/main/electron/main.ts')],
    outfile: join(dist, 'main/index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Electron 45 runs Node 22.
    target: 'node22',
    // Electron is the runtime itself. better-sqlite3's JavaScript is bundled; its native part is loaded from the
    // path main.ts gives as `nativeBinding` (dist/native), so Node's build in node_modules is never packed or loaded.
    external: ['electron'],
    // The bundled CommonJS packages (ws, zod, better-sqlite3, …) call require() and read __dirname: give them both.
    banner: {
      js: [
        "import { createRequire as __junctionRequire } from 'node:module'",
        "import { fileURLToPath as __junctionPath } from 'node:url'",
        'const require = __junctionRequire(import.meta.url)',
        'const __filename = __junctionPath(import.meta.url)',
        "const __dirname = __junctionPath(new URL('.', import.meta.url))",
      ].join('\n'),
    },
    sourcemap: true,
    logLevel: 'warning',
    // better-sqlite3 requires its addon by a computed path (the nativeBinding we pass): left to run time on purpose.
    logOverride: { 'unsupported-require-call': 'silent' },
  })
  await esbuild({
    entryPoints: [join(root, 'app/main/electron/preload.ts')],
    outfile: join(dist, 'main/preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    sourcemap: 'inline',
    logLevel: 'warning',
  })
  if (only === 'main') return

  say('copying icons …')
  rmSync(join(dist, 'tray'), { recursive: true, force: true })
  cpSync(join(root, 'resources/tray'), join(dist, 'tray'), { recursive: true })

  const native = electronNativeCache(root)
  rmSync(join(dist, 'native'), { recursive: true, force: true })
  if (existsSync(native)) {
    mkdirSync(join(dist, 'native'), { recursive: true })
    cpSync(native, join(dist, 'native/better_sqlite3.node'))
    say('copied the Electron build of better-sqlite3 into dist/native')
  } else {
    say('no Electron build of better-sqlite3 yet (npm start or npm run dist makes it; headless mode does not need it)')
  }
  say('built into dist/')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name) => {
    const i = process.argv.indexOf(name)
    return i > 0 ? process.argv[i + 1] : undefined
  }
  const only = arg('--only') ?? null
  if (only !== null && only !== 'main') {
    console.error('build: --only takes "main"')
    process.exit(2)
  }
  buildAll({ dist: arg('--out') ?? undefined, only, quiet: process.argv.includes('--quiet') }).catch((err) => {
    console.error(`build failed: ${err.message}`)
    process.exit(1)
  })
}
