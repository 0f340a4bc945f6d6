// Formatting: exact amounts, relative times, reject codes in words, and error messages from the engine's errors.
import { describe, expect, it } from 'vitest'
import { CallError } from '../../../app/renderer/src/api/client'
import { formatAmount, formatUnits, parseAmount } from '../../../app/renderer/src/format/amount'
import { errorMessage } from '../../../app/renderer/src/format/error-message'
import { explainReject } from '../../../app/renderer/src/format/reject-codes'
import { relativeTime, secondsUntil, timeAgo } from '../../../app/renderer/src/format/time'

describe('amounts', () => {
  it('shows base units exactly at the asset scale', () => {
    expect(formatAmount('123456789', { assetCode: 'XRP', assetScale: 9 })).toBe('0.123456789 XRP')
    expect(formatUnits('9223372036854775807', 9)).toBe('9,223,372,036.854775807')
    expect(formatUnits('-1500000000', 9)).toBe('−1.5')
    expect(formatUnits('100', 0)).toBe('100')
  })
  it('parses a decimal entry without rounding', () => {
    expect(parseAmount('1.5', 9)).toEqual({ units: '1500000000' })
    expect(parseAmount('0.0000000001', 9)).toEqual({ error: 'at most 9 decimal places for this asset' })
    expect(parseAmount('abc', 9)).toHaveProperty('error')
  })
})

describe('relative times', () => {
  const now = 1_700_000_000_000
  it('says how long ago', () => {
    expect(relativeTime(now - 2000, now)).toBe('just now')
    expect(relativeTime(now - 45_000, now)).toBe('45 s ago')
    expect(relativeTime(now - 2 * 60_000 - 5000, now)).toBe('2 min ago')
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe('3 h ago')
    expect(relativeTime(now - 26 * 3_600_000, now)).toBe('yesterday')
    expect(relativeTime(now - 4 * 86_400_000, now)).toBe('4 days ago')
  })
  it('says how long until', () => {
    expect(relativeTime(now + 8000, now)).toBe('in 8 s')
    expect(secondsUntil(now + 7200, now)).toBe(8)
    expect(secondsUntil(now - 1000, now)).toBe(0)
  })
  it('an event stamped a moment ahead of the page clock happened just now', () => {
    expect(timeAgo(now + 1500, now)).toBe('just now')
    expect(relativeTime(now + 1500, now)).toBe('in a moment')
    expect(timeAgo(now - 45_000, now)).toBe('45 s ago')
  })
})

describe('reject codes', () => {
  it('explains known codes and classes of unknown ones', () => {
    expect(explainReject('T04')).toBe("T04 — insufficient liquidity: the app's budget or the provider's limit was hit")
    expect(explainReject('F02')).toMatch(/^F02 — unreachable/)
    expect(explainReject('T42')).toMatch(/^T42 — temporary error/)
    expect(explainReject('Z01')).toBe('Z01 — unknown reject code')
  })
})

describe('error messages', () => {
  it("keeps the engine's message and names the fields", () => {
    const e = new CallError({ code: 'invalid-input', message: 'invalid setAppBudget input', issues: [{ path: 'budget.amount', message: 'must be at least 1' }] })
    expect(errorMessage(e)).toBe('Invalid setAppBudget input (budget.amount: must be at least 1).')
  })
  it('says what to do when Junction is unreachable', () => {
    expect(errorMessage(new CallError({ code: 'disconnected', message: 'not connected to Junction' }))).toMatch(/check that it is running/)
  })
})
