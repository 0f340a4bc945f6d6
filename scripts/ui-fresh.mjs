// Before `npm run headless`: build the UI (dist/renderer) if it is missing or older than its sources, so a fresh
// clone serves the real page on the UI port. Takes a few seconds the first time, nothing afterwards.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))

function newest(dir) {
  let t = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

let built = 0
try {
  built = statSync(join(root, 'dist/renderer/index.html')).mtimeMs
} catch {
  // not built yet
}
const sources = Math.max(newest(join(root, 'app/renderer')), newest(join(root, 'app/shared')), statSync(join(root, 'vite.config.ts')).mtimeMs)
if (built < sources) {
  process.stderr.write(built ? 'junction: the UI changed; rebuilding it …\n' : 'junction: building the UI (first run) …\n')
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'error' })
}
