// A coloured dot with words next to it: the colour helps at a glance, the words carry the meaning (never colour alone).
export type Tone = 'ok' | 'warn' | 'bad' | 'off' | 'busy'

export function StatusDot({ tone, label, className }: { tone: Tone; label: string; className?: string }) {
  return (
    <span className={['status-dot', `tone-${tone}`, className].filter(Boolean).join(' ')}>
      <span className="dot" aria-hidden="true" />
      <span className="status-dot-label">{label}</span>
    </span>
  )
}
