// electron-builder.yml packs what the app needs and nothing else. Without the Electron binary (it cannot be downloaded
// here), electron-builder packs `--linux dir` around a stand-in executable (`electronDist`); the installers' own
// tools (AppImage, deb, dmg, NSIS) are not run. Checked: the archive holds the bundled main, preload, UI and icons,
// no node_modules and no source maps; the native module sits outside the archive, where paths.ts looks for it.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { shellPaths } from '../../../app/main/electron/paths'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

/** The file names in an asar archive (its header is a JSON tree after a 16-byte pickle prefix). */
function asarFiles(file: string): string[] {
  const buf = readFileSync(file)
  const jsonLength = buf.readUInt32LE(12)
  type Node = { files?: Record<string, Node> }
  const tree = JSON.parse(buf.subarray(16, 16 + jsonLength).toString('utf8')) as Node
  const out: string[] = []
  const walk = (node: Node, prefix: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      if (child.files) walk(child, `${prefix}${name}/`)
      else out.push(`${prefix}${name}`)
    }
  }
  walk(tree, '')
  return out.sort()
}

describe('packaging (electron-builder.yml)', () => {
  it('packs dist/** and package.json into app.asar, with the native module unpacked', () => {
    const project = mkdtempSync(join(tmpdir(), 'junction-pack-'))
    for (const f of ['package.json', 'electron-builder.yml']) cpSync(join(ROOT, f), join(project, f))
    cpSync(join(ROOT, 'resources'), join(project, 'resources'), { recursive: true })
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir')
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--only', 'main', '--out', join(project, 'dist'), '--quiet'], { encoding: 'utf8' })
    assert.equal(build.status, 0, build.stderr)
    // The UI build and the Electron native module are stood in for: what is checked is where they end up.
    mkdirSync(join(project, 'dist/renderer'), { recursive: true })
    writeFileSync(join(project, 'dist/renderer/index.html'), '<!doctype html>')
    writeFileSync(join(project, 'dist/renderer/index.js.map'), '{}')
    cpSync(join(ROOT, 'resources/tray'), join(project, 'dist/tray'), { recursive: true })
    mkdirSync(join(project, 'dist/native'))
    writeFileSync(join(project, 'dist/native/better_sqlite3.node'), 'stand-in')
    const electronDist = join(project, 'electron-dist')
    mkdirSync(electronDist)
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n')
    chmodSync(join(electronDist, 'electron'), 0o755)
    const electronVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version

    const out = join(project, 'out')
    const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js')
    const pack = spawnSync(
      process.execPath,
      [cli, '--linux', 'dir', `-c.electronDist=${electronDist}`, `-c.electronVersion=${electronVersion}`, `-c.directories.output=${out}`],
      { cwd: project, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: 'true' } },
    )
    assert.equal(pack.status, 0, `${pack.stdout}\n${pack.stderr}`)

    const resources = join(out, 'linux-unpacked', 'resources')
    assert.ok(existsSync(join(out, 'linux-unpacked', 'junction')), 'the executable is named junction')
    const files = asarFiles(join(resources, 'app.asar'))
    for (const f of ['package.json', 'dist/main/index.js', 'dist/main/preload.cjs', 'dist/renderer/index.html', 'dist/tray/tray-paused.png', 'dist/tray/app-256.png']) {
      assert.ok(files.includes(f), `${f} in app.asar: ${files.join(', ')}`)
    }
    assert.deepEqual(files.filter((f) => f.startsWith('node_modules/')), [], 'no node_modules')
    assert.deepEqual(files.filter((f) => f.endsWith('.map')), [], 'no source maps')
    // The packed app finds its native module where paths.ts says, outside the archive.
    const paths = shellPaths(join(resources, 'app.asar'), '/home/me/.config/Junction')
    assert.equal(readFileSync(paths.nativeBinding, 'utf8'), 'stand-in')
  })
})
