import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { parseHeadlessArgs, USAGE } from '../../app/main/headless-args'
import { defaultDataFolder } from '../../app/main/engine/data-folder'

function parse(argv: string[]) {
  const args = parseHeadlessArgs(argv)
  assert.notEqual(args, 'help')
  return args as Exclude<ReturnType<typeof parseHeadlessArgs>, 'help'>
}

describe('parseHeadlessArgs', () => {
  it('defaults to local mode on port 7768 with the default data folder', () => {
    const args = parse([])
    assert.equal(args.parent, undefined)
    assert.equal(args.port, 7768)
    assert.equal(args.data, resolve(defaultDataFolder()))
    assert.equal(args.address, undefined)
    assert.equal(args.asset, undefined)
    assert.equal(args.spread, undefined)
    assert.deepEqual(args.allowOrigins, [])
    assert.deepEqual(args.apps, [])
    assert.equal(args.newApps, undefined, 'no flag: the policy saved from the UI applies')
    assert.equal(args.defaultBudget, undefined)
  })

  it('returns "help" for -h and --help, and the usage lists every flag', () => {
    assert.equal(parseHeadlessArgs(['-h']), 'help')
    assert.equal(parseHeadlessArgs(['--help']), 'help')
    for (const flag of ['--parent', '--data', '--port', '--address', '--asset', '--spread', '--allow-origin', '--app', '--new-apps', '--default-budget', '--help']) {
      assert.ok(USAGE.includes(flag), flag)
    }
  })

  it('reads every flag', () => {
    const args = parse([
      '--parent', 'btp+wss://me:secret@ilsp.example/btp',
      '--data', '/tmp/junction-data',
      '--port', '0',
      '--address', 'test.me',
      '--asset', 'USD:2',
      '--spread', '0.005',
    ])
    assert.equal(args.parent, 'btp+wss://me:secret@ilsp.example/btp')
    assert.equal(args.data, '/tmp/junction-data')
    assert.equal(args.port, 0)
    assert.equal(args.address, 'test.me')
    assert.deepEqual(args.asset, { code: 'USD', scale: 2 })
    assert.equal(args.spread, '0.005')
  })

  it('reads --ui-port and --ui-token; defaults to UI port 7769 and no fixed token', () => {
    assert.equal(parse([]).uiPort, 7769)
    assert.equal(parse([]).uiToken, undefined)
    const args = parse(['--ui-port', '0', '--ui-token', 'abcdefghijklmnop_-12'])
    assert.equal(args.uiPort, 0)
    assert.equal(args.uiToken, 'abcdefghijklmnop_-12')
    for (const port of ['-1', '65536', 'abc', '']) assert.throws(() => parseHeadlessArgs([`--ui-port=${port}`]), /--ui-port/, port)
    for (const token of ['short', 'has space in it....', 'a'.repeat(257), 'token,with,commas!!']) {
      assert.throws(() => parseHeadlessArgs(['--ui-token', token]), /--ui-token/, token)
    }
    assert.ok(USAGE.includes('--ui-port') && USAGE.includes('--ui-token'))
  })

  it('makes a relative data folder absolute', () => {
    assert.equal(parse(['--data', 'rel/dir']).data, resolve('rel/dir'))
  })

  it('collects repeated --allow-origin and --app', () => {
    const args = parse(['--allow-origin', 'https://a.example', '--allow-origin', 'http://localhost:3000', '--app', 'wallet:tok1', '--app', 'shop:a:b:c'])
    assert.deepEqual(args.allowOrigins, ['https://a.example', 'http://localhost:3000'])
    // The token is everything after the first colon.
    assert.deepEqual(args.apps, [
      { name: 'wallet', token: 'tok1' },
      { name: 'shop', token: 'a:b:c' },
    ])
  })

  it('refuses ports that are not 0–65535, naming the flag', () => {
    for (const port of ['-1', '65536', '1.5', 'abc', '80x']) {
      assert.throws(() => parseHeadlessArgs([`--port=${port}`]), /--port/, port)
    }
    assert.equal(parse(['--port', '65535']).port, 65535)
  })

  it('refuses an empty --port instead of taking it as 0 (a free port)', () => {
    assert.throws(() => parseHeadlessArgs(['--port=']), /--port/)
    assert.throws(() => parseHeadlessArgs(['--port', ' ']), /--port/)
  })

  it('refuses an asset that is not CODE:SCALE with a scale 0–255', () => {
    for (const asset of ['USD', 'USD:', ':2', 'USD:256', 'USD:-1', 'USD:x']) {
      assert.throws(() => parseHeadlessArgs(['--asset', asset]), /--asset/, asset)
    }
    assert.deepEqual(parse(['--asset', 'XRP:0']).asset, { code: 'XRP', scale: 0 })
    assert.deepEqual(parse(['--asset', 'X:255']).asset, { code: 'X', scale: 255 })
  })

  it('refuses an app without both a name and a token', () => {
    for (const app of ['wallet', ':token', 'wallet:']) {
      assert.throws(() => parseHeadlessArgs(['--app', app]), /--app/, app)
    }
  })

  it('reads --new-apps allow|ask|deny and refuses anything else, naming the flag', () => {
    for (const policy of ['allow', 'ask', 'deny'] as const) assert.equal(parse(['--new-apps', policy]).newApps, policy)
    for (const bad of ['', 'ALLOW', 'maybe']) {
      assert.throws(() => parseHeadlessArgs(['--new-apps', bad]), /^Error: --new-apps .*expected allow, ask or deny/, bad)
    }
  })

  it('reads --default-budget <base units>/day|week|month as bigint', () => {
    assert.deepEqual(parse(['--default-budget', '1000000/day']).defaultBudget, { amount: 1000000n, period: 'day' })
    assert.deepEqual(parse(['--default-budget', '0/week']).defaultBudget, { amount: 0n, period: 'week' })
    assert.deepEqual(parse(['--default-budget', '9223372036854775807/month']).defaultBudget, { amount: 2n ** 63n - 1n, period: 'month' })
    for (const bad of ['1000', '1000/year', '-5/day', '1.5/day', '/day', '9223372036854775808/day', '1000/Day']) {
      assert.throws(() => parseHeadlessArgs([`--default-budget=${bad}`]), /^Error: --default-budget /, bad)
    }
  })

  it('refuses unknown flags, positionals and missing values', () => {
    assert.throws(() => parseHeadlessArgs(['--bogus']))
    assert.throws(() => parseHeadlessArgs(['extra']))
    assert.throws(() => parseHeadlessArgs(['--port']))
  })

  it('reads one maintenance job with an absolute file name, and refuses two or an empty name', () => {
    assert.equal(parse([]).maintenance, undefined)
    assert.deepEqual(parse(['--backup', '/tmp/b.db']).maintenance, { job: 'backup', file: '/tmp/b.db' })
    assert.deepEqual(parse(['--restore', 'rel/b.db']).maintenance, { job: 'restore', file: resolve('rel/b.db') })
    assert.deepEqual(parse(['--export-csv', 'x.csv']).maintenance, { job: 'export-csv', file: resolve('x.csv') })
    assert.throws(() => parseHeadlessArgs(['--backup', 'a', '--restore', 'b']), /one maintenance job at a time/)
    assert.throws(() => parseHeadlessArgs(['--backup=']), /--backup: expected a file name/)
  })
})
