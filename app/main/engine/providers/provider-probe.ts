// Testing a provider before using it: connect once, authenticate, ask ILDCP, disconnect. Answers the address and
// asset the provider would give Junction and the ILDCP round trip, or why it failed (refused, unreachable, no answer).
// An ILP-over-HTTP provider has nothing to connect: the ILDCP request is the whole test.
import { BtpClient } from '../btp/btp-client'
import { parseBtpUrl } from '../btp/btp-url'
import { HttpClientLink } from '../links/http-client'
import { linkTransport, parseHttpUrl } from '../links/link-url'
import type { Logger } from '../log'
import { ildcpRoundTrip, type ProviderIdentity } from './ildcp-round-trip'

export type ProbeResult = { ok: true; identity: ProviderIdentity; latencyMs: number } | { ok: false; error: string }

export async function probeProvider(url: string, log: Logger, timeoutMs = 10_000): Promise<ProbeResult> {
  if (linkTransport(url) === 'http') return await probeHttpProvider(url, timeoutMs)
  const endpoint = parseBtpUrl(url)
  return await new Promise<ProbeResult>((resolve) => {
    let done = false
    const finish = (result: ProbeResult) => {
      if (done) return
      done = true
      clearTimeout(timer)
      client.stop()
      resolve(result)
    }
    const timer = setTimeout(() => finish({ ok: false, error: `no answer from ${endpoint.display} within ${timeoutMs / 1000} s` }), timeoutMs)
    const client: BtpClient = new BtpClient({
      endpoint,
      log,
      // The probe never answers packets: a provider has no reason to send any to a test connection.
      onPrepare: () => {},
      onState: (state) => {
        // The first failure is the answer; the client would otherwise retry with backoff.
        if (state.state === 'waiting') finish({ ok: false, error: state.lastError })
      },
      onOpen: (session) => {
        ildcpRoundTrip(session, timeoutMs).then(
          ({ identity, latencyMs }) => finish({ ok: true, identity, latencyMs }),
          (err: Error) => finish({ ok: false, error: `connected, but ILDCP failed: ${err.message}` }),
        )
      },
      onClose: () => {},
    })
    client.start()
  })
}

async function probeHttpProvider(url: string, timeoutMs: number): Promise<ProbeResult> {
  const link = new HttpClientLink(parseHttpUrl(url), { maxWaitMs: timeoutMs, maxSockets: 1 })
  try {
    const { identity, latencyMs } = await ildcpRoundTrip(link, timeoutMs)
    return { ok: true, identity, latencyMs }
  } catch (err) {
    return { ok: false, error: (err as Error).message }
  } finally {
    link.close()
  }
}
