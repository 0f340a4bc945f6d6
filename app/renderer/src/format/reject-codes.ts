// ILP reject codes (RFC 27) in words, so the Activity list and the app pages say what happened and whose move it is.

const EXPLANATIONS: Record<string, string> = {
  F00: 'bad request: the packet was malformed',
  F01: 'invalid packet: it could not be parsed',
  F02: 'unreachable: no route to that address',
  F03: 'invalid amount: the amount was not acceptable to the receiver',
  F04: 'insufficient destination amount: the receiver would get less than asked for',
  F05: 'wrong condition: the fulfillment did not match',
  F06: 'unexpected payment: the receiver was not expecting it',
  F07: 'cannot receive: the receiver does not accept this payment',
  F08: 'amount too large: the packet is above the maximum packet amount on the way',
  F99: 'application error: the receiving app refused it',
  T00: 'internal error: a connector on the way failed; try again',
  T01: 'peer unreachable: the next connector could not be reached',
  T02: 'peer busy: the next connector is overloaded; try again later',
  T03: 'connector busy: Junction is paused or overloaded; resume or try again later',
  T04: "insufficient liquidity: the app's budget or the provider's limit was hit",
  T05: 'rate limited: too many packets per second',
  T99: 'application error: a temporary problem at the receiver',
  R00: 'expired: no answer came in time',
  R01: 'insufficient source amount: the sender did not send enough',
  R02: 'insufficient timeout: not enough time was left to forward it',
  R99: 'application error: the receiver gave up',
}

const CLASSES: Record<string, string> = {
  F: 'final error: retrying the same packet will not help',
  T: 'temporary error: it may work later',
  R: 'relative error: the packet was not sent as required',
}

/** "T04 — insufficient liquidity: the app's budget or the provider's limit was hit". */
export function explainReject(code: string): string {
  const known = EXPLANATIONS[code]
  if (known) return `${code} — ${known}`
  const cls = CLASSES[code.charAt(0)]
  return cls ? `${code} — ${cls}` : `${code} — unknown reject code`
}

/** Just the words, without the code. */
export function rejectWords(code: string): string {
  return explainReject(code).split(' — ')[1] ?? ''
}
