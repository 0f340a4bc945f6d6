import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { defaultDataFolder, lockDataFolder } from '../../../app/main/engine/data-folder'

const root = mkdtempSync(join(tmpdir(), 'junction-data-folder-'))
after(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const freshFolder = () => join(root, `folder-${n++}`)

describe('lockDataFolder', () => {
  it('creates the folder and a lock file holding this pid; release removes it', () => {
    const folder = join(freshFolder(), 'nested', 'deeper')
    const lock = lockDataFolder(folder)
    assert.equal(lock.path, join(folder, 'junction.lock'))
    assert.equal(readFileSync(lock.path, 'utf8').trim(), String(process.pid))
    lock.release()
    assert.equal(existsSync(lock.path), false)
    lock.release() // twice is harmless
    // And the folder can be locked again.
    lockDataFolder(folder).release()
  })

  it('refuses a folder locked by another running process, naming its pid', async (t) => {
    const folder = freshFolder()
    const other = spawn('sleep', ['30'], { stdio: 'ignore' })
    t.after(() => other.kill())
    await once(other, 'spawn')
    const pid = other.pid!
    lockDataFolder(folder).release() // creates the folder
    writeFileSync(join(folder, 'junction.lock'), String(pid))
    assert.throws(() => lockDataFolder(folder), (err: Error) => err.message.includes(`pid ${pid}`) && err.message.includes(folder))
    // The other owner's lock is left alone.
    assert.equal(readFileSync(join(folder, 'junction.lock'), 'utf8'), String(pid))
  })

  it('takes over a lock left by a process that no longer runs', async () => {
    const folder = freshFolder()
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    await once(gone, 'exit')
    lockDataFolder(folder).release()
    writeFileSync(join(folder, 'junction.lock'), String(gone.pid))
    const lock = lockDataFolder(folder)
    assert.equal(readFileSync(lock.path, 'utf8').trim(), String(process.pid))
    lock.release()
  })

  it('takes over a lock file that holds no pid', () => {
    const folder = freshFolder()
    lockDataFolder(folder).release()
    for (const content of ['', 'garbage', '-5', '0']) {
      writeFileSync(join(folder, 'junction.lock'), content)
      const lock = lockDataFolder(folder)
      assert.equal(readFileSync(lock.path, 'utf8').trim(), String(process.pid), JSON.stringify(content))
      lock.release()
    }
  })

  it('refuses a second lock on the same folder from the same process, and frees it on release', () => {
    const folder = freshFolder()
    const first = lockDataFolder(folder)
    assert.throws(() => lockDataFolder(folder), /already in use by this Junction/)
    first.release()
    const again = lockDataFolder(folder)
    assert.equal(readFileSync(again.path, 'utf8').trim(), String(process.pid))
    again.release()
  })

  it('takes over a lock file holding its own pid that it does not hold (left by a crash before a pid was reused)', () => {
    const folder = freshFolder()
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'junction.lock'), String(process.pid))
    const lock = lockDataFolder(folder)
    assert.equal(readFileSync(lock.path, 'utf8').trim(), String(process.pid))
    lock.release()
  })

  it('does not remove a lock that another process has taken since', () => {
    const folder = freshFolder()
    const lock = lockDataFolder(folder)
    writeFileSync(lock.path, '999999999')
    lock.release()
    assert.equal(readFileSync(lock.path, 'utf8'), '999999999')
  })
})

describe('defaultDataFolder', () => {
  it('uses %APPDATA%\\Junction on Windows', () => {
    assert.equal(defaultDataFolder({ APPDATA: '/roaming' }, 'win32'), join('/roaming', 'Junction'))
    assert.equal(defaultDataFolder({}, 'win32'), join(homedir(), 'AppData', 'Roaming', 'Junction'))
  })

  it('uses ~/Library/Application Support/Junction on macOS, whatever XDG says', () => {
    const expected = join(homedir(), 'Library', 'Application Support', 'Junction')
    assert.equal(defaultDataFolder({}, 'darwin'), expected)
    assert.equal(defaultDataFolder({ XDG_CONFIG_HOME: '/xdg' }, 'darwin'), expected)
  })

  it('uses $XDG_CONFIG_HOME/Junction, else ~/.config/Junction, on Linux and other Unixes', () => {
    assert.equal(defaultDataFolder({ XDG_CONFIG_HOME: '/xdg' }, 'linux'), join('/xdg', 'Junction'))
    assert.equal(defaultDataFolder({}, 'linux'), join(homedir(), '.config', 'Junction'))
    assert.equal(defaultDataFolder({}, 'freebsd'), join(homedir(), '.config', 'Junction'))
  })
})
