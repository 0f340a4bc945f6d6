// The STREAM exchange-rate probe: what a receiver beyond Junction gets for what Junction sends, measured the way STREAM
// senders measure it. Junction resolves the payment pointer (SPSP, spsp.ts), then opens a STREAM connection with
// ilp-protocol-stream from its own internal account (probe/probe-account.ts) and lets the library probe the path:
// test packets of 1, 10³, 10⁶, 10⁹ and 10¹² base units with a random condition (so none can be fulfilled: no money
// moves), which the receiver rejects saying how much arrived; F08s on the way shrink them and tell the path's largest
// packet. Once connected, the connection is closed without sending money.
//
// What it reports: the rate of the probe packet the library settled on (`delivered` ÷ `sent`, the largest one that
// reached the receiver with the precision it wants), the receiver's asset if it said (ConnectionAssetDetails), the
// largest packet amount learnt from F08s, and the round trip of the fastest probe packet the receiver answered.
// Failures are ApiErrors whose message starts with the ILP code that stopped the probe when there is one (F02 no route,
// T01 …), like quotes'.
import { type Connection, createConnection } from 'ilp-protocol-stream'
import type { ApiParsed } from '../../../shared/api-schemas'
import { ApiError, type RateProbeView } from '../../../shared/api-types'
import type { Connector } from '../connector'
import type { ProbeExchange, ProbePlugin } from '../probe/probe-account'
import { quote, QuoteFailure } from './quote'
import { resolvePaymentPointer, SpspError } from './spsp'

// ilp-protocol-stream 2.7.2-alpha.2: the version that runs on Node ≥ 18 (see TOOLCHAIN.md). Imported statically so the
// desktop app's bundle carries it.
type StreamConnection = Connection

export interface ProbeOptions {
  /** How long the SPSP query may take. */
  spspTimeoutMs?: number
  /** How long the STREAM probe may take once the receiver is known. */
  timeoutMs?: number
}

export const DEFAULT_SPSP_TIMEOUT_MS = 10_000
export const DEFAULT_PROBE_TIMEOUT_MS = 15_000
/** How long closing the connection may take before it is dropped. */
const CLOSE_TIMEOUT_MS = 3_000
/** The shortest expiry a probe packet gets: every hop keeps a second or two back (minMessageWindow). */
const MIN_EXPIRY_MS = 5_000

export async function probeRate(connector: Connector, input: ApiParsed<'probeRate'>, opts: ProbeOptions = {}): Promise<RateProbeView> {
  if (connector.own.address === undefined) {
    throw new ApiError('unavailable', 'Junction has no ILP address yet: it gets one from its provider; connect a provider and try again')
  }
  if (connector.paused) throw new ApiError('unavailable', 'Junction is paused: resume it to probe a receiver')

  let destination: string
  let sharedSecret: Buffer
  if ('paymentPointer' in input) {
    try {
      ;({ destination, sharedSecret } = await resolvePaymentPointer(input.paymentPointer, { timeoutMs: opts.spspTimeoutMs ?? DEFAULT_SPSP_TIMEOUT_MS }))
    } catch (err) {
      if (err instanceof SpspError) throw new ApiError(err.kind, err.message)
      throw err
    }
  } else {
    destination = input.destination
    sharedSecret = Buffer.from(input.sharedSecret, 'base64')
  }
  if (destination === connector.own.address || destination.startsWith(`${connector.own.address}.`)) {
    // Replies would route back into Junction itself; the quote covers Junction's own apps exactly.
    throw new ApiError('invalid-input', `${destination} is under Junction's own address: quote it instead of probing it`)
  }

  // Junction's own hop first, as a quote sees it: no route (F02) or a next hop that is down (T01) fails at once, in the
  // quote's words, instead of after the STREAM library's retries.
  try {
    quote(connector, { destination })
  } catch (err) {
    if (err instanceof QuoteFailure) throw new ApiError(err.kind, `${err.message} (at Junction)`)
    throw err
  }

  const sourceAsset = { code: connector.own.assetCode, scale: connector.own.assetScale }
  const plugin = connector.probes.open()
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS
  let timer: ReturnType<typeof setTimeout> | undefined
  // Probe packets expire when the probe gives up (not STREAM's default 30 s): a stuck path holds no liquidity for longer.
  const expiryMs = Math.max(timeoutMs, MIN_EXPIRY_MS)
  const pending = createConnection({
    plugin,
    destinationAccount: destination,
    sharedSecret,
    slippage: 0,
    getExpiry: () => new Date(Date.now() + expiryMs),
  })
  let connection: StreamConnection
  try {
    connection = await Promise.race([
      pending,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProbeTimeout()), timeoutMs)
      }),
    ])
  } catch (err) {
    // Stops the library's retries: every prepare still waiting fails, and so does the connection attempt.
    await plugin.disconnect(`the rate probe gave up after ${Math.round(timeoutMs / 1000)} s`)
    pending.then((late) => late.destroy().catch(() => {}), () => {})
    throw failure(destination, plugin.exchanges, err as Error, timeoutMs)
  } finally {
    clearTimeout(timer)
  }
  connection.on('error', () => {})

  try {
    const rate = probedRate(connection, plugin.exchanges, destination)
    const code = connection.destinationAssetCode
    const scale = connection.destinationAssetScale
    return {
      destination,
      sourceAsset,
      destinationAsset: code !== undefined && scale !== undefined ? { code, scale } : null,
      rate,
      maxPacketAmount: learntMaxPacketAmount(plugin.exchanges)?.toString() ?? null,
      latencyMs: fastestAnswer(plugin.exchanges, destination) ?? 0,
    }
  } finally {
    await close(connection, plugin)
  }
}

