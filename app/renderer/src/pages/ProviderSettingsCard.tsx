// The Providers page's settings: how long the old provider stays connected after a switch (grace period), how long
// the active one may be unreachable before Junction fails over, and how often the providers Junction holds no link
// to are checked (whole seconds, checked here first; the engine's own refusal per field is shown under the field), and
// whether Junction switches back to the provider it failed over from once that one works again.
import { useEffect, useId, useState, type FormEvent } from 'react'
import type { ProviderSettingsView } from '../../../shared/api-types'
import { Card } from '../components/Card'
import { LoadState } from '../components/LoadState'
import { errorMessage } from '../format/error-message'
import { getClient } from '../store/client'
import { fieldErrors } from '../store/settings'
import { useCall } from '../store/use-call'

type Field = Exclude<keyof ProviderSettingsView, 'switchBack'>
type Texts = Record<Field, string>

const FIELDS: Array<{ key: Field; label: string; hint: string; rule(n: number): string | undefined }> = [
  {
    key: 'graceSeconds',
    label: 'Grace period after a switch',
    hint: 'The old provider stays connected this long, so payments in flight finish and payments still addressed to apps’ old addresses arrive.',
    rule: (n) => (n > 3600 ? 'at most 3600 s (one hour)' : undefined),
  },
  {
    key: 'failoverSeconds',
    label: 'Fail over after',
    hint: 'When the active provider has been unreachable this long, Junction switches to the next healthy one in the order. 0 = never.',
    rule: (n) => (n > 86_400 ? 'at most 86400 s (one day)' : undefined),
  },
  {
    key: 'healthCheckSeconds',
    label: 'Check the other providers every',
    hint: 'A short connection and an address request to each enabled provider Junction is not using, so failover knows which ones work. 0 = never.',
    rule: (n) => (n > 86_400 ? 'at most 86400 s (one day)' : n !== 0 && n < 10 ? '0 (never) or at least 10 s' : undefined),
  },
]

const textsOf = (v: ProviderSettingsView): Texts => ({
  graceSeconds: String(v.graceSeconds),
  failoverSeconds: String(v.failoverSeconds),
  healthCheckSeconds: String(v.healthCheckSeconds),
})

/** A whole number of seconds, or what is wrong with the text. */
function parseSeconds(text: string): { value: number } | { error: string } {
  const t = text.trim()
  if (!/^\d+$/.test(t)) return { error: 'enter whole seconds (0 or more)' }
  return { value: Number(t) }
}

export function ProviderSettingsCard() {
  const loaded = useCall('getProviderSettings')
  const [saved, setSaved] = useState<ProviderSettingsView | undefined>(undefined)
  const [texts, setTexts] = useState<Texts | undefined>(undefined)
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const [outcome, setOutcome] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'failed'; message: string }>({ kind: 'idle' })
  const ids = { graceSeconds: useId(), failoverSeconds: useId(), healthCheckSeconds: useId() }
  const [switchBack, setSwitchBack] = useState(false)

  useEffect(() => {
    if (loaded.data && !saved) {
      setSaved(loaded.data)
      setTexts(textsOf(loaded.data))
      setSwitchBack(loaded.data.switchBack)
    }
  }, [loaded.data, saved])

  const changed =
    saved !== undefined && texts !== undefined && (switchBack !== saved.switchBack || FIELDS.some((f) => texts[f.key].trim() !== String(saved[f.key])))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!saved || !texts) return
    const change: Partial<ProviderSettingsView> = {}
    const problems: Partial<Record<Field, string>> = {}
    for (const f of FIELDS) {
      const parsed = parseSeconds(texts[f.key])
      const problem = 'error' in parsed ? parsed.error : f.rule(parsed.value)
      if (problem) problems[f.key] = problem
      else if ('value' in parsed && parsed.value !== saved[f.key]) change[f.key] = parsed.value
    }
    if (switchBack !== saved.switchBack) change.switchBack = switchBack
    setErrors(problems)
    if (Object.keys(problems).length > 0) return setOutcome({ kind: 'idle' })
    setOutcome({ kind: 'saving' })
    try {
      const next = await getClient().call('setProviderSettings', change)
      setSaved(next)
      setTexts(textsOf(next))
      setSwitchBack(next.switchBack)
      setOutcome({ kind: 'saved' })
    } catch (err) {
      const byField = fieldErrors(err)
      setErrors(byField)
      const onField = FIELDS.some((f) => byField[f.key])
      setOutcome({ kind: 'failed', message: onField ? 'Not saved: see the message above.' : `Not saved. ${errorMessage(err)}` })
    }
  }

  return (
    <Card title="Switching and failover">
      <LoadState what="the provider settings" loading={loaded.loading} error={loaded.error} onRetry={loaded.reload} ready={texts !== undefined}>
        {texts && (
          <form className="provider-settings" onSubmit={(e) => void submit(e)} noValidate aria-label="Provider settings">
            {FIELDS.map((f) => {
              const id = ids[f.key]
              const error = errors[f.key]
              return (
                <div className="field" key={f.key}>
                  <label htmlFor={id}>{f.label}</label>
                  <div className="provider-settings-input">
                    <input
                      id={id}
                      className="input"
                      inputMode="numeric"
                      autoComplete="off"
                      value={texts[f.key]}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
                      onChange={(e) => {
                        setTexts({ ...texts, [f.key]: e.target.value })
                        setErrors((errs) => ({ ...errs, [f.key]: undefined }))
                        setOutcome({ kind: 'idle' })
                      }}
                    />
                    <span className="muted">seconds</span>
                  </div>
                  <span id={`${id}-hint`} className="field-hint">
                    {f.hint}
                  </span>
                  {error && (
                    <p id={`${id}-error`} className="form-error" role="alert">
                      {error}
                    </p>
                  )}
                </div>
              )
            })}
            <label className="provider-check">
              <input
                type="checkbox"
                checked={switchBack}
                onChange={(e) => {
                  setSwitchBack(e.target.checked)
                  setOutcome({ kind: 'idle' })
                }}
              />{' '}
              Switch back after a failover, as soon as the provider Junction left works again
            </label>
            <div className="provider-settings-save">
              <button type="submit" className="button primary" disabled={!changed || outcome.kind === 'saving'}>
                Save
              </button>
              {outcome.kind === 'saving' && <span role="status">Saving…</span>}
              {outcome.kind === 'saved' && (
                <span className="provider-settings-ok" role="status">
                  Saved.
                </span>
              )}
              {outcome.kind === 'failed' && (
                <span className="provider-settings-failed" role="alert">
                  {outcome.message}
                </span>
              )}
            </div>
          </form>
        )}
      </LoadState>
    </Card>
  )
}
