// An amount of money as people read it: exact (bigint → decimal), in the asset's units with its code, tabular
// figures; the raw base units on hover. Every amount on every page goes through here.
import { formatUnits } from '../format/amount'
import { useAsset, type Asset } from '../store/status'

export interface AmountProps {
  /** Base units as a decimal string (the engine's form) or a bigint. */
  units: string | bigint | null | undefined
  /** The asset; defaults to Junction's own (from the status). */
  asset?: Asset | null
  /** Show a leading + for positive amounts (balances, flows). */
  signed?: boolean
  className?: string
}

export function Amount({ units, asset, signed, className }: AmountProps) {
  const own = useAsset()
  const a = asset ?? own
  const cls = ['amount', className].filter(Boolean).join(' ')
  if (units === null || units === undefined || units === '') {
    return (
      <span className={cls} title="no amount">
        —
      </span>
    )
  }
  let value: bigint
  try {
    value = typeof units === 'bigint' ? units : BigInt(units)
  } catch {
    return <span className={cls} title={`not an amount: ${String(units)}`}>?</span>
  }
  if (!a) {
    // Before the status arrives the scale is unknown: show base units rather than guess.
    return (
      <span className={cls} title="base units (the asset is not known yet)">
        {value.toString()} units
      </span>
    )
  }
  const text = formatUnits(value, a.assetScale)
  const sign = signed && value > 0n ? '+' : ''
  return (
    <span className={cls} title={`${value.toString()} base units (scale ${a.assetScale})`} data-units={value.toString()}>
      {sign}
      {text}
      <span className="amount-code"> {a.assetCode}</span>
    </span>
  )
}
