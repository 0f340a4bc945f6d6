// Headless settings from a config file and JUNCTION_* variables: their format, their errors (naming the key or
// variable), and the precedence flags > environment > file.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir, homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { engineConfig, type HeadlessArgs, parseHeadlessArgs, settingsFromFile, USAGE } from '../../app/main/headless-args'

const FILE = '/etc/junction/junction.json'

function parse(argv: string[], env: NodeJS.ProcessEnv = {}, file?: unknown): HeadlessArgs {
  const readFile = (path: string) => {
    assert.equal(path, FILE)
    return typeof file === 'string' ? file : JSON.stringify(file)
  }
  const args = parseHeadlessArgs(argv, { env, readFile })
  assert.notEqual(args, 'help')
  return args as HeadlessArgs
}

const FULL_FILE = {
  parent: 'btp+wss://me:secret@ilsp.example/btp',
  data: '/var/lib/junction',
  port: 17768,
  address: 'test.me',
  asset: 'USD:2',
  spread: '0.005',
  'allow-origin': ['https://a.example', 'https://b.example'],
  app: ['wallet:tok1', 'shop:a:b'],
  'new-apps': 'ask',
  'default-budget': '1000/day',
  'ui-port': '17769',
  'ui-token': 'abcdefghijklmnop_-12',
}

describe('headless config file', () => {
  it('reads every setting from the file named by --config', () => {
    const args = parse(['--config', FILE], {}, FULL_FILE)
    assert.equal(args.parent, FULL_FILE.parent)
    assert.equal(args.data, '/var/lib/junction')
    assert.equal(args.port, 17768)
    assert.equal(args.address, 'test.me')
    assert.deepEqual(args.asset, { code: 'USD', scale: 2 })
    assert.equal(args.spread, '0.005')
    assert.deepEqual(args.allowOrigins, ['https://a.example', 'https://b.example'])
    assert.deepEqual(args.apps, [
      { name: 'wallet', token: 'tok1' },
      { name: 'shop', token: 'a:b' },
    ])
    assert.equal(args.newApps, 'ask')
    assert.deepEqual(args.defaultBudget, { amount: 1000n, period: 'day' })
    assert.equal(args.uiPort, 17769)
    assert.equal(args.uiToken, 'abcdefghijklmnop_-12')
  })

  it('is found through JUNCTION_CONFIG too', () => {
    assert.equal(parse([], { JUNCTION_CONFIG: FILE }, { port: 1234 }).port, 1234)
  })

  it('resolves a relative data folder against the file’s folder, and ~/ against the home folder', () => {
    assert.equal(parse(['--config', FILE], {}, { data: 'state' }).data, '/etc/junction/state')
    assert.equal(parse(['--config', FILE], {}, { data: '~/junction-data' }).data, join(homedir(), 'junction-data'))
  })

  it('takes a single string for a repeatable key, and null as not set', () => {
    const args = parse(['--config', FILE], {}, { 'allow-origin': 'https://a.example', parent: null })
    assert.deepEqual(args.allowOrigins, ['https://a.example'])
    assert.equal(args.parent, undefined)
  })

  it('refuses an unknown key, naming it and the file', () => {
    assert.throws(() => parse(['--config', FILE], {}, { prot: 7768 }), (err: Error) => {
      assert.match(err.message, /unknown key "prot" in \/etc\/junction\/junction\.json/)
      assert.match(err.message, /known keys: parent, data, port/)
      return true
    })
    assert.throws(() => parse(['--config', FILE], {}, { backup: 'x' }), /"backup" .*flags only: --backup FILE/)
  })

  it('refuses a bad value, naming the key and the file', () => {
    assert.throws(() => parse(['--config', FILE], {}, { port: 'abc' }), /^Error: "port" in \/etc\/junction\/junction\.json \("abc"\): expected a port number/)
    assert.throws(() => parse(['--config', FILE], {}, { port: 1.5 }), /"port" in .*: expected a string or a whole number/)
    assert.throws(() => parse(['--config', FILE], {}, { 'new-apps': 'maybe' }), /"new-apps" in .*expected allow, ask or deny/)
    assert.throws(() => parse(['--config', FILE], {}, { 'default-budget': '5/year' }), /"default-budget" in /)
    assert.throws(() => parse(['--config', FILE], {}, { app: ['wallet'] }), /"app" in .*\("wallet"\): expected NAME:TOKEN/)
    assert.throws(() => parse(['--config', FILE], {}, { 'allow-origin': [1] }), /"allow-origin" in .*expected a list of strings/)
    assert.throws(() => parse(['--config', FILE], {}, { 'ui-token': 'short' }), /"ui-token" in .*at least 16/)
  })

  it('refuses a file that is not a JSON object, or cannot be read, naming it', () => {
    assert.throws(() => parse(['--config', FILE], {}, '{ "port": '), /the config file \/etc\/junction\/junction\.json is not valid JSON/)
    assert.throws(() => parse(['--config', FILE], {}, [1, 2]), /must hold a JSON object/)
    const missing = join(mkdtempSync(join(tmpdir(), 'junction-cfg-')), 'nope.json')
    assert.throws(() => parseHeadlessArgs(['--config', missing], { env: {} }), new RegExp(`cannot read the config file ${missing}: it does not exist`))
    assert.throws(() => parseHeadlessArgs(['--config='], { env: {} }), /--config: expected a file name/)
  })

  it('reads a real file from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'junction-cfg-'))
    const file = join(dir, 'junction.json')
    writeFileSync(file, JSON.stringify({ port: 4321, data: 'd' }))
    const args = parseHeadlessArgs(['--config', file], { env: {} }) as HeadlessArgs
    assert.equal(args.port, 4321)
    assert.equal(args.data, join(dir, 'd'))
    assert.equal(settingsFromFile(file).port?.where, `"port" in ${file}`)
  })

  it('is described in the usage', () => {
    assert.ok(USAGE.includes('--config FILE'))
    assert.ok(USAGE.includes('JUNCTION_PARENT'))
  })
})

