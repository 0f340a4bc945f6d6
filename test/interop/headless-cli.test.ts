// The headless runner as a user runs it: a child process (`node --import tsx app/main/headless.ts …`), its stdout
// status lines, its exit codes, its data-folder lock and its signals, with real BTP apps and a real ILSP.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { test } from 'node:test'
import WebSocket from 'ws'
import { connectPlugin, freePort, startIlsp } from '../support/ilsp'
import { type HeadlessProcess, spawnHeadless } from '../support/headless'
import { cleanup, disconnectAll, fetchIldcp, withTimeout } from '../support/junction'

// The ready line ends with ` ui=http://127.0.0.1:<ui-port>/#token=<token>` (group 3: the UI URL).
const READY = /^junction ready address=(\S+) apps=btp\+ws:\/\/localhost:(\d+)(?: ui=(\S+))?$/

type Cli = HeadlessProcess

/** The CLI as a user runs it, quiet on stderr (status lines on stdout are what is checked). */
function runCli(args: string[]): Cli {
  return spawnHeadless(args, { env: { JUNCTION_LOG: 'silent' } })
}

function tempDataFolder(defer: (step: () => unknown) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-cli-'))
  defer(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('local mode: ready line, apps get their address, a second instance is refused by the lock, SIGTERM exits 0', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const data = tempDataFolder(defer)
  const port = await freePort()
  const cli = runCli(['--port', String(port), '--data', data])
  defer(() => cli.stop('SIGKILL'))

  const ready = await cli.line(READY)
  assert.equal(ready[1], 'private.junction')
  assert.equal(Number(ready[2]), port, 'the ready line names the port it was given')
  await cli.line(/^junction address private\.junction$/)
  assert.ok(existsSync(join(data, 'junction.lock')), 'the data folder is locked while it runs')

  // An app connects with the URL from the ready line.
  const app = await connectPlugin(`btp+ws://alice:alice-token@localhost:${ready[2]}`)
  defer(() => disconnectAll(app))
  assert.deepEqual(await fetchIldcp(app), { clientAddress: 'private.junction.alice', assetCode: 'XRP', assetScale: 9 })

  // A second Junction on the same data folder refuses to start and says why.
  const second = runCli(['--port', '0', '--data', data])
  defer(() => second.stop('SIGKILL'))
  const { code } = await withTimeout(second.exited, 20_000, 'the second instance to exit')
  assert.notEqual(code, 0)
  assert.match(second.stderr(), /in use by another Junction/)
  assert.match(second.stderr(), new RegExp(`pid ${cli.child.pid}`))
  assert.equal(second.lines.filter((l) => READY.test(l)).length, 0, 'the second instance never became ready')

  // The first one is unaffected, and SIGTERM stops it cleanly and releases the lock.
  assert.equal((await fetchIldcp(app)).clientAddress, 'private.junction.alice')
  await disconnectAll(app)
  const exit = await cli.stop('SIGTERM')
  assert.deepEqual(exit, { code: 0, signal: null })
  assert.equal(existsSync(join(data, 'junction.lock')), false, 'the lock is released on exit')
})

test('flags: --address, --asset and --app are honoured; SIGINT exits 0', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const data = tempDataFolder(defer)
  const cli = runCli(['--port', '0', '--data', data, '--address', 'test.cli.node', '--asset', 'USD:2', '--app', 'wallet:wallet-secret'])
  defer(() => cli.stop('SIGKILL'))
  const ready = await cli.line(READY)
  assert.equal(ready[1], 'test.cli.node')
  const port = Number(ready[2])
  assert.ok(port > 0)

  const wallet = await connectPlugin(`btp+ws://wallet:wallet-secret@127.0.0.1:${port}`)
  defer(() => disconnectAll(wallet))
  assert.deepEqual(await fetchIldcp(wallet), { clientAddress: 'test.cli.node.wallet', assetCode: 'USD', assetScale: 2 })
  await disconnectAll(wallet)

  const exit = await cli.stop('SIGINT')
  assert.deepEqual(exit, { code: 0, signal: null })
})

test('a lock left by a Junction that was killed does not block the next start', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const data = tempDataFolder(defer)
  const first = runCli(['--port', '0', '--data', data])
  defer(() => first.stop('SIGKILL'))
  await first.line(READY)
  const killed = await first.stop('SIGKILL')
  assert.equal(killed.signal, 'SIGKILL')
  assert.ok(existsSync(join(data, 'junction.lock')), 'a killed process leaves its lock file behind')

  const next = runCli(['--port', '0', '--data', data])
  defer(() => next.stop('SIGKILL'))
  await next.line(READY)
  assert.deepEqual(await next.stop('SIGTERM'), { code: 0, signal: null })
})

test('--help prints the usage and exits 0', { timeout: 30_000 }, async () => {
  const cli = runCli(['--help'])
  const { code } = await withTimeout(cli.exited, 20_000, '--help to exit')
  assert.equal(code, 0)
  const out = cli.lines.join('\n')
  assert.match(out, /^Usage:/)
  for (const flag of ['--parent', '--data', '--port', '--address', '--asset', '--spread', '--allow-origin', '--app', '--ui-port', '--ui-token']) {
    assert.ok(out.includes(flag), `usage mentions ${flag}`)
  }
})

