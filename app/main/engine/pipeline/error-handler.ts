// Error handling: whatever is thrown while a packet is handled becomes a reject instead of a crash. An IlpFailure
// keeps its code; an error carrying `ilpErrorCode` (the ilp-connector convention) keeps that; anything else is F00.
import { IlpFailure, IlpFailureError, type IlpErrorCode } from '../ilp/ilp-failure'

const CODE = /^[FTR][0-9]{2}$/

export function failureFromError(err: unknown): IlpFailure {
  if (err instanceof IlpFailureError) return err.failure
  if (err instanceof IlpFailure) return err
  const e = err as { ilpErrorCode?: unknown; message?: unknown; ilpErrorData?: unknown }
  const message = typeof e?.message === 'string' ? e.message : String(err)
  if (typeof e?.ilpErrorCode === 'string' && CODE.test(e.ilpErrorCode)) {
    return new IlpFailure(e.ilpErrorCode as IlpErrorCode, message, Buffer.isBuffer(e.ilpErrorData) ? e.ilpErrorData : undefined)
  }
  return new IlpFailure('F00', message)
}
