// Times as people read them: relative when recent ("2 min ago", "in 8 s"), absolute on hover (`absoluteTime`).

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/**
 * For something that has happened: the engine's clock and this page's ticking "now" differ by a moment, and a time a
 * second ahead must read "just now", not "in a moment".
 */
export function timeAgo(time: number, now: number = Date.now()): string {
  return relativeTime(Math.min(time, now), now)
}

/** "just now", "45 s ago", "2 min ago", "3 h ago", "yesterday", "4 days ago"; the future as "in 8 s". */
export function relativeTime(time: number, now: number = Date.now()): string {
  const delta = time - now
  const future = delta > 0
  const d = Math.abs(delta)
  if (d < 5 * SECOND) return future ? 'in a moment' : 'just now'
  let text: string
  if (d < MINUTE) text = `${Math.round(d / SECOND)} s`
  else if (d < HOUR) text = `${Math.floor(d / MINUTE)} min`
  else if (d < DAY) text = `${Math.floor(d / HOUR)} h`
  else {
    const days = Math.floor(d / DAY)
    if (days === 1) return future ? 'tomorrow' : 'yesterday'
    if (days > 60) return absoluteDate(time)
    text = `${days} days`
  }
  return future ? `in ${text}` : `${text} ago`
}

/** Seconds until a time, rounded up, never below 0: for "Reconnecting in 8 s". */
export function secondsUntil(time: number, now: number = Date.now()): number {
  return Math.max(0, Math.ceil((time - now) / SECOND))
}

/** The full local date and time, for tooltips. */
export function absoluteTime(time: number): string {
  return new Date(time).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
}

export function absoluteDate(time: number): string {
  return new Date(time).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
}

/** A chart axis tick: the time of day within a day, the date beyond. */
export function tickTime(time: number, spanMs: number): string {
  const d = new Date(time)
  if (spanMs <= 2 * DAY) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
}

/** Local midnight of the day containing `time`. */
export function startOfDay(time: number = Date.now()): number {
  const d = new Date(time)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

export const DURATION = { SECOND, MINUTE, HOUR, DAY } as const
