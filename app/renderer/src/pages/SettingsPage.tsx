// Settings: where Junction runs (read-only, with what changes it), the new-app policy, the default budget, the browser
// origins allowed on the app port, the rates between assets (RatesCard.tsx), logging, the desktop-only switches and
// "Copy diagnostics". Each group saves on its own and says how it went; a refused save shows the engine's message
// next to the field it names.
import { ClipboardCopy } from 'lucide-react'
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import type { BudgetPeriod, LogLevel, NewAppPolicy, SettingsView } from '../../../shared/api-types'
import { originSchema } from '../../../shared/api-schemas'
import { Card } from '../components/Card'
import { CopyButton } from '../components/CopyButton'
import { LoadState } from '../components/LoadState'
import { PageHeader } from '../components/PageHeader'
import { RatesCard } from './RatesCard'
import { formatUnits, parseAmount } from '../format/amount'
import { errorMessage } from '../format/error-message'
import { getClient } from '../store/client'
import { useSettings, type SettingsChange } from '../store/settings'
import { useAsset, type Asset } from '../store/status'
import { BUDGET_PERIODS } from '../format/budget-periods'
import './settings.css'

export function SettingsPage() {
  const { status, error, settings, start, reload } = useSettings()
  useEffect(() => start(), [start])
  return (
    <div className="settings-page">
      <PageHeader title="Settings" description="How Junction runs, which apps and pages may use it, and what it logs." />
      <LoadState what="the settings" loading={status === 'loading' || status === 'idle'} error={error} onRetry={() => void reload()} ready={settings !== null}>
        {settings && <SettingsForms settings={settings} />}
      </LoadState>
    </div>
  )
}

function SettingsForms({ settings }: { settings: SettingsView }) {
  const asset = useAsset()
  return (
    <>
      <PlacesCard settings={settings} />
      <PolicyForm saved={settings.newAppPolicy} />
      <BudgetForm saved={settings.defaultBudget} asset={asset} />
      <OriginsForm saved={settings.allowedOrigins} />
      <RatesCard />
      <LoggingForm saved={settings.logLevel} logFile={settings.logFile} />
      <DesktopForm settings={settings} />
      <DiagnosticsCard />
    </>
  )
}

// ---- saving ----

/**
 * Starts a form's fields again from the saved value whenever that changes (a save here, the tray, another window),
 * while the form itself — and the outcome of its last save — stays.
 */
function useResetOn(key: string, reset: () => void): void {
  const [last, setLast] = useState(key)
  if (last !== key) {
    setLast(key)
    reset()
  }
}

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; error: unknown; fields: Record<string, string> }

/** One form's save: the call, then "Saved" or the engine's refusal with its per-field messages. */
function useSave() {
  const save = useSettings((s) => s.save)
  const [state, setState] = useState<SaveState>({ kind: 'idle' })
  const run = async (change: SettingsChange) => {
    setState({ kind: 'saving' })
    const outcome = await save(change)
    setState(outcome.ok ? { kind: 'saved' } : { kind: 'failed', error: outcome.error, fields: outcome.fieldErrors })
    return outcome.ok
  }
  /** The engine's message for one field, if the last save was refused because of it. */
  const fieldError = (field: string): string | undefined => (state.kind === 'failed' ? state.fields[field] : undefined)
  return { state, run, fieldError, clear: () => setState({ kind: 'idle' }) }
}

/** Under the Save button: saving, saved, or why it failed when no single field is to blame. */
function SaveOutcome({ state, fields }: { state: SaveState; fields: string[] }) {
  if (state.kind === 'saving') return <span className="settings-outcome" role="status">Saving…</span>
  if (state.kind === 'saved') return <span className="settings-outcome ok" role="status">Saved.</span>
  if (state.kind === 'failed') {
    const onField = fields.some((f) => state.fields[f])
    return (
      <span className="settings-outcome failed" role="alert">
        {onField ? 'Not saved: see the message above.' : `Not saved. ${errorMessage(state.error)}`}
      </span>
    )
  }
  return null
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null
  return (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  )
}