describe('headless environment variables', () => {
  it('reads JUNCTION_* named after the flags; lists split on commas and spaces', () => {
    const args = parse([], {
      JUNCTION_PARENT: 'btp+ws://u:s@h:1',
      JUNCTION_DATA: 'rel/data',
      JUNCTION_PORT: '2000',
      JUNCTION_UI_PORT: '2001',
      JUNCTION_NEW_APPS: 'deny',
      JUNCTION_DEFAULT_BUDGET: '7/week',
      JUNCTION_ALLOW_ORIGIN: 'https://a.example, https://b.example  http://localhost:3000',
      JUNCTION_APP: 'a:1,b:2',
      JUNCTION_ASSET: 'EUR:3',
      JUNCTION_UI_TOKEN: 'ABCDEFGHIJKLMNOP',
    })
    assert.equal(args.parent, 'btp+ws://u:s@h:1')
    assert.equal(args.data, resolve('rel/data'))
    assert.equal(args.port, 2000)
    assert.equal(args.uiPort, 2001)
    assert.equal(args.newApps, 'deny')
    assert.deepEqual(args.defaultBudget, { amount: 7n, period: 'week' })
    assert.deepEqual(args.allowOrigins, ['https://a.example', 'https://b.example', 'http://localhost:3000'])
    assert.deepEqual(args.apps, [
      { name: 'a', token: '1' },
      { name: 'b', token: '2' },
    ])
    assert.deepEqual(args.asset, { code: 'EUR', scale: 3 })
    assert.equal(args.uiToken, 'ABCDEFGHIJKLMNOP')
  })

  it('takes an empty variable as unset', () => {
    assert.equal(parse([], { JUNCTION_PORT: '' }).port, 7768)
    assert.equal(parse([], { JUNCTION_PARENT: ' ' }).parent, undefined)
  })

  it('refuses a bad value, naming the variable', () => {
    assert.throws(() => parse([], { JUNCTION_PORT: '99999' }), /^Error: JUNCTION_PORT=99999: expected a port number/)
    assert.throws(() => parse([], { JUNCTION_NEW_APPS: 'ALLOW' }), /^Error: JUNCTION_NEW_APPS=ALLOW: expected allow, ask or deny/)
    assert.throws(() => parse([], { JUNCTION_APP: 'a:1,oops' }), /^Error: JUNCTION_APP=oops: expected NAME:TOKEN/)
  })
})

describe('precedence: flags > environment > file', () => {
  it('takes each setting from the strongest source that has it', () => {
    const args = parse(
      ['--config', FILE, '--port', '3000'],
      { JUNCTION_PORT: '2000', JUNCTION_UI_PORT: '2001', JUNCTION_NEW_APPS: 'deny' },
      { port: 1000, 'ui-port': 1001, 'new-apps': 'ask', spread: '0.01' },
    )
    assert.equal(args.port, 3000, 'flag over env and file')
    assert.equal(args.uiPort, 2001, 'env over file')
    assert.equal(args.newApps, 'deny', 'env over file')
    assert.equal(args.spread, '0.01', 'file when nothing else says')
  })

  it('replaces a list as a whole rather than merging it', () => {
    const file = { 'allow-origin': ['https://file.example'] }
    assert.deepEqual(parse(['--config', FILE], {}, file).allowOrigins, ['https://file.example'])
    assert.deepEqual(parse(['--config', FILE], { JUNCTION_ALLOW_ORIGIN: 'https://env.example' }, file).allowOrigins, ['https://env.example'])
    assert.deepEqual(
      parse(['--config', FILE, '--allow-origin', 'https://flag.example'], { JUNCTION_ALLOW_ORIGIN: 'https://env.example' }, file).allowOrigins,
      ['https://flag.example'],
    )
  })

  it('lets a good flag stand in for a bad file value (the file’s value is never checked then)', () => {
    assert.equal(parse(['--config', FILE, '--port', '5'], {}, { port: 'junk' }).port, 5)
  })

  it('--config beats JUNCTION_CONFIG', () => {
    const readFile = (path: string) => {
      assert.equal(path, FILE, 'only the flag’s file is read')
      return '{"port": 9}'
    }
    const args = parseHeadlessArgs(['--config', FILE], { env: { JUNCTION_CONFIG: '/elsewhere.json' }, readFile }) as HeadlessArgs
    assert.equal(args.port, 9)
  })
})

describe('engineConfig', () => {
  it('turns the settings into the engine’s config, leaving unset ones to the engine’s defaults', () => {
    const config = engineConfig(parse(['--config', FILE], {}, FULL_FILE))
    assert.deepEqual(config, {
      port: 17768,
      parent: FULL_FILE.parent,
      address: 'test.me',
      assetCode: 'USD',
      assetScale: 2,
      spread: '0.005',
      allowOrigins: ['https://a.example', 'https://b.example'],
      apps: [
        { name: 'wallet', token: 'tok1' },
        { name: 'shop', token: 'a:b' },
      ],
      newApps: 'ask',
      defaultBudget: { amount: 1000n, period: 'day' },
    })
    const bare = engineConfig(parse([]))
    assert.ok(!('address' in bare) && !('assetCode' in bare) && !('spread' in bare))
    assert.equal(bare.newApps, undefined)
  })
})
