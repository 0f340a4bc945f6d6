// Edit a provider (Providers page): its name, or its URL with a new secret — when the ILSP rotated Junction's token,
// or the secret was lost. Only the secret may change: another place or account is another provider (Add). The stored
// secret is never shown; an empty URL keeps it. The active provider reconnects with a new secret at once.
import { useState } from 'react'
import { type ApiInput, apiSchemas } from '../../../shared/api-schemas'
import type { ProviderView } from '../../../shared/api-types'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { schemaProblem } from '../format/error-message'
import { useProviders } from '../store/providers'

const FIELD_LABELS: Record<string, string> = { name: 'Name', url: 'URL' }

export function EditProviderDialog({ provider, onClose }: { provider: ProviderView; onClose: () => void }) {
  const [name, setName] = useState(provider.name)
  const [url, setUrl] = useState('')
  const lost = /secret of its URL is not in the secret store/.test(provider.lastError ?? '')
  return (
    <ConfirmDialog
      title={`Edit ${provider.name}`}
      confirmLabel="Save"
      onConfirm={async () => {
        const change: ApiInput<'updateProvider'> = {
          id: provider.id,
          ...(name.trim() && name.trim() !== provider.name ? { name: name.trim() } : {}),
          ...(url.trim() ? { url: url.trim() } : {}),
        }
        const problem = schemaProblem(apiSchemas.updateProvider, change, FIELD_LABELS)
        if (problem) throw new Error(problem.text)
        if (change.name === undefined && change.url === undefined) return
        await useProviders.getState().update(change)
      }}
      onClose={onClose}
      successMessage={`Saved ${name.trim() || provider.name}`}
    >
      {lost && (
        <p className="form-error" role="note">
          Junction lost the secret of this provider's URL: enter the whole URL again below.
        </p>
      )}
      <div className="field">
        <label htmlFor="provider-edit-name">Name</label>
        <input id="provider-edit-name" className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="provider-edit-url">URL with a new secret</label>
        <input
          id="provider-edit-url"
          className="input"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder={provider.url}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="provider-edit-url-hint"
        />
        <small id="provider-edit-url-hint" className="muted">
          Empty keeps the stored one. Same place and account only: the secret (the password part) may change.
          {provider.active && ' Junction reconnects with it at once.'}
        </small>
      </div>
    </ConfirmDialog>
  )
}
