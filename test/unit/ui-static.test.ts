import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createStaticUi } from '../../app/main/ui-static'

interface Got {
  status: number
  type: string
  csp: string
  body: string
}

function get(port: number, path: string, opts: { method?: string; host?: string } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: opts.host ?? `127.0.0.1:${port}` } }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (c: string) => (body += c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), csp: String(res.headers['content-security-policy']), body }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

async function serve(t: { after(fn: () => unknown): void }, dir: string): Promise<number> {
  const ui = createStaticUi(dir)
  const server: Server = createServer((req, res) => {
    const port = (server.address() as AddressInfo).port
    ui.serve(req, res, port, req.headers.host === `127.0.0.1:${port}`)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => new Promise((r) => server.close(r)))
  return (server.address() as AddressInfo).port
}

function folder(t: { after(fn: () => unknown): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-ui-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('serves the built files with their types and a strict CSP naming only this port', async (t) => {
  const root = folder(t)
  const dir = join(root, 'renderer')
  mkdirSync(join(dir, 'assets'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Junction UI</title>')
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(root, 'secret.txt'), 'not for the page')
  const port = await serve(t, dir)

  const index = await get(port, '/')
  assert.equal(index.status, 200)
  assert.match(index.type, /^text\/html/)
  assert.match(index.body, /Junction UI/)
  assert.match(index.csp, /default-src 'self'/)
  assert.match(index.csp, /frame-ancestors 'none'/)
  assert.ok(index.csp.includes(`ws://127.0.0.1:${port}`))
  assert.ok(!/script-src[^;]*unsafe/.test(index.csp), 'no unsafe script sources')

  const js = await get(port, '/assets/index-abc.js?v=1')
  assert.equal(js.status, 200)
  assert.match(js.type, /^text\/javascript/)

  // Nothing outside the folder, however the path is spelled.
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt']) {
    const r = await get(port, path)
    assert.notEqual(r.status, 200, path)
    assert.ok(!r.body.includes('not for the page'), path)
  }
  assert.equal((await get(port, '/missing.js')).status, 404)
  assert.equal((await get(port, '/%E0%A4%A')).status, 400)
  assert.equal((await get(port, '/', { method: 'POST' })).status, 405)
  assert.equal((await get(port, '/', { host: `evil.example:${port}` })).status, 403, 'DNS rebinding: foreign Host refused')
})

test('without a built UI the page says how to build it', async (t) => {
  const port = await serve(t, join(folder(t), 'nothing-here'))
  const page = await get(port, '/')
  assert.equal(page.status, 200)
  assert.match(page.body, /npm run build/)
  assert.equal((await get(port, '/assets/x.js')).status, 404)
})
