// What can be done to an app, from its row in the Apps table and from its own page: approve, block, rename, set a
// budget, forget. Access and money changes are confirmed first; every outcome is reported (a notice, or the engine's
// message in the dialog so the person can correct it).
import { Ban, Check, Pencil, Trash2, Wallet } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import type { AppView, BudgetPeriod } from '../../../shared/api-types'
import { displayNameSchema } from '../../../shared/api-schemas'
import { formatUnits, parseAmount } from '../format/amount'
import { errorMessage } from '../format/error-message'
import { useApps } from '../store/apps'
import { notify } from '../store/notices'
import { useAsset } from '../store/status'
import { appDisplayName } from './AppLabel'
import { ConfirmDialog } from './ConfirmDialog'
import { FormFooter } from './FormFooter'
import { BUDGET_PERIODS, budgetPeriodWords } from '../format/budget-periods'
import { Dialog } from './Dialog'
import { navigate } from './router'

type Open = 'approve' | 'block' | 'rename' | 'budget' | 'forget' | null

export function AppActions({ app, compact, afterForget }: { app: AppView; compact?: boolean; afterForget?: () => void }) {
  const [open, setOpen] = useState<Open>(null)
  const name = appDisplayName(app)
  const cls = compact ? 'button small' : 'button'
  const close = () => setOpen(null)
  return (
    <div className="row-actions">
      {app.status !== 'approved' && (
        <button type="button" className={`${cls} primary`} onClick={() => setOpen('approve')} aria-label={`Approve ${name}`}>
          <Check size={14} aria-hidden="true" /> Approve
        </button>
      )}
      {app.status !== 'blocked' && (
        <button type="button" className={cls} onClick={() => setOpen('block')} aria-label={`Block ${name}`}>
          <Ban size={14} aria-hidden="true" /> Block
        </button>
      )}
      <button type="button" className={cls} onClick={() => setOpen('rename')} aria-label={`Rename ${name}`} title="Rename">
        <Pencil size={14} aria-hidden="true" /> {!compact && 'Rename'}
      </button>
      <button type="button" className={cls} onClick={() => setOpen('budget')} aria-label={`Set the budget of ${name}`} title="Set the budget">
        <Wallet size={14} aria-hidden="true" /> {!compact && 'Budget'}
      </button>
      <button type="button" className={cls} onClick={() => setOpen('forget')} aria-label={`Forget ${name}`} title="Forget">
        <Trash2 size={14} aria-hidden="true" /> {!compact && 'Forget'}
      </button>
      {open === 'approve' && (
        <ConfirmDialog
          title={`Approve ${name}?`}
          confirmLabel="Approve"
          onConfirm={() => useApps.getState().approve(app.id)}
          onClose={close}
          successMessage={`${name} is approved: it can send and receive payments${app.budget ? ' within its budget' : ''}.`}
        >
          <p>
            {name} will be able to pay from your provider account{app.budget ? ' within its budget' : ' without a budget — consider setting one'}.
          </p>
        </ConfirmDialog>
      )}
      {open === 'block' && (
        <ConfirmDialog
          title={`Block ${name}?`}
          confirmLabel="Block"
          danger
          onConfirm={() => useApps.getState().block(app.id)}
          onClose={close}
          successMessage={`${name} is blocked and disconnected.`}
        >
          <p>{name} is disconnected now and refused at every connection until you approve it again. Its history stays.</p>
        </ConfirmDialog>
      )}
      {open === 'forget' && (
        <ConfirmDialog
          title={`Forget ${name}?`}
          confirmLabel="Forget"
          danger
          onConfirm={() => useApps.getState().forget(app.id)}
          onClose={close}
          successMessage={`${name} is forgotten.`}
          onDone={afterForget}
        >
          <p>
            {name} is disconnected and its record deleted{app.registered ? ', with its token' : ''}. Its ledger history stays. If it connects again it is
            treated as a new app.
          </p>
        </ConfirmDialog>
      )}
      {open === 'rename' && <RenameDialog app={app} onClose={close} />}
      {open === 'budget' && <BudgetDialog app={app} onClose={close} />}
    </div>
  )
}