function SettingsCard({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Card title={title} className="settings-card">
      {description && <p className="settings-description">{description}</p>}
      {children}
    </Card>
  )
}

function SaveRow({ disabled, state, fields, label = 'Save' }: { disabled: boolean; state: SaveState; fields: string[]; label?: string }) {
  return (
    <div className="settings-save">
      <button type="submit" className="button primary" disabled={disabled || state.kind === 'saving'}>
        {label}
      </button>
      <SaveOutcome state={state} fields={fields} />
    </div>
  )
}

// ---- where Junction runs ----

function PlacesCard({ settings }: { settings: SettingsView }) {
  const how = (flag: string, env: string, key: string) => (
    <>
      Set with <code>{flag}</code>, <code>{env}</code> or <code>"{key}"</code> in the config file; takes effect after a restart.
    </>
  )
  return (
    <SettingsCard title="Where Junction runs" description="These come from how Junction was started; they are not changed here.">
      <dl className="settings-facts">
        <dt>Data folder</dt>
        <dd>
          {settings.dataFolder ? (
            <>
              <code className="settings-path">{settings.dataFolder}</code> <CopyButton text={settings.dataFolder} label="Copy path" />
            </>
          ) : (
            <span className="muted">none (nothing is kept after Junction stops)</span>
          )}
          <p className="settings-hint">{how('--data DIR', 'JUNCTION_DATA', 'data')}</p>
        </dd>
        <dt>App port</dt>
        <dd>
          <code>{settings.appPort}</code> — apps connect to <code>btp+ws://…@localhost:{settings.appPort}</code>
          <p className="settings-hint">{how('--port N', 'JUNCTION_PORT', 'port')}</p>
        </dd>
        <dt>UI port</dt>
        <dd>
          {settings.uiPort === null ? (
            <span className="muted">not served: the desktop app shows the UI in its own window</span>
          ) : (
            <>
              <code>{settings.uiPort}</code> — this page, on <code>http://127.0.0.1:{settings.uiPort}</code>
              <p className="settings-hint">{how('--ui-port N', 'JUNCTION_UI_PORT', 'ui-port')}</p>
            </>
          )}
        </dd>
      </dl>
    </SettingsCard>
  )
}

// ---- new apps ----

const POLICIES: { value: NewAppPolicy; label: string; meaning: string }[] = [
  { value: 'allow', label: 'Allow', meaning: 'A new app can pay as soon as it connects (within the default budget, if one is set).' },
  {
    value: 'ask',
    label: 'Ask',
    meaning: 'A new app can connect and learn its address, but its packets are refused until you approve it on the Apps page.',
  },
  { value: 'deny', label: 'Deny', meaning: 'Only apps Junction already knows (or that you registered) can connect; new ones are turned away.' },
]

