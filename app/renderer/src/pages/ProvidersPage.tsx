// Providers: the provider (ILSP) Junction reaches the network through — its link, where it is (URL, secret masked),
// the address and asset it gave Junction, its latency and Junction's balance with it against the limits — and below it
// every stored provider: add one (name + URL), test it (connect + ILDCP), make it active (apps reconnect), set the
// failover order, disable or remove it; then the switching and failover settings.
import { Globe } from 'lucide-react'
import { ProviderList } from './ProviderList'
import { ProviderSettingsCard } from './ProviderSettingsCard'
import { useEffect, type ReactNode } from 'react'
import type { StatusView } from '../../../shared/api-types'
import { Card } from '../components/Card'
import { CopyButton } from '../components/CopyButton'
import { EmptyState } from '../components/EmptyState'
import { LoadState } from '../components/LoadState'
import { PageHeader } from '../components/PageHeader'
import { providerLinkWords, providerName } from '../components/provider-words'
import { StatusDot } from '../components/StatusDot'
import { useNow } from '../components/use-now'
import { absoluteTime, timeAgo } from '../format/time'
import { useNetwork } from '../store/network'
import { useProviders } from '../store/providers'
import { useStatus } from '../store/status'
import { BalanceBar } from './BalanceBar'
import './providers.css'

export function ProvidersPage() {
  const status = useStatus((s) => s.status)
  const error = useStatus((s) => s.error)
  const loading = useStatus((s) => s.loading)
  // The provider's packet counts come with the accounts.
  useEffect(() => useNetwork.getState().start(), [])
  return (
    <div className="providers-page">
      <PageHeader title="Providers" description="The Interledger service provider Junction reaches the network through." />
      <LoadState
        what="the provider's state"
        loading={loading || (!status && !error)}
        error={error}
        onRetry={() => void useStatus.getState().load()}
        ready={status !== null}
      >
        {status && (status.provider.configured ? <CurrentProvider status={status} /> : <LocalMode status={status} />)}
      </LoadState>
      <ProviderList />
      <ProviderSettingsCard />
    </div>
  )
}

function LocalMode({ status }: { status: StatusView }) {
  return (
    <Card title="Current provider">
      <EmptyState icon={<Globe size={28} />} title="No provider — local mode">
        <p>
          Apps on this computer can pay each other through Junction, but nothing reaches the wider Interledger network. To connect to
          one, add a provider below and make it active.
        </p>
      </EmptyState>
      <dl className="provider-facts">
        <Fact term="Own address">
          {status.address ? <AddressValue address={status.address} /> : <span className="muted">none yet</span>}
        </Fact>
        <Fact term="Asset">
          <AssetValue status={status} />
        </Fact>
      </dl>
    </Card>
  )
}

function CurrentProvider({ status }: { status: StatusView }) {
  const now = useNow(1000)
  const provider = status.provider
  const link = providerLinkWords(provider, now)
  const state = provider.state
  const account = useNetwork((s) => s.accounts.items.find((a) => a.relation === 'parent'))
  const name = `the provider (${providerName(provider)})`
  return (
    <Card title="Current provider">
      <div className="provider-link">
        <StatusDot tone={link.tone} label={link.label} />
        {state?.state === 'connected' && (
          <span className="provider-link-detail">
            since{' '}
            <time dateTime={new Date(state.since).toISOString()} title={absoluteTime(state.since)}>
              {timeAgo(state.since, now)}
            </time>
          </span>
        )}
        {state?.state === 'waiting' && (
          <p className="provider-link-error" role="status">
            Last error: {state.lastError}
          </p>
        )}
      </div>
      <dl className="provider-facts">
        <Fact term="URL">
          {provider.url ? (
            <>
              <code className="provider-url">{provider.url}</code>
              <span className="muted"> (the secret is never shown)</span>
            </>
          ) : (
            <span className="muted">unknown</span>
          )}
        </Fact>
        <ActiveReceiving />
        <Fact term="Own address">
          {status.address ? (
            <AddressValue address={status.address} />
          ) : (
            <span className="muted">none yet: the provider assigns it when the link is up</span>
          )}
        </Fact>
        <Fact term="Asset">
          <AssetValue status={status} />
        </Fact>
        <Fact term="Latency">
          {provider.latencyMs === null ? <span className="muted">not measured yet</span> : <span className="figure">{provider.latencyMs} ms</span>}
        </Fact>
        {account && (
          <Fact term="Packets">
            <span className="figure">{account.packets.fulfilled.toLocaleString()}</span> fulfilled,{' '}
            <span className="figure">{account.packets.rejected.toLocaleString()}</span> rejected since Junction started
          </Fact>
        )}
      </dl>
      <h3 className="provider-subtitle">Balance with the provider</h3>
      {provider.balance === null ? (
        <p className="muted">Not known yet.</p>
      ) : (
        <>
          <BalanceBar account={{ balance: provider.balance, minBalance: provider.minBalance, maxBalance: provider.maxBalance }} name={name} full />
          <p className="table-note">
            Positive means the provider owes Junction; negative, that Junction owes the provider for what its apps paid.
          </p>
        </>
      )}
    </Card>
  )
}

/** For an ILP-over-HTTP provider: whether it can send to Junction (apps can be paid) or the link is send-only. */
function ActiveReceiving() {
  const active = useProviders((s) => s.items.find((p) => p.active))
  if (!active || active.transport !== 'http') return null
  return (
    <Fact term="Receiving">
      {active.receive ? (
        active.receive.error ? (
          <span className="provider-test-error">cannot receive: {active.receive.error}</span>
        ) : (
          <>
            at <code>{active.receive.url}</code>
          </>
        )
      ) : (
        <span>
          <strong>send-only</strong>: this ILP-over-HTTP provider cannot reach Junction, so apps can pay through it but cannot be paid. To
          receive, give it an address under <em>All providers → Receiving…</em>
        </span>
      )}
    </Fact>
  )
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="provider-fact">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function AddressValue({ address }: { address: string }) {
  return (
    <>
      <code>{address}</code> <CopyButton text={address} label="Copy address" />
    </>
  )
}

function AssetValue({ status }: { status: StatusView }) {
  const one = `1${'0'.repeat(status.assetScale)}`
  return (
    <>
      <strong>{status.assetCode}</strong>, scale {status.assetScale}{' '}
      <span className="muted">
        (1 {status.assetCode} = {BigInt(one).toLocaleString('en-US')} base units)
      </span>
    </>
  )
}
