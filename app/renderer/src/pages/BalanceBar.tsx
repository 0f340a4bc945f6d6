// An account's balance against its limits, for Peers & Routes, Settlements and Providers: a bar from the minimum to
// the maximum with a marker at the balance, the exact figures, and (in full) what happens at each limit. All the
// arithmetic is bigint; only the marker's position becomes a number.
//
// Balances are Junction's view: positive = the other side owes Junction. A packet *from* the account raises its
// balance and is refused above the maximum; a packet *to* it lowers it and is refused below the minimum
// (app/main/engine/pipeline/balance.ts).
import { TriangleAlert } from 'lucide-react'
import type { AccountView } from '../../../shared/api-types'
import { Amount } from '../components/Amount'
import { formatUnits } from '../format/amount'
import { useAsset } from '../store/status'
import './balance-bar.css'

type Limits = Pick<AccountView, 'balance' | 'minBalance' | 'maxBalance'>

/** Within this share of the range from a limit, the bar and words warn. */
const NEAR_PERCENT = 10

export interface BalancePosition {
  /** The balance's place between min and max (a missing limit counts as zero), 0–100, clamped; null without a range. */
  percent: number | null
  /** Room left before each limit (never below 0); null = no limit on that side. */
  roomDown: bigint | null
  roomUp: bigint | null
  level: 'ok' | 'near-min' | 'near-max' | 'at-min' | 'at-max'
}

export function balancePosition({ balance, minBalance, maxBalance }: Limits): BalancePosition {
  const b = BigInt(balance)
  const min = minBalance === null ? null : BigInt(minBalance)
  const max = maxBalance === null ? null : BigInt(maxBalance)
  const roomDown = min === null ? null : b > min ? b - min : 0n
  const roomUp = max === null ? null : max > b ? max - b : 0n
  let percent: number | null = null
  let level: BalancePosition['level'] = roomUp === 0n ? 'at-max' : roomDown === 0n ? 'at-min' : 'ok'
  // With one limit, the bar runs from it to zero (or to the balance, if that is further): how much of the room is used.
  const lower = min ?? (b < 0n ? b : 0n)
  const upper = max ?? (b > 0n ? b : 0n)
  if (upper > lower) {
    const span = upper - lower
    percent = Math.min(100, Math.max(0, Number(((b - lower) * 1000n) / span) / 10))
    if (level === 'ok' && roomUp !== null && roomUp * 100n <= span * BigInt(NEAR_PERCENT)) level = 'near-max'
    else if (level === 'ok' && roomDown !== null && roomDown * 100n <= span * BigInt(NEAR_PERCENT)) level = 'near-min'
  }
  return { percent, roomDown, roomUp, level }
}

const LEVEL_WORDS: Record<BalancePosition['level'], string> = {
  ok: '',
  'near-min': 'near its minimum',
  'near-max': 'near its maximum',
  'at-min': 'at its minimum: packets to it are refused',
  'at-max': 'at its maximum: packets from it are refused',
}

/**
 * compact: the bar and "min … · balance … · max …" (tables).
 * full: also what happens at each limit and the room left (Settlements, Providers).
 */
export function BalanceBar({ account, name = 'this account', full = false }: { account: Limits; name?: string; full?: boolean }) {
  const asset = useAsset()
  const pos = balancePosition(account)
  const words = LEVEL_WORDS[pos.level]
  const warn = pos.level !== 'ok'
  const text = (units: string | bigint) => (asset ? `${formatUnits(units, asset.assetScale)} ${asset.assetCode}` : `${units} base units`)
  const valueText = [
    `balance ${text(account.balance)}`,
    account.minBalance === null ? 'no minimum' : `minimum ${text(account.minBalance)}`,
    account.maxBalance === null ? 'no maximum' : `maximum ${text(account.maxBalance)}`,
    words,
  ]
    .filter(Boolean)
    .join(', ')
  return (
    <div className={`balance-bar${warn ? ' balance-warn' : ''}${full ? ' balance-full' : ''}`}>
      <div className="balance-value">
        <span className="balance-figure-label">balance</span> <Amount units={account.balance} signed />
      </div>
      {pos.percent !== null ? (
        <div
          className="balance-track"
          role="meter"
          aria-label={`Balance of ${name} between its limits`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pos.percent}
          aria-valuetext={valueText}
        >
          <div className="balance-fill" style={{ width: `${pos.percent}%` }} />
          <div className="balance-marker" style={{ left: `${pos.percent}%` }} />
        </div>
      ) : (
        <div className="balance-track balance-open" aria-hidden="true" title="No bar: the account has no limits" />
      )}
      <div className="balance-limits">
        <span>
          <span className="balance-figure-label">min</span> {account.minBalance === null ? <span className="muted">none</span> : <Amount units={account.minBalance} />}
        </span>
        <span>
          <span className="balance-figure-label">max</span> {account.maxBalance === null ? <span className="muted">none</span> : <Amount units={account.maxBalance} />}
        </span>
      </div>
      {words && (
        <p className="balance-words">
          <TriangleAlert aria-hidden="true" size={12} /> {capitalise(name)} is {words}.
        </p>
      )}
      {full && (
        <ul className="balance-rules">
          <li>
            {account.maxBalance === null ? (
              <>Packets from {name} are never refused for its balance: it has no maximum.</>
            ) : (
              <>
                Packets from {name} are refused above <Amount units={account.maxBalance} />; room left: <Amount units={pos.roomUp!} />.
              </>
            )}
          </li>
          <li>
            {account.minBalance === null ? (
              <>Packets to {name} are never refused for its balance: it has no minimum.</>
            ) : (
              <>
                Packets to {name} are refused below <Amount units={account.minBalance} />; room left: <Amount units={pos.roomDown!} />.
              </>
            )}
          </li>
        </ul>
      )}
    </div>
  )
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
