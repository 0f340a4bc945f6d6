// ILP-over-HTTP pieces on their own, against plain node:http servers and clients: the URL parser, what the client
// link makes of every kind of answer (and of no answer), and what the receiver refuses and why.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it, type TestContext } from 'node:test'
import { HttpClientLink } from '../../../../app/main/engine/links/http-client'
import { HttpReceiver } from '../../../../app/main/engine/links/http-receiver'
import { NextHopAnswerError } from '../../../../app/main/engine/links/link-errors'
import { displayLinkUrl, linkTransport, parseHttpUrl, sameLinkEndpoint } from '../../../../app/main/engine/links/link-url'
import { createLogger } from '../../../../app/main/engine/log'

const FULFILL = Buffer.concat([Buffer.from([13, 32]), Buffer.alloc(32, 7)])
const PREPARE = Buffer.from([12, 1, 0])

async function server(t: TestContext, handler: Parameters<typeof createServer>[1]): Promise<string> {
  const srv: Server = createServer(handler)
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    srv.closeAllConnections()
    srv.close()
  })
  return `http://j:secret-token@127.0.0.1:${(srv.address() as AddressInfo).port}/ilp`
}

function send(link: HttpClientLink, prepare = PREPARE): Promise<{ err: Error | null; reply?: Buffer }> {
  return new Promise((resolve) => link.sendPrepare(prepare, (err, reply) => resolve({ err, reply })))
}

describe('link URLs', () => {
  it('parses an HTTP URL into the POST URL, the peer name and the token, and masks the token', () => {
    const e = parseHttpUrl('https://alice:s%40cret@ilsp.example:8443/ilp?x=1')
    assert.deepEqual(e, { url: 'https://ilsp.example:8443/ilp?x=1', peerName: 'alice', token: 's@cret', display: 'https://alice:***@ilsp.example:8443/ilp' })
    assert.equal(linkTransport('HTTP://a:b@h'), 'http')
    assert.equal(linkTransport('btp+ws://a:b@h'), 'btp')
    assert.equal(displayLinkUrl('btp+ws://a:b@h:1'), 'btp+ws://a:***@h:1')
    assert.equal(displayLinkUrl('nonsense'), '(invalid URL)')
  })

  it('refuses an HTTP URL without a token, naming the form', () => {
    assert.throws(() => parseHttpUrl('https://ilsp.example/ilp'), /carries no token \(https:\/\/name:token@host\/path\)/)
    assert.throws(() => parseHttpUrl('ftp://a:b@h'), /scheme must be http: or https:/)
  })

  it('calls two URLs the same endpoint when only the secret differs', () => {
    assert.equal(sameLinkEndpoint('http://a:one@h:1/p', 'http://a:two@h:1/p'), true)
    assert.equal(sameLinkEndpoint('http://a:one@h:1/p', 'http://b:one@h:1/p'), false)
    assert.equal(sameLinkEndpoint('http://a:one@h:1/p', 'btp+ws://a:one@h:1/p'), false)
  })
})

