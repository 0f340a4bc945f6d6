// One engine call as page state: loading, error (with retry) or data, re-run when its params change or on demand.
// For data a page reads once (an app's chart, the routes); lists that live across pages have their own stores.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { MethodName, MethodParams, MethodResult } from '../../../shared/contract'
import { getClient } from './client'

export interface CallState<T> {
  data: T | undefined
  error: unknown
  /** True until the first answer, and while a reload runs. */
  loading: boolean
  reload(): void
}

/** `params` are compared by value (JSON), so an inline object literal does not re-run the call every render. */
export function useCall<M extends MethodName>(method: M, params?: MethodParams<M>, options: { enabled?: boolean } = {}): CallState<MethodResult<M>> {
  const key = JSON.stringify(params ?? null)
  const enabled = options.enabled ?? true
  const [state, setState] = useState<{ data: MethodResult<M> | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: null,
    loading: enabled,
  })
  const [round, setRound] = useState(0)
  const latest = useRef(0)
  useEffect(() => {
    if (!enabled) return
    const ticket = ++latest.current
    setState((s) => ({ ...s, error: null, loading: true }))
    const call = getClient().call as (m: string, p?: unknown) => Promise<MethodResult<M>>
    call(method, params).then(
      (data) => ticket === latest.current && setState({ data, error: null, loading: false }),
      (error: unknown) => ticket === latest.current && setState((s) => ({ data: s.data, error, loading: false })),
    )
    // `key` stands for params.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [method, key, round, enabled])
  const reload = useCallback(() => setRound((r) => r + 1), [])
  return { ...state, reload }
}
