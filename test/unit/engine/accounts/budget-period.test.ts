// Calendar budget periods in local time, with an injected clock and time zone (process.env.TZ, which Node applies
// at once): local midnight, Monday 00:00, the 1st, daylight-saving days, and the rollover of spending counters.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { periodBounds } from '../../../../app/main/engine/accounts/budget-period'
import { addSpent, newSpend, rollSpend } from '../../../../app/main/engine/accounts/app-state'

const savedTz = process.env.TZ
function restoreTz() {
  if (savedTz === undefined) delete process.env.TZ
  else process.env.TZ = savedTz
}
function inZone(tz: string, fn: () => void) {
  process.env.TZ = tz
  try {
    fn()
  } finally {
    restoreTz()
  }
}
const iso = (ms: number) => new Date(ms).toISOString()
const HOUR = 3600_000

describe('periodBounds', () => {
  after(restoreTz)

  it('day: from local midnight to the next, in New York', () =>
    inZone('America/New_York', () => {
      const b = periodBounds('day', Date.parse('2026-11-18T15:30:00Z')) // 10:30 EST, a Wednesday
      assert.equal(iso(b.start), '2026-11-18T05:00:00.000Z')
      assert.equal(iso(b.end), '2026-11-19T05:00:00.000Z')
    }))

  it('day: the boundary instant belongs to the new day; 1 ms before to the old one', () =>
    inZone('Europe/Berlin', () => {
      const midnight = Date.parse('2026-06-09T22:00:00Z') // 00:00 CEST on June 10
      assert.equal(periodBounds('day', midnight).start, midnight)
      assert.equal(periodBounds('day', midnight - 1).end, midnight)
      assert.equal(iso(periodBounds('day', midnight - 1).start), '2026-06-08T22:00:00.000Z')
    }))

  it('day: a daylight-saving day is 23 or 25 hours long', () =>
    inZone('America/New_York', () => {
      const spring = periodBounds('day', Date.parse('2026-03-08T17:00:00Z'))
      assert.equal(iso(spring.start), '2026-03-08T05:00:00.000Z')
      assert.equal(spring.end - spring.start, 23 * HOUR)
      const autumn = periodBounds('day', Date.parse('2026-11-01T17:00:00Z'))
      assert.equal(iso(autumn.start), '2026-11-01T04:00:00.000Z')
      assert.equal(autumn.end - autumn.start, 25 * HOUR)
    }))

  it('day: where DST skips midnight, the day starts at its first instant (01:00)', () =>
    inZone('America/Santiago', () => {
      // Chile moved clocks from 00:00 to 01:00 on 2022-09-11.
      const b = periodBounds('day', Date.parse('2022-09-11T15:00:00Z'))
      assert.equal(new Date(b.start).getHours(), 1)
      assert.equal(iso(b.start), '2022-09-11T04:00:00.000Z')
    }))

  it('day: in a half-hour zone (Kolkata, UTC+5:30)', () =>
    inZone('Asia/Kolkata', () => {
      const b = periodBounds('day', Date.parse('2026-11-18T20:00:00Z')) // 01:30 on the 19th
      assert.equal(iso(b.start), '2026-11-18T18:30:00.000Z')
      assert.equal(iso(b.end), '2026-11-19T18:30:00.000Z')
    }))

  it('week: from local Monday 00:00, whatever the weekday, Sunday included', () =>
    inZone('Europe/Berlin', () => {
      const monday = Date.parse('2026-11-15T23:00:00Z') // Mon 16 Nov 00:00 CET
      for (const at of ['2026-11-15T23:00:00Z', '2026-11-18T12:00:00Z', '2026-11-22T22:59:59.999Z']) {
        const b = periodBounds('week', Date.parse(at))
        assert.equal(b.start, monday, at)
        assert.equal(iso(b.end), '2026-11-22T23:00:00.000Z', at)
      }
      // 1 ms before Monday 00:00 is still the previous week (Sunday).
      assert.equal(periodBounds('week', monday - 1).end, monday)
    }))

  it('week: across a month and a DST change (167 hours)', () =>
    inZone('Europe/Berlin', () => {
      const b = periodBounds('week', Date.parse('2026-10-29T12:00:00Z')) // Thursday; clocks went back on Sun 25 Oct
      assert.equal(iso(b.start), '2026-10-25T23:00:00.000Z') // Mon 26 Oct 00:00 CET
      assert.equal(iso(b.end), '2026-11-01T23:00:00.000Z')
      const dst = periodBounds('week', Date.parse('2026-03-25T12:00:00Z')) // the week of Sun 29 Mar
      assert.equal(dst.end - dst.start, 167 * HOUR)
    }))

  it('month: from the 1st 00:00 to the next 1st, across the year end', () =>
    inZone('America/New_York', () => {
      const b = periodBounds('month', Date.parse('2026-12-31T23:00:00Z')) // Dec 31 18:00 EST
      assert.equal(iso(b.start), '2026-12-01T05:00:00.000Z')
      assert.equal(iso(b.end), '2027-01-01T05:00:00.000Z')
      const feb = periodBounds('month', Date.parse('2028-02-29T12:00:00Z'))
      assert.equal(iso(feb.start), '2028-02-01T05:00:00.000Z')
      assert.equal(iso(feb.end), '2028-03-01T05:00:00.000Z')
    }))

  it('the same instant is a different day in different zones', () => {
    const t = Date.parse('2026-11-18T23:30:00Z')
    let ny = 0
    let tokyo = 0
    inZone('America/New_York', () => (ny = periodBounds('day', t).start))
    inZone('Asia/Tokyo', () => (tokyo = periodBounds('day', t).start))
    assert.equal(iso(ny), '2026-11-18T05:00:00.000Z')
    assert.equal(iso(tokyo), '2026-11-18T15:00:00.000Z') // 19 Nov 00:00 JST
  })
})

describe('spending counters', () => {
  before(() => {
    process.env.TZ = 'Europe/Berlin'
  })
  after(restoreTz)

  it('start from what the ledger says and roll each period over at its own end', () => {
    const sunday = Date.parse('2026-11-22T12:00:00Z') // Sun 22 Nov 13:00 CET
    const spend = newSpend(sunday, { day: 10n, week: 100n, month: 1000n })
    addSpent(spend, 5n, sunday)
    assert.deepEqual([spend.day.spent, spend.week.spent, spend.month.spent], [15n, 105n, 1005n])
    assert.equal(iso(spend.rollsAt), '2026-11-22T23:00:00.000Z')

    // Monday 00:00: a new day and a new week, the same month.
    const monday = Date.parse('2026-11-22T23:00:00Z')
    rollSpend(spend, monday - 1)
    assert.equal(spend.day.spent, 15n, 'nothing rolls before the boundary')
    rollSpend(spend, monday)
    assert.deepEqual([spend.day.spent, spend.week.spent, spend.month.spent], [0n, 0n, 1005n])
    assert.equal(spend.week.start, monday)
    addSpent(spend, 7n, monday + HOUR)
    assert.deepEqual([spend.day.spent, spend.week.spent, spend.month.spent], [7n, 7n, 1012n])

    // Days later, in the next month: everything rolls, in-flight amounts stay.
    spend.inFlight = 3n
    addSpent(spend, 1n, Date.parse('2026-12-02T09:00:00Z'))
    assert.deepEqual([spend.day.spent, spend.week.spent, spend.month.spent], [1n, 1n, 1n])
    assert.equal(iso(spend.month.start), '2026-11-30T23:00:00.000Z')
    assert.equal(spend.inFlight, 3n)
  })
})