describe('HTTP client link', () => {
  it('POSTs the prepare with the bearer token, peer name and RFC 35 content type; a 200 with a Fulfill is the reply', async (t) => {
    let seen: { headers: Record<string, unknown>; body: Buffer; method?: string } | undefined
    const url = await server(t, (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        seen = { headers: req.headers, body: Buffer.concat(chunks), method: req.method }
        res.end(FULFILL)
      })
    })
    const link = new HttpClientLink(parseHttpUrl(url))
    t.after(() => link.close())
    const { err, reply } = await send(link)
    assert.equal(err, null)
    assert.deepEqual(reply, FULFILL)
    assert.equal(seen?.method, 'POST')
    assert.equal(seen?.headers.authorization, 'Bearer secret-token')
    assert.equal(seen?.headers['ilp-peer-name'], 'j')
    assert.equal(seen?.headers['content-type'], 'application/octet-stream')
    assert.deepEqual(seen?.body, PREPARE)
  })

  it('turns statuses into answers of the hop: auth and 5xx T00, 400 F00, 200 without ILP T00 — each naming the status', async (t) => {
    let status = 401
    let body: Buffer | string = 'invalid authorization'
    const url = await server(t, (req, res) => {
      req.resume()
      req.on('end', () => {
        res.statusCode = status
        res.end(body)
      })
    })
    const link = new HttpClientLink(parseHttpUrl(url))
    t.after(() => link.close())
    const cases: Array<[number, Buffer | string, 'T00' | 'F00', RegExp]> = [
      [401, 'invalid authorization', 'T00', /refused Junction's token \(HTTP 401: invalid authorization\)/],
      [502, 'server is closed', 'T00', /failed \(HTTP 502: server is closed\)/],
      [400, '', 'F00', /refused the packet \(HTTP 400\)/],
      [200, 'OK', 'T00', /answered 200 without an ILP Fulfill or Reject/],
    ]
    for (const [s, b, code, message] of cases) {
      status = s
      body = b
      const { err } = await send(link)
      assert.ok(err instanceof NextHopAnswerError, `HTTP ${s}: ${String(err)}`)
      assert.equal(err.ilpCode, code)
      assert.match(err.message, message)
    }
  })

  it('says the provider could not be reached when nothing listens (not an answer of the hop)', async () => {
    const reached: string[] = []
    const link = new HttpClientLink(parseHttpUrl('http://j:t@127.0.0.1:1/ilp'), { onUnreachable: (e) => reached.push(e.message) })
    const { err } = await send(link)
    link.close()
    assert.ok(err && !(err instanceof NextHopAnswerError))
    assert.match(err.message, /could not be reached: connection refused/)
    assert.equal(reached.length, 1)
  })

  it('forget aborts the request: the callback is never called and the server sees the connection close', async (t) => {
    let closed!: () => void
    const aborted = new Promise<void>((r) => (closed = r))
    const url = await server(t, (req) => {
      req.resume()
      req.on('close', () => closed())
    })
    const link = new HttpClientLink(parseHttpUrl(url))
    t.after(() => link.close())
    let called = false
    const id = link.sendPrepare(PREPARE, () => (called = true))
    await new Promise((r) => setTimeout(r, 50))
    link.forget(id)
    await aborted
    await new Promise((r) => setTimeout(r, 20))
    assert.equal(called, false)
  })
})

describe('HTTP receiver', () => {
  async function receiver(t: TestContext, onPrepare = (_p: Buffer, answer: (r: Buffer) => void) => answer(FULFILL)) {
    const r = new HttpReceiver({ host: '127.0.0.1', port: 0, token: 'the-receive-token-123', log: createLogger('test'), onPrepare })
    await r.start()
    t.after(() => r.stop())
    return r
  }

  it('answers an authorized prepare with the reply as the body, and says where it listens', async (t) => {
    const got: Buffer[] = []
    const r = await receiver(t, (p, answer) => {
      got.push(p)
      answer(FULFILL)
    })
    assert.equal(r.url, `http://127.0.0.1:${r.port}/ilp`)
    const res = await fetch(r.url, { method: 'POST', body: PREPARE, headers: { authorization: 'Bearer the-receive-token-123' } })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'application/octet-stream')
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), FULFILL)
    assert.deepEqual(got, [PREPARE])
  })

  it('refuses other methods with 405 and answers GET as a health check, never calling the engine', async (t) => {
    let calls = 0
    const r = await receiver(t, (_p, answer) => {
      calls++
      answer(FULFILL)
    })
    const put = await fetch(r.url, { method: 'PUT', body: PREPARE, headers: { authorization: 'the-receive-token-123' } })
    assert.equal(put.status, 405)
    assert.equal(put.headers.get('allow'), 'GET, POST')
    const get = await fetch(r.url)
    assert.equal(get.status, 200)
    assert.equal(calls, 0)
  })

  it('names the problem when the port is taken', async (t) => {
    const first = await receiver(t)
    const second = new HttpReceiver({ host: '127.0.0.1', port: first.port, token: 'x'.repeat(20), log: createLogger('test'), onPrepare: () => {} })
    await assert.rejects(second.start(), new RegExp(`cannot receive at 127.0.0.1:${first.port}: the port is already in use; choose another port`))
    assert.equal(second.listening, false)
    assert.match(second.error ?? '', /already in use/)
  })
})
