// One ILDCP request (RFC 31) over a link to a provider (BTP or ILP-over-HTTP): the address and asset it gives Junction, and how long
// the round trip took. Used on every (re)connect of a provider link and by the provider test.
import * as ILDCP from 'ilp-protocol-ildcp'
import type { PacketLink } from '../btp/btp-session'

export interface ProviderIdentity {
  address: string
  assetCode: string
  assetScale: number
}

export const ILDCP_TIMEOUT_MS = 10_000

export async function ildcpRoundTrip(session: PacketLink, timeoutMs = ILDCP_TIMEOUT_MS): Promise<{ identity: ProviderIdentity; latencyMs: number }> {
  const sendData = (data: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      session.sendPrepare(data, (err, reply) => (err ? reject(err) : resolve(reply!)))
    })
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ILDCP answer within ${timeoutMs / 1000} s`)), timeoutMs)
  })
  const sent = performance.now()
  const info = await Promise.race([ILDCP.fetch(sendData), timeout]).finally(() => clearTimeout(timer))
  return {
    identity: { address: info.clientAddress, assetCode: info.assetCode, assetScale: info.assetScale },
    latencyMs: Math.round((performance.now() - sent) * 10) / 10,
  }
}
