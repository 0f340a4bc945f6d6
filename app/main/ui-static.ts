// The built UI (dist/renderer, `npm run build`) served over plain HTTP by headless mode, on the same loopback port as
// the contract's WebSocket. Only GET/HEAD of files inside that folder, with a strict Content-Security-Policy; the page
// needs the token from the URL fragment to get any data, so the files themselves hold nothing secret.
import { readFileSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** dist/renderer at the repository root (this file is app/main/ui-static.ts). */
export const DEFAULT_UI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/renderer')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
}

/** The policy for the UI page: its own scripts and styles only, WebSockets to this port only, no frames, no forms. */
export function uiContentSecurityPolicy(port: number): string {
  // CSP source expressions cannot name an IPv6 literal: the page is served on 127.0.0.1 / localhost only.
  const ws = [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`].join(' ')
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React sets element styles through the CSSOM, which CSP allows; no inline <style> or style="" markup.
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Junction</title></head>
<body>
<h1>Junction is running</h1>
<p>Its user interface is not built in this copy. Run <code>npm run build</code> in the Junction folder, then reload
this page. The engine works without it: apps connect on the app port as usual.</p>
</body>
</html>
`

export interface StaticUi {
  /** Answers a request for a UI file; `hostOk` is the server's Host check (DNS rebinding). */
  serve(req: IncomingMessage, res: ServerResponse, port: number, hostOk: boolean): void
}

export function createStaticUi(dir: string = DEFAULT_UI_DIR): StaticUi {
  const root = resolve(dir)
  return {
    serve(req, res, port, hostOk) {
      const base = {
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'X-Frame-Options': 'DENY',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Content-Security-Policy': uiContentSecurityPolicy(port),
      }
      const end = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
        res.writeHead(status, { ...base, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) })
        res.end(req.method === 'HEAD' ? undefined : body)
      }
      if (!hostOk) return end(403, 'Host not allowed\n')
      if (req.method !== 'GET' && req.method !== 'HEAD') return end(405, 'Method not allowed\n')
      let path: string
      try {
        path = decodeURIComponent((req.url ?? '/').split(/[?#]/)[0])
      } catch {
        return end(400, 'Bad path\n')
      }
      if (path.includes('\0')) return end(400, 'Bad path\n')
      if (path === '/' || path === '') path = '/index.html'
      const file = resolve(root, '.' + normalize(path))
      // Nothing outside the UI folder, whatever the path says (.., encoded slashes, absolute paths).
      if (file !== root && !file.startsWith(root + sep)) return end(404, 'Not found\n')
      let body: Buffer
      try {
        if (!statSync(file).isFile()) return end(404, 'Not found\n')
        body = readFileSync(file)
      } catch {
        if (path === '/index.html') return end(200, NOT_BUILT, TYPES['.html'])
        return end(404, 'Not found\n')
      }
      end(200, body, TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
    },
  }
}

/** For tests and the not-built page: is there a built UI in `dir`? */
export function uiBuilt(dir: string = DEFAULT_UI_DIR): boolean {
  try {
    return statSync(join(dir, 'index.html')).isFile()
  } catch {
    return false
  }
}
