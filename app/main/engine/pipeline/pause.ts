// Pause: while the user has paused Junction, every payment packet from or to an app is rejected with T03 and a
// message saying so. T03 (connector busy) is a temporary code: ilp-protocol-stream and other senders retry with
// backoff, so apps carry on by themselves once the user resumes. Peer protocol packets (peer.config, peer.balance)
// still pass, so a paused app keeps its connection, its address and its view of its balance, and is not made to fail
// at start-up by a refused ILDCP request. Packets between the provider and Junction itself pass too.
// The switch is one shared object the connector flips (and keeps in the settings table): one property read per packet.
import { IlpFailure } from '../ilp/ilp-failure'
import type { Middleware } from './packet-context'

export interface PauseSwitch {
  paused: boolean
}

export const PAUSED_MESSAGE = 'Junction is paused by its user; resume it in Junction to let packets through'

const pausedFailure = new IlpFailure('T03', PAUSED_MESSAGE)

export function createPauseMiddleware(pause: PauseSwitch): Middleware {
  return {
    name: 'pause',
    incoming(ctx) {
      if (pause.paused && ctx.from.relation === 'child' && !ctx.prepare.destination.startsWith('peer.')) return pausedFailure
      return undefined
    },
    outgoing(ctx) {
      if (pause.paused && ctx.to!.relation === 'child') return pausedFailure
      return undefined
    },
  }
}