function PolicyForm({ saved }: { saved: NewAppPolicy }) {
  const [policy, setPolicy] = useState(saved)
  useResetOn(saved, () => setPolicy(saved))
  const { state, run, fieldError, clear } = useSave()
  const errorId = useId()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run({ newAppPolicy: policy })
  }
  return (
    <SettingsCard title="New apps" description="What happens when an app Junction has not seen before connects.">
      <form onSubmit={submit}>
        <fieldset className="settings-choices" aria-describedby={fieldError('newAppPolicy') ? errorId : undefined}>
          <legend className="visually-hidden">New-app policy</legend>
          {POLICIES.map((p) => (
            <label key={p.value} className="settings-choice">
              <input type="radio" name="newAppPolicy" value={p.value} checked={policy === p.value} onChange={() => {
                  setPolicy(p.value)
                  clear()
                }} />
              <span>
                <strong>{p.label}</strong>
                <span className="settings-choice-meaning">{p.meaning}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <FieldError id={errorId} message={fieldError('newAppPolicy')} />
        <SaveRow disabled={policy === saved} state={state} fields={['newAppPolicy']} />
      </form>
    </SettingsCard>
  )
}

// ---- default budget ----

function BudgetForm({ saved, asset }: { saved: SettingsView['defaultBudget']; asset: Asset | null }) {
  const savedText = saved && asset ? formatUnits(saved.amount, asset.assetScale).replace(/,/g, '') : ''
  const [enabled, setEnabled] = useState(saved !== null)
  const [text, setText] = useState(savedText)
  const [period, setPeriod] = useState<BudgetPeriod>(saved?.period ?? 'day')
  useResetOn(`${JSON.stringify(saved)}:${asset?.assetScale}`, () => {
    setEnabled(saved !== null)
    setText(savedText)
    setPeriod(saved?.period ?? 'day')
  })
  const [inputError, setInputError] = useState<string | undefined>()
  const { state, run, fieldError, clear } = useSave()
  const amountId = useId()
  const errorId = useId()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!enabled) return void run({ defaultBudget: null })
    if (!asset) return
    const parsed = parseAmount(text, asset.assetScale)
    if ('error' in parsed) return setInputError(parsed.error)
    if (parsed.units === '0') return setInputError('enter an amount above 0 (to turn new apps away, choose Deny above)')
    setInputError(undefined)
    void run({ defaultBudget: { amount: parsed.units, period } })
  }
  const error = inputError ?? fieldError('defaultBudget')
  const changed = enabled !== (saved !== null) || (enabled && (text !== savedText || period !== saved?.period))
  return (
    <SettingsCard
      title="Default budget"
      description="The spending budget each new app gets, per calendar day, week or month (local time). Apps you already have keep theirs; change those on the Apps page."
    >
      <form onSubmit={submit} noValidate>
        <label className="settings-check">
          <input
            type="checkbox"
            checked={enabled}
            onChange={(e) => {
              setEnabled(e.target.checked)
              setInputError(undefined)
              clear()
            }}
          />
          Give new apps a budget
        </label>
        {enabled && (
          <div className="settings-budget">
            <label htmlFor={amountId}>Amount{asset ? ` in ${asset.assetCode}` : ''}</label>
            <div className="settings-inline">
              <input
                id={amountId}
                className="input settings-amount"
                inputMode="decimal"
                autoComplete="off"
                value={text}
                disabled={!asset}
                placeholder={asset ? 'e.g. 1.5' : ''}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? errorId : undefined}
                onChange={(e) => {
                  setText(e.target.value)
                  setInputError(undefined)
                  clear()
                }}
              />
              {asset && <span className="settings-unit">{asset.assetCode}</span>}
              <select className="input" aria-label="Budget period" value={period} onChange={(e) => setPeriod(e.target.value as BudgetPeriod)}>
                {BUDGET_PERIODS.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.label}
                  </option>
                ))}
              </select>
            </div>
            {!asset && <p className="settings-hint">Waiting for Junction's asset, to read amounts in its units…</p>}
            <FieldError id={errorId} message={error} />
          </div>
        )}
        <SaveRow disabled={!changed || (enabled && !asset)} state={state} fields={['defaultBudget']} />
      </form>
    </SettingsCard>
  )
}

// ---- allowed origins ----

/** Why a typed origin cannot be added, or undefined; `origin` is what to add (the text, trimmed). */
function originProblem(text: string, list: string[]): string | undefined {
  const origin = text.trim()
  if (origin === '') return 'enter an origin, e.g. https://example.com'
  if (list.includes(origin)) return `${origin} is already in the list`
  const checked = originSchema.safeParse(origin)
  if (checked.success) return undefined
  try {
    const u = new URL(origin)
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.origin !== origin) return `use just the origin, without a path: ${u.origin}`
  } catch {
    // Not a URL at all: the schema's message says what is expected.
  }
  return checked.error.issues[0]?.message ?? 'expected an origin such as https://example.com'
}

