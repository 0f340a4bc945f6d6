// An expected ILP failure: the reject code, message and data that a packet's sender will see.
// Failures are values, not exceptions: a middleware returns one to reject a packet, which costs no stack trace on
// the hot path. Anything thrown instead is a bug or an I/O error; the error handler turns both into a Reject.

export type IlpErrorCode =
  | 'F00' | 'F01' | 'F02' | 'F03' | 'F04' | 'F05' | 'F06' | 'F07' | 'F08' | 'F99'
  | 'T00' | 'T01' | 'T02' | 'T03' | 'T04' | 'T05' | 'T99'
  | 'R00' | 'R01' | 'R02' | 'R99'

const EMPTY = Buffer.alloc(0)

export class IlpFailure {
  constructor(
    readonly code: IlpErrorCode,
    readonly message: string,
    readonly data: Buffer = EMPTY,
  ) {}
}

/** An IlpFailure that can be thrown from code that cannot return one. */
export class IlpFailureError extends Error {
  constructor(readonly failure: IlpFailure) {
    super(`${failure.code} ${failure.message}`)
    this.name = 'IlpFailureError'
  }
}

export const badRequest = (message: string) => new IlpFailure('F00', message)
export const invalidPacket = (message: string) => new IlpFailure('F01', message)
export const unreachable = (message: string) => new IlpFailure('F02', message)
export const wrongCondition = (message: string) => new IlpFailure('F05', message)
export const internalError = (message: string) => new IlpFailure('T00', message)
export const peerUnreachable = (message: string) => new IlpFailure('T01', message)
export const insufficientLiquidity = (message: string) => new IlpFailure('T04', message)
export const rateLimited = (message: string) => new IlpFailure('T05', message)
export const transferTimedOut = (message: string) => new IlpFailure('R00', message)
export const insufficientTimeout = (message: string) => new IlpFailure('R02', message)

/** F08 carries the amounts as two UInt64s (RFC 27: receivedAmount, maximumAmount). */
export function amountTooLarge(received: bigint, maximum: bigint): IlpFailure {
  const data = Buffer.alloc(16)
  data.writeBigUInt64BE(received, 0)
  data.writeBigUInt64BE(maximum, 8)
  return new IlpFailure('F08', `packet size too large: amount ${received} exceeds the maximum of ${maximum}`, data)
}