export function RenameDialog({ app, onClose }: { app: AppView; onClose: () => void }) {
  const [text, setText] = useState(app.displayName ?? '')
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    // Empty goes back to showing the app id.
    let displayName: string | null = null
    if (text.trim() !== '') {
      const parsed = displayNameSchema.safeParse(text)
      if (!parsed.success) return setProblem(parsed.error.issues[0]!.message)
      displayName = parsed.data
    }
    setBusy(true)
    setProblem(null)
    try {
      const updated = await useApps.getState().rename(app.id, displayName)
      notify('success', `Renamed to ${appDisplayName(updated)}.`)
      onClose()
    } catch (err) {
      setProblem(errorMessage(err))
      setBusy(false)
    }
  }
  return (
    <Dialog title={`Rename ${appDisplayName(app)}`} onClose={onClose} busy={busy}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="rename-input">Name</label>
          <input id="rename-input" value={text} onChange={(e) => setText(e.target.value)} maxLength={80} aria-invalid={problem ? true : undefined} aria-describedby="rename-hint" />
          <span id="rename-hint" className="field-hint">
            Only how Junction shows it; the app's id ({app.id}) and address stay. Leave empty to show the id.
          </span>
        </div>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <FormFooter busy={busy} onCancel={onClose} submitLabel="Save" />
      </form>
    </Dialog>
  )
}

export function BudgetDialog({ app, onClose }: { app: AppView; onClose: () => void }) {
  const asset = useAsset()
  const scale = asset?.assetScale ?? 0
  const [amount, setAmount] = useState(app.budget ? formatUnits(app.budget.amount, scale).replace(/,/g, '') : '')
  const [period, setPeriod] = useState<BudgetPeriod>(app.budget?.period ?? 'week')
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const name = appDisplayName(app)
  const save = async (budget: { amount: string; period: BudgetPeriod } | null) => {
    setBusy(true)
    setProblem(null)
    try {
      await useApps.getState().setBudget(app.id, budget)
      notify('success', budget ? `${name} may now spend ${formatUnits(budget.amount, scale)} ${asset?.assetCode ?? ''} ${budgetPeriodWords(budget.period)}.` : `${name} has no budget now.`)
      onClose()
    } catch (err) {
      setProblem(errorMessage(err))
      setBusy(false)
    }
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const parsed = parseAmount(amount, scale)
    if ('error' in parsed) return setProblem(`Amount: ${parsed.error}.`)
    void save({ amount: parsed.units, period })
  }
  return (
    <Dialog title={`Budget for ${name}`} onClose={onClose} busy={busy}>
      <form onSubmit={submit} noValidate>
        <p>Packets that would take {name} over its budget are refused (T04) until the next period starts.</p>
        <div className="field">
          <label htmlFor="budget-amount">Amount{asset ? ` (${asset.assetCode})` : ''}</label>
          <div className="field-row">
            <input id="budget-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={problem ? true : undefined} placeholder="e.g. 1.5" />
            <label htmlFor="budget-period" className="visually-hidden">
              Period
            </label>
            <select id="budget-period" value={period} onChange={(e) => setPeriod(e.target.value as BudgetPeriod)}>
              {BUDGET_PERIODS.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <span className="field-hint">Up to {scale} decimal places; periods follow your calendar (weeks start on Monday).</span>
        </div>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <FormFooter busy={busy} onCancel={onClose} submitLabel="Save budget">
          {app.budget && (
            <button type="button" className="button" onClick={() => void save(null)} disabled={busy}>
              Remove budget
            </button>
          )}
        </FormFooter>
      </form>
    </Dialog>
  )
}

/** After forgetting an app from its own page, go back to the list. */
export const backToApps = () => navigate('#/apps')
