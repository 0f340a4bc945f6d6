// The table for every list (apps, routes, accounts, settlements, packets): sortable columns (a button per header,
// aria-sort), an optional search box, an empty state slot, and a cap on rendered rows so long lists stay fast.
import { ChevronDown, ChevronUp, ChevronsUpDown, Search } from 'lucide-react'
import { useId, useMemo, useState, type ReactNode } from 'react'

export type SortValue = string | number | bigint | null | undefined

export interface Column<T> {
  key: string
  header: ReactNode
  cell: (row: T) => ReactNode
  /** Makes the column sortable. Amount columns return a bigint (exact ordering). */
  sortValue?: (row: T) => SortValue
  /** Numbers and amounts are right-aligned. */
  align?: 'left' | 'right'
  className?: string
}

export interface DataTableProps<T> {
  /** An accessible name for the table ("Apps"). */
  label: string
  rows: readonly T[]
  columns: Column<T>[]
  rowKey: (row: T) => string
  /** Adds a search box over the text this returns for each row. */
  searchText?: (row: T) => string
  searchPlaceholder?: string
  initialSort?: { key: string; direction: 'asc' | 'desc' }
  /** Shown when there are no rows at all. */
  empty?: ReactNode
  rowClassName?: (row: T) => string | undefined
  /** At most this many rows are rendered (the rest are counted below the table). */
  maxRows?: number
}

function compare(a: SortValue, b: SortValue): number {
  // Missing values sort last whatever the direction is not worth it; they sort as the smallest.
  if (a === b) return 0
  if (a === null || a === undefined) return -1
  if (b === null || b === undefined) return 1
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' })
  return a < b ? -1 : a > b ? 1 : 0
}

export function DataTable<T>({
  label,
  rows,
  columns,
  rowKey,
  searchText,
  searchPlaceholder = 'Search',
  initialSort,
  empty,
  rowClassName,
  maxRows = 500,
}: DataTableProps<T>) {
  const [sort, setSort] = useState(initialSort)
  const [query, setQuery] = useState('')
  const searchId = useId()

  const shown = useMemo(() => {
    let list = rows.slice()
    const q = query.trim().toLowerCase()
    if (q && searchText) list = list.filter((r) => searchText(r).toLowerCase().includes(q))
    const col = sort && columns.find((c) => c.key === sort.key)
    if (col?.sortValue) {
      const get = col.sortValue
      const dir = sort!.direction === 'asc' ? 1 : -1
      list.sort((a, b) => dir * compare(get(a), get(b)))
    }
    return list
  }, [rows, query, sort, columns, searchText])

  const toggle = (key: string) =>
    setSort((s) => (s?.key === key ? { key, direction: s.direction === 'asc' ? 'desc' : 'asc' } : { key, direction: 'asc' }))

  if (rows.length === 0 && empty) return <>{empty}</>

  const visible = shown.slice(0, maxRows)
  return (
    <div className="data-table">
      {searchText && (
        <div className="table-search">
          <Search aria-hidden="true" size={14} />
          <label htmlFor={searchId} className="visually-hidden">
            Search {label.toLowerCase()}
          </label>
          <input id={searchId} type="search" placeholder={searchPlaceholder} value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
      )}
      <div className="table-scroll">
        <table aria-label={label}>
          <thead>
            <tr>
              {columns.map((c) => {
                const active = sort?.key === c.key
                const ariaSort = active ? (sort!.direction === 'asc' ? 'ascending' : 'descending') : c.sortValue ? 'none' : undefined
                return (
                  <th key={c.key} scope="col" aria-sort={ariaSort} className={[c.align === 'right' && 'right', c.className].filter(Boolean).join(' ') || undefined}>
                    {c.sortValue ? (
                      <button type="button" className="sort-button" onClick={() => toggle(c.key)}>
                        {c.header}
                        {active ? (
                          sort!.direction === 'asc' ? (
                            <ChevronUp aria-hidden="true" size={12} />
                          ) : (
                            <ChevronDown aria-hidden="true" size={12} />
                          )
                        ) : (
                          <ChevronsUpDown aria-hidden="true" size={12} className="muted" />
                        )}
                      </button>
                    ) : (
                      c.header
                    )}
                  </th>
                )
              })}
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => (
              <tr key={rowKey(row)} className={rowClassName?.(row)}>
                {columns.map((c) => (
                  <td key={c.key} className={[c.align === 'right' && 'right', c.className].filter(Boolean).join(' ') || undefined}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && <p className="table-note">Nothing matches “{query}”.</p>}
      {shown.length > maxRows && (
        <p className="table-note">
          Showing the first {maxRows} of {shown.length}. Search to narrow the list.
        </p>
      )}
    </div>
  )
}
