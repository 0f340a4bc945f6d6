import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { attachLogFile, createLogger, getLogLevel, recentProblems, RotatingLogFile, setLogLevel } from '../../../app/main/engine/log'

function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), 'junction-log-test-'))
}

describe('log', () => {
  it('a rotating file moves itself aside at its size and keeps the given number of old files', () => {
    const dir = tempFolder()
    try {
      const path = join(dir, 'logs', 'junction.log')
      const f = new RotatingLogFile(path, 1000, 3)
      const line = (i: number) => `line ${String(i).padStart(4, '0')} ${'x'.repeat(89)}` // 100 bytes with the newline
      for (let i = 0; i < 55; i++) f.write(line(i))
      f.close()
      // 10 lines per file: 50–54 in the current one, 40–49 in .1, 30–39 in .2, 20–29 in .3; older ones deleted.
      assert.equal(readFileSync(path, 'utf8').split('\n')[0], line(50))
      assert.equal(readFileSync(`${path}.1`, 'utf8').split('\n')[0], line(40))
      assert.equal(readFileSync(`${path}.3`, 'utf8').split('\n')[0], line(20))
      assert.equal(existsSync(`${path}.4`), false)
      for (const p of [path, `${path}.1`, `${path}.2`, `${path}.3`]) assert.ok(statSync(p).size <= 1000)
      // Reopening appends to what is there.
      const again = new RotatingLogFile(path, 1000, 3)
      again.write(line(55))
      again.close()
      assert.equal(readFileSync(path, 'utf8').split('\n').filter(Boolean).length, 6)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('the runtime level decides what reaches the log file; warnings and errors are kept for diagnostics', () => {
    const dir = tempFolder()
    const before = getLogLevel()
    try {
      const f = new RotatingLogFile(join(dir, 'j.log'))
      const detach = attachLogFile(f)
      const log = createLogger('test-scope')
      setLogLevel('warn')
      log.info('not at warn')
      log.warn('a warning at warn')
      setLogLevel('debug')
      log.debug('a debug line at debug')
      log.error('an error')
      detach()
      log.error('after detaching')
      f.close()
      const text = readFileSync(join(dir, 'j.log'), 'utf8')
      assert.doesNotMatch(text, /not at warn/)
      assert.match(text, /warn  test-scope: a warning at warn/)
      assert.match(text, /debug test-scope: a debug line at debug/)
      assert.match(text, /error test-scope: an error/)
      assert.doesNotMatch(text, /after detaching/)
      const recent = recentProblems(3)
      assert.match(recent[0], /a warning at warn/)
      assert.match(recent[2], /after detaching/)
      assert.ok(recentProblems(1000).every((l) => !/debug line|not at warn/.test(l)), 'only warnings and errors')
    } finally {
      setLogLevel(before)
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses an unknown level', () => {
    assert.throws(() => setLogLevel('loud' as 'info'), /invalid log level "loud"/)
  })
})
