// "2 min ago", with the full date and time on hover; re-renders now and then so it does not go stale.
import { absoluteTime, timeAgo } from '../format/time'
import { useNow } from './use-now'

export function RelativeTime({ time, empty = 'never' }: { time: number | null | undefined; empty?: string }) {
  const now = useNow(10_000)
  if (time === null || time === undefined) return <span className="muted">{empty}</span>
  return (
    <time dateTime={new Date(time).toISOString()} title={absoluteTime(time)}>
      {timeAgo(time, now)}
    </time>
  )
}
