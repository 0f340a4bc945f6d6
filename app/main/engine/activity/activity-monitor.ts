// What the live UI is told about traffic, from a timer rather than from the packet path: batches of answered packets
// (≤ 10/s), the packet rate (about once a second while packets move, then one zero), and budget warnings (an app
// at 80 % of its budget, or at all of it), each once per app and budget period. Which warnings were given is kept in
// memory only: after a restart an app already past a threshold is warned once more.
//
// The packet path only writes the recent-packets ring and the apps' spending counters it already keeps; this monitor
// reads them on its ticks. Packet views are only built while someone listens for them.
import type { PacketView, TrafficView } from '../../../shared/api-types'
import type { AppState } from '../accounts/app-state'
import type { RecentPackets } from './recent-packets'

/** How often answered packets are sent on (ms): the contract's ≈10 events/s. */
export const PACKETS_TICK_MS = 100
/** How many packet ticks make a traffic (and budget) tick: ≈ 1 s. */
const TICKS_PER_SECOND = 10
/** The packet rate is averaged over this many one-second samples. */
const RATE_WINDOW = 3

export type BudgetWarningKind = 'near' | 'reached'

export interface ActivityMonitorOptions {
  recent: RecentPackets
  /** The apps (their spending rolled over to the current periods). */
  apps: () => Iterable<AppState>
  /** Whether anyone listens for packet batches (views are built only then). */
  wantsPackets: () => boolean
  packets: (batch: PacketView[]) => void
  traffic: (view: TrafficView) => void
  budgetWarning: (id: string, kind: BudgetWarningKind) => void
  now?: () => number
  tickMs?: number
}

interface Warned {
  /** The budget period the warnings below were given in. */
  periodStart: number
  near: boolean
  reached: boolean
}

export class ActivityMonitor {
  private timer: ReturnType<typeof setInterval> | undefined
  private sentSeq = 0
  private ticks = 0
  private readonly samples: Array<{ t: number; answered: number; fulfilled: number }> = []
  private moving = false
  private readonly warned = new Map<string, Warned>()
  private readonly now: () => number

  constructor(private readonly opts: ActivityMonitorOptions) {
    this.now = opts.now ?? Date.now
  }

  start(): void {
    if (this.timer) return
    this.sentSeq = this.opts.recent.seq
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? PACKETS_TICK_MS)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** One tick: packets every time, traffic and budgets every tenth. Public for tests, which drive it by hand. */
  tick(): void {
    const recent = this.opts.recent
    if (recent.seq > this.sentSeq) {
      if (this.opts.wantsPackets()) this.opts.packets(recent.since(this.sentSeq))
      this.sentSeq = recent.seq
    }
    if (++this.ticks % TICKS_PER_SECOND === 0) {
      this.trafficTick()
      this.budgetTick()
    }
  }

  /** The packet rate over the last few seconds while packets move; one zero once they stop. */
  trafficTick(): void {
    const { seq, fulfilled } = this.opts.recent
    const t = this.now()
    const samples = this.samples
    const last = samples[samples.length - 1]
    samples.push({ t, answered: seq, fulfilled })
    if (samples.length > RATE_WINDOW + 1) samples.shift()
    if (!last) return
    if (seq > last.answered) {
      const first = samples[0]
      const seconds = Math.max(0.001, (t - first.t) / 1000)
      this.moving = true
      this.opts.traffic({
        packetsPerSecond: round1((seq - first.answered) / seconds),
        fulfilledPerSecond: round1((fulfilled - first.fulfilled) / seconds),
      })
    } else if (this.moving) {
      this.moving = false
      this.opts.traffic({ packetsPerSecond: 0, fulfilledPerSecond: 0 })
    }
  }

  /** Warns once per app and budget period at 80 % of the budget, and once when it is used up or refused a packet. */
  budgetTick(): void {
    let apps = 0
    for (const app of this.opts.apps()) {
      apps++
      const budget = app.budget
      if (budget === null) continue
      const period = app.spend[budget.period]
      let w = this.warned.get(app.id)
      if (!w || w.periodStart !== period.start) this.warned.set(app.id, (w = { periodStart: period.start, near: false, reached: false }))
      const refused = app.spend.budgetRefusedAt >= period.start
      const spent = period.spent
      if (!w.reached && (refused || (spent > 0n && spent >= budget.amount))) {
        // Reaching it says more than nearing it: no 'near' after a 'reached' in the same period.
        w.reached = w.near = true
        this.opts.budgetWarning(app.id, 'reached')
      } else if (!w.near && spent > 0n && spent * 5n >= budget.amount * 4n) {
        w.near = true
        this.opts.budgetWarning(app.id, 'near')
      }
    }
    // Forgotten apps (unnamed ones come and go) leave their entries behind: drop them once they outnumber the apps.
    if (this.warned.size > apps) {
      const known = new Set<string>()
      for (const app of this.opts.apps()) known.add(app.id)
      for (const id of this.warned.keys()) if (!known.has(id)) this.warned.delete(id)
    }
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10
}
