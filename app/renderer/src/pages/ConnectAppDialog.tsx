// Connect an app: reserve a name, get a token (shown once), and copy the ready URL or the ILP_CREDENTIALS line for
// apps that use the `ilp-plugin` module.
import { useState, type FormEvent } from 'react'
import { CallError } from '../api/client'
import type { RegisteredAppView } from '../../../shared/api-types'
import { appNameSchema, displayNameSchema } from '../../../shared/api-schemas'
import { CopyButton } from '../components/CopyButton'
import { Dialog } from '../components/Dialog'
import { FormFooter } from '../components/FormFooter'
import { errorMessage } from '../format/error-message'
import { useApps } from '../store/apps'
import { notify } from '../store/notices'

/** The line an ilp-plugin app reads its server from. */
export function credentialsSnippet(url: string): string {
  return `ILP_CREDENTIALS='${JSON.stringify({ server: url })}'`
}

export function ConnectAppDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<RegisteredAppView | null>(null)
  // The name is taken: offer a new token for it (the app using the old one will be refused).
  const [taken, setTaken] = useState(false)

  const submit = async (e: FormEvent | null, replaceToken = false) => {
    e?.preventDefault()
    const parsed = appNameSchema.safeParse(name.trim())
    if (!parsed.success) return setProblem(`Name: ${parsed.error.issues[0]!.message}.`)
    let label: string | undefined
    if (displayName.trim()) {
      const d = displayNameSchema.safeParse(displayName)
      if (!d.success) return setProblem(`Display name: ${d.error.issues[0]!.message}.`)
      label = d.data
    }
    setBusy(true)
    setProblem(null)
    setTaken(false)
    try {
      const registered = await useApps.getState().register(parsed.data, label, replaceToken)
      setResult(registered)
      notify('success', `${registered.app.displayName ?? registered.app.id} ${replaceToken ? 'has a new token' : 'is registered'}. Copy its URL now.`)
    } catch (err) {
      setProblem(errorMessage(err))
      setTaken(err instanceof CallError && err.code === 'conflict')
    }
    setBusy(false)
  }

  if (result) {
    return (
      <Dialog
        // A new dialog (not the form's, updated): it takes focus again, onto Done.
        key="result"
        title={`Connect ${result.app.displayName ?? result.app.id}`}
        onClose={onClose}
        className="wide"
        footer={
          <button type="button" className="button primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <p>
          <strong>The token is shown only this once</strong> — Junction keeps only its hash. Copy the URL into the app now; if it is lost, register the
          name again with a new token.
        </p>
        <h3 className="snippet-title">URL for the app</h3>
        <div className="snippet">
          <code data-testid="connect-url">{result.url}</code>
          <CopyButton text={result.url} label="Copy URL" />
        </div>
        <h3 className="snippet-title">
          For apps using <code>ilp-plugin</code>
        </h3>
        <div className="snippet">
          <code data-testid="connect-snippet">{credentialsSnippet(result.url)}</code>
          <CopyButton text={credentialsSnippet(result.url)} label="Copy snippet" />
        </div>
        <p className="muted">
          Put that line before the command that starts the app, e.g. <code>{credentialsSnippet('…')} node app.js</code>.
          {result.app.status === 'pending' && ' The app waits for your approval when it first connects.'}
        </p>
      </Dialog>
    )
  }

  return (
    <Dialog title="Connect an app" onClose={onClose} busy={busy}>
      <form onSubmit={submit} noValidate>
        <p>Junction makes a token for the app and a URL to give it. The name becomes the last part of the app's address.</p>
        <div className="field">
          <label htmlFor="connect-name">Name</label>
          <input
            id="connect-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. my-wallet"
            aria-invalid={problem?.startsWith('Name') ? true : undefined}
            aria-describedby="connect-name-hint"
          />
          <span id="connect-name-hint" className="field-hint">
            Letters, digits, “_”, “~” and “-”.
          </span>
        </div>
        <div className="field">
          <label htmlFor="connect-display">Display name (optional)</label>
          <input id="connect-display" value={displayName} onChange={(e) => setDisplayName(e.target.value)} placeholder="e.g. My wallet" />
        </div>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        {taken && (
          <p>
            <button type="button" className="button danger" onClick={() => void submit(null, true)} disabled={busy}>
              Replace its token
            </button>{' '}
            <span className="muted">The app using the old token will be refused until it gets the new URL.</span>
          </p>
        )}
        <FormFooter busy={busy} onCancel={onClose} submitLabel="Create token" busyLabel="Creating…" />
      </form>
    </Dialog>
  )
}