function OriginsForm({ saved }: { saved: string[] }) {
  const [list, setList] = useState(saved)
  useResetOn(JSON.stringify(saved), () => setList(saved))
  const [text, setText] = useState('')
  const [addError, setAddError] = useState<string | undefined>()
  const { state, run, fieldError, clear } = useSave()
  const inputId = useId()
  const errorId = useId()
  const listErrorId = useId()
  const changed = list.length !== saved.length || list.some((o, i) => o !== saved[i])
  const add = () => {
    const problem = originProblem(text, list)
    if (problem) return setAddError(problem)
    setList([...list, text.trim()])
    setText('')
    setAddError(undefined)
    clear()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run({ allowedOrigins: list })
  }
  return (
    <SettingsCard
      title="Allowed origins"
      description="Web pages from these origins may connect to the app port from a browser. Other pages are refused; apps outside a browser are not affected."
    >
      <form onSubmit={submit}>
        {list.length === 0 ? (
          <p className="muted">No origins: no web page can connect.</p>
        ) : (
          <ul className="settings-origins" aria-label="Allowed origins" aria-describedby={fieldError('allowedOrigins') ? listErrorId : undefined}>
            {list.map((origin) => (
              <li key={origin}>
                <code>{origin}</code>
                <button
                  type="button"
                  className="button ghost small"
                  aria-label={`Remove ${origin}`}
                  onClick={() => {
                    setList(list.filter((o) => o !== origin))
                    clear()
                  }}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <FieldError id={listErrorId} message={fieldError('allowedOrigins')} />
        <label htmlFor={inputId}>Add an origin</label>
        <div className="settings-inline">
          <input
            id={inputId}
            className="input"
            value={text}
            placeholder="https://example.com"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={addError ? true : undefined}
            aria-describedby={addError ? errorId : undefined}
            onChange={(e) => {
              setText(e.target.value)
              setAddError(undefined)
            }}
            onKeyDown={(e) => {
              // Enter adds the origin rather than saving a list the person has not looked at yet.
              if (e.key === 'Enter') {
                e.preventDefault()
                add()
              }
            }}
          />
          <button type="button" className="button" onClick={add}>
            Add
          </button>
        </div>
        <FieldError id={errorId} message={addError} />
        <SaveRow disabled={!changed} state={state} fields={['allowedOrigins']} label="Save origins" />
      </form>
    </SettingsCard>
  )
}

// ---- logging ----

const LEVELS: { value: LogLevel; label: string }[] = [
  { value: 'error', label: 'Errors only' },
  { value: 'warn', label: 'Warnings and errors' },
  { value: 'info', label: 'Information (default)' },
  { value: 'debug', label: 'Debug (verbose; for a bug report)' },
]

function LoggingForm({ saved, logFile }: { saved: LogLevel; logFile: string | null }) {
  const [level, setLevel] = useState(saved)
  useResetOn(saved, () => setLevel(saved))
  const { state, run, fieldError, clear } = useSave()
  const selectId = useId()
  const errorId = useId()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run({ logLevel: level })
  }
  return (
    <SettingsCard title="Log" description="What Junction writes to its log file, which is rotated so it never grows without bound.">
      <form onSubmit={submit}>
        <label htmlFor={selectId}>Log level</label>
        <select
          id={selectId}
          className="input"
          value={level}
          aria-describedby={fieldError('logLevel') ? errorId : undefined}
          onChange={(e) => {
            setLevel(e.target.value as LogLevel)
            clear()
          }}
        >
          {LEVELS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
        <FieldError id={errorId} message={fieldError('logLevel')} />
        <p className="settings-fact">
          Log file:{' '}
          {logFile ? (
            <>
              <code className="settings-path">{logFile}</code> <CopyButton text={logFile} label="Copy path" />
            </>
          ) : (
            <span className="muted">none (Junction runs without a data folder)</span>
          )}
        </p>
        <SaveRow disabled={level === saved} state={state} fields={['logLevel']} />
      </form>
    </SettingsCard>
  )
}

// ---- desktop app ----

function DesktopForm({ settings }: { settings: SettingsView }) {
  const [startAtLogin, setStartAtLogin] = useState(settings.startAtLogin ?? false)
  const [closeToTray, setCloseToTray] = useState(settings.closeToTray ?? false)
  useResetOn(`${settings.startAtLogin}:${settings.closeToTray}`, () => {
    setStartAtLogin(settings.startAtLogin ?? false)
    setCloseToTray(settings.closeToTray ?? false)
  })
  const { state, run, fieldError, clear } = useSave()
  const loginErrorId = useId()
  const trayErrorId = useId()
  const change: SettingsChange = {}
  if (settings.startAtLogin !== null && startAtLogin !== settings.startAtLogin) change.startAtLogin = startAtLogin
  if (settings.closeToTray !== null && closeToTray !== settings.closeToTray) change.closeToTray = closeToTray
  const headless = settings.startAtLogin === null && settings.closeToTray === null
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run(change)
  }
  const desktopOnly = <span className="settings-badge">desktop app only</span>
  return (
    <SettingsCard
      title="Desktop app"
      description={headless ? 'Junction runs headless here: these apply to the desktop app only.' : 'How the desktop app starts and closes.'}
    >
      <form onSubmit={submit}>
        <label className="settings-check">
          <input
            type="checkbox"
            checked={startAtLogin}
            disabled={settings.startAtLogin === null}
            aria-describedby={fieldError('startAtLogin') ? loginErrorId : undefined}
            onChange={(e) => {
              setStartAtLogin(e.target.checked)
              clear()
            }}
          />
          Start Junction when I log in {settings.startAtLogin === null && desktopOnly}
        </label>
        <FieldError id={loginErrorId} message={fieldError('startAtLogin')} />
        <label className="settings-check">
          <input
            type="checkbox"
            checked={closeToTray}
            disabled={settings.closeToTray === null}
            aria-describedby={fieldError('closeToTray') ? trayErrorId : undefined}
            onChange={(e) => {
              setCloseToTray(e.target.checked)
              clear()
            }}
          />
          Closing the window keeps Junction running in the tray {settings.closeToTray === null && desktopOnly}
        </label>
        <FieldError id={trayErrorId} message={fieldError('closeToTray')} />
        {!headless && <SaveRow disabled={Object.keys(change).length === 0} state={state} fields={['startAtLogin', 'closeToTray']} />}
      </form>
    </SettingsCard>
  )
}

// ---- diagnostics ----

type DiagnosticsState =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'copied'; text: string }
  | { kind: 'not-copied'; text: string }
  | { kind: 'failed'; error: unknown }

function DiagnosticsCard() {
  const [state, setState] = useState<DiagnosticsState>({ kind: 'idle' })
  const copy = async () => {
    setState({ kind: 'working' })
    let text: string
    try {
      text = await getClient().call('diagnostics', {})
    } catch (error) {
      return setState({ kind: 'failed', error })
    }
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(text)
      setState({ kind: 'copied', text })
    } catch {
      setState({ kind: 'not-copied', text })
    }
  }
  return (
    <SettingsCard
      title="Diagnostics"
      description="Versions, settings (without secrets) and recent warnings and errors, to paste into a bug report. You can read all of it below before sending it anywhere."
    >
      <button type="button" className="button" onClick={() => void copy()} disabled={state.kind === 'working'}>
        <ClipboardCopy aria-hidden="true" size={14} /> {state.kind === 'working' ? 'Collecting…' : 'Copy diagnostics'}
      </button>
      {state.kind === 'failed' && (
        <p className="field-error" role="alert">
          Could not collect the diagnostics. {errorMessage(state.error)}
        </p>
      )}
      {(state.kind === 'copied' || state.kind === 'not-copied') && (
        <div className="settings-diagnostics">
          <p role="status">
            {state.kind === 'copied'
              ? 'Copied to the clipboard:'
              : 'The clipboard refused the text: select it below and copy it by hand (Ctrl+C or ⌘C).'}
          </p>
          <pre tabIndex={0} aria-label="Diagnostics text">
            {state.text}
          </pre>
        </div>
      )}
    </SettingsCard>
  )
}
