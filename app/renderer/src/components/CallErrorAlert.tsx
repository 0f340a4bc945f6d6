// An engine call that failed, shown where its form is: the engine's message, and when it starts with an ILP code
// ("F02 no route to …") that code in words first — the same code a packet would have got.
import { CallError } from '../api/client'
import { errorMessage } from '../format/error-message'
import { explainReject } from '../format/reject-codes'

export function CallErrorAlert({ error }: { error: unknown }) {
  const code = error instanceof CallError ? /^([FTR]\d\d) /.exec(error.message)?.[1] : undefined
  return (
    <div className="form-error" role="alert">
      {code && <strong>{explainReject(code)}</strong>}
      <div>{errorMessage(error)}</div>
    </div>
  )
}