class ProbeTimeout extends Error {}

/** The connection's own close (ConnectionClose, no money), bounded in time; then the plugin is let go. */
async function close(connection: StreamConnection, plugin: ProbePlugin): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  await Promise.race([connection.end().catch(() => {}), new Promise((r) => (timer = setTimeout(r, CLOSE_TIMEOUT_MS)))])
  clearTimeout(timer)
  await plugin.disconnect()
  await connection.destroy().catch(() => {})
}

/**
 * The rate as `sent`/`delivered` integers and the decimal. ilp-protocol-stream keeps the pair it measured as a Rational
 * (fields `a` = delivered, `b` = sent in 2.7.2-alpha.2); if that shape is not there, the pair is rebuilt from its
 * decimal and the largest probe packet the receiver answered (exact for any sent amount below 10¹⁹).
 */
function probedRate(connection: StreamConnection, exchanges: ProbeExchange[], destination: string): RateProbeView['rate'] {
  const decimal = connection.minimumAcceptableExchangeRate
  const measured = (connection as unknown as { exchangeRate?: { a?: unknown; b?: unknown } }).exchangeRate
  const a = measured?.a
  const b = measured?.b
  if (isLong(a) && isLong(b)) return { decimal, sent: b.toString(), delivered: a.toString() }
  const reached = exchanges.filter((e) => reachedReceiver(e, destination)).map((e) => e.amount)
  const sent = reached.reduce((m, x) => (x > m ? x : m), 0n)
  return { decimal, sent: sent.toString(), delivered: decimalTimes(decimal, sent).toString() }
}

function isLong(x: unknown): x is { toString(): string } {
  return typeof x === 'object' && x !== null && typeof (x as { toString: unknown }).toString === 'function' && /^\d+$/.test(String(x))
}

/** round(decimal × n), exactly, for a decimal string like "0.00099". */
function decimalTimes(decimal: string, n: bigint): bigint {
  const [whole, fraction = ''] = decimal.split('.')
  const scale = 10n ** BigInt(fraction.length)
  const scaled = BigInt(whole + fraction) * n
  return (scaled + scale / 2n) / scale
}

/** A STREAM receiver answers a test packet with F99 carrying its encrypted reply (what arrived). */
function reachedReceiver(e: ProbeExchange, destination: string): boolean {
  return e.destination === destination && e.code === 'F99' && e.data.length > 0
}

function fastestAnswer(exchanges: ProbeExchange[], destination: string): number | undefined {
  let best: number | undefined
  for (const e of exchanges) if (reachedReceiver(e, destination) && (best === undefined || e.roundTripMs < best)) best = e.roundTripMs
  return best
}

/** The smallest maximum an F08 implies in source units (what ilp-protocol-stream computes): sent × maximum ÷ received. */
function learntMaxPacketAmount(exchanges: ProbeExchange[]): bigint | undefined {
  let max: bigint | undefined
  for (const e of exchanges) {
    if (e.code !== 'F08' || e.data.length < 16) continue
    const received = e.data.readBigUInt64BE(0)
    const maximum = e.data.readBigUInt64BE(8)
    if (received === 0n) continue
    const implied = (e.amount * maximum) / received
    if (max === undefined || implied < max) max = implied
  }
  return max
}

/** Why the probe did not connect, from the rejects its packets met. */
function failure(destination: string, exchanges: ProbeExchange[], err: Error, timeoutMs: number): ApiError {
  const probes = exchanges.filter((e) => e.destination === destination)
  const answered = probes.some((e) => reachedReceiver(e, destination))
  // The last reject that is not a STREAM answer says what stopped the packets.
  const last = [...probes].reverse().find((e) => e.code !== undefined && !reachedReceiver(e, destination))
  const from = last?.triggeredBy ? ` (from ${last.triggeredBy})` : ''
  if (last !== undefined && fromReceiver(last, destination)) {
    // ilp-protocol-stream's server answers F02 with no message to a packet it cannot decrypt: a wrong shared secret
    // (or credentials from a server that restarted since).
    const why = last.code === 'F02' && !last.message ? 'it knows no such STREAM connection; is the shared secret right?' : last.message || '(no message)'
    return new ApiError('unavailable', `${last.code} the receiver at ${destination} rejected the probe: ${why}${from}`)
  }
  if (last?.code === 'F02') return new ApiError('not-found', `F02 no route to ${destination}: ${last.message || 'unreachable'}${from}`)
  if (err instanceof ProbeTimeout) {
    const said = last ? `; its packets were last rejected with ${last.code} ${last.message || '(no message)'}${from}` : ''
    return new ApiError('unavailable', `the rate probe to ${destination} got no answer within ${Math.round(timeoutMs / 1000)} s${said}`)
  }
  if (last !== undefined && !answered) {
    return new ApiError('unavailable', `${last.code} the probe to ${destination} was rejected on the way: ${last.message || '(no message)'}${from}`)
  }
  const reason = err.message.replace(/^Error connecting: /, '')
  return new ApiError('unavailable', `the STREAM receiver at ${destination} could not be probed: ${reason}`)
}

/** A reject from the receiver itself: triggered by the destination, or by the address it is a connection under. */
function fromReceiver(e: ProbeExchange, destination: string): boolean {
  const by = e.triggeredBy
  if (!by) return false
  return by === destination || by === destination.slice(0, destination.lastIndexOf('.'))
}