test('bad flags exit non-zero with a message naming the flag', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const data = tempDataFolder(defer)
  const cases: Array<{ args: string[]; names: RegExp }> = [
    { args: ['--port', 'abc'], names: /--port abc/ },
    { args: ['--port', '70000'], names: /--port 70000/ },
    { args: ['--asset', 'XRP'], names: /--asset XRP/ },
    { args: ['--app', 'nameonly'], names: /--app nameonly/ },
    { args: ['--bogus'], names: /--bogus/ },
    { args: ['--ui-port', 'x1'], names: /--ui-port x1/ },
    { args: ['--ui-token', 'short'], names: /--ui-token/ },
  ]
  const runs = cases.map((c) => ({ c, cli: runCli([...c.args, '--data', data]) }))
  for (const { cli } of runs) defer(() => cli.stop('SIGKILL'))
  for (const { c, cli } of runs) {
    const { code } = await withTimeout(cli.exited, 20_000, `${c.args.join(' ')} to exit`)
    assert.notEqual(code, 0, `${c.args.join(' ')} must fail`)
    assert.match(cli.stderr(), c.names, `${c.args.join(' ')}: stderr was ${JSON.stringify(cli.stderr())}`)
    assert.equal(cli.lines.filter((l) => READY.test(l)).length, 0)
  }
})

test('with --parent: the address line shows the ILSP-assigned address and apps get theirs', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const ilsp = await startIlsp({ address: 'test.isp' })
  defer(() => ilsp.stop())
  const data = tempDataFolder(defer)
  const user = 'cli' + Date.now().toString(36)
  const cli = runCli(['--port', '0', '--data', data, '--parent', ilsp.btpUrl(user, 'cli-secret')])
  defer(() => cli.stop('SIGKILL'))

  const ready = await cli.line(READY)
  assert.ok(ready[1] === 'pending' || ready[1] === `test.isp.children.${user}`, `ready line address=${ready[1]}`)
  const address = await cli.line(/^junction address (\S+)$/)
  assert.equal(address[1], `test.isp.children.${user}`)

  const app = await connectPlugin(`btp+ws://bob:bob-token@localhost:${ready[2]}`)
  defer(() => disconnectAll(app))
  assert.equal((await fetchIldcp(app)).clientAddress, `test.isp.children.${user}.bob`)
  await disconnectAll(app)
  assert.deepEqual(await cli.stop('SIGTERM'), { code: 0, signal: null })
})

/** Opens the UI WebSocket with `token`; resolves with the answer to `status`, or the HTTP status of the refusal. */
function uiStatus(port: number, token: string): Promise<{ result: { address: string } } | { refused: number }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, ['junction', `token.${token}`])
  return withTimeout(
    new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => {
        resolve({ refused: res.statusCode ?? 0 })
        res.resume()
        ws.terminate()
      })
      ws.once('error', reject)
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'status' })))
      ws.once('message', (data) => {
        resolve(JSON.parse(data.toString()))
        ws.close()
      })
    }),
    10_000,
    'the UI API to answer',
  )
}

test('the ready line ends with the UI URL and its token; --ui-token fixes it; a busy UI port is named', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const data = tempDataFolder(defer)
  const uiPort = await freePort()
  const cli = runCli(['--port', '0', '--data', data, '--ui-port', String(uiPort)])
  defer(() => cli.stop('SIGKILL'))
  const ready = await cli.line(READY)
  const ui = /^http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43})$/.exec(ready[3] ?? '')
  assert.ok(ui, `ready line: ${ready[0]}`)
  assert.equal(Number(ui[1]), uiPort)
  const token = ui[2]
  const answer = await uiStatus(uiPort, token)
  assert.ok('result' in answer, JSON.stringify(answer))
  assert.equal(answer.result.address, 'private.junction')
  assert.deepEqual(await uiStatus(uiPort, 'wrong-' + token), { refused: 401 })
  assert.deepEqual(await cli.stop('SIGTERM'), { code: 0, signal: null })

  // A restart gets a fresh token; --ui-token keeps one.
  const next = runCli(['--port', '0', '--data', data, '--ui-port', '0', '--ui-token', 'my-own-ui-token-1234'])
  defer(() => next.stop('SIGKILL'))
  const line = await next.line(READY)
  const m = /:(\d+)\/#token=(\S+)$/.exec(line[3] ?? '')
  assert.ok(m, line[0])
  assert.equal(m[2], 'my-own-ui-token-1234')
  const own = await uiStatus(Number(m[1]), 'my-own-ui-token-1234')
  assert.ok('result' in own && own.result.address === 'private.junction', JSON.stringify(own))
  assert.deepEqual(await uiStatus(Number(m[1]), token), { refused: 401 }, "the first run's token is no good now")
  assert.deepEqual(await next.stop('SIGTERM'), { code: 0, signal: null })

  // The UI port is taken: a clear message naming the port and the flag, and no lock left behind.
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(uiPort, '127.0.0.1', resolve))
  defer(() => new Promise<void>((resolve) => blocker.close(() => resolve())))
  const busy = runCli(['--port', '0', '--data', data, '--ui-port', String(uiPort)])
  defer(() => busy.stop('SIGKILL'))
  const { code } = await withTimeout(busy.exited, 20_000, 'the busy-port run to exit')
  assert.notEqual(code, 0)
  assert.match(busy.stderr(), new RegExp(`UI port ${uiPort}.*in use.*--ui-port`))
  assert.equal(busy.lines.filter((l) => READY.test(l)).length, 0)
  assert.equal(existsSync(join(data, 'junction.lock')), false, 'the lock is released')
})
