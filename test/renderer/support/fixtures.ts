// Engine answers for renderer tests: a complete view with sensible defaults, overridden where a test cares.
import type { AppTotalsView, AppView, StatusView } from '../../../app/shared/api-types'

export function makeStatus(over: Partial<StatusView> = {}): StatusView {
  return {
    address: 'g.ilsp.junction',
    assetCode: 'XRP',
    assetScale: 9,
    appPort: 7768,
    provider: {
      configured: true,
      name: 'ilsp.example:7768',
      url: 'btp+ws://junction:*****@ilsp.example:7768',
      state: { state: 'connected', since: 1_700_000_000_000 },
      balance: '0',
      minBalance: '-1000000000',
      maxBalance: null,
      latencyMs: 12,
      ...over.provider,
    },
    newAppPolicy: 'ask',
    defaultBudget: null,
    apps: { total: 0, connected: 0, pending: 0 },
    paused: false,
    ...over,
    ...(over.provider ? { provider: { ...baseProvider(), ...over.provider } } : {}),
  }
}

function baseProvider(): StatusView['provider'] {
  return {
    configured: true,
    name: 'ilsp.example:7768',
    url: 'btp+ws://junction:*****@ilsp.example:7768',
    state: { state: 'connected', since: 1_700_000_000_000 },
    balance: '0',
    minBalance: '-1000000000',
    maxBalance: null,
    latencyMs: 12,
  }
}

export function makeApp(over: Partial<AppView> & { id: string }): AppView {
  return {
    displayName: null,
    status: 'approved',
    named: true,
    registered: false,
    connected: true,
    address: `g.ilsp.junction.${over.id}`,
    createdAt: 1_700_000_000_000,
    lastSeenAt: null,
    balance: '0',
    limits: { maxPacketAmount: null, maxPacketsPerSecond: null },
    budget: null,
    spent: { day: '0', week: '0', month: '0' },
    ...over,
  }
}

export function makeTotals(app: string, spent: string, earned = '0'): AppTotalsView {
  return {
    app,
    spent: { packets: spent === '0' ? '0' : '1', amountApp: spent, amountProvider: spent },
    earned: { packets: earned === '0' ? '0' : '1', amountApp: earned, amountProvider: earned },
  }
}
