// ILP address rules (RFC 15): shared by the engine, which enforces them, and the UI, which validates input with them.

/** A whole ILP address: scheme, then at least one segment; at most 1023 characters; case-sensitive. */
const ADDRESS = /^(g|private|example|peer|self|test[1-3]?|local)([.][a-zA-Z0-9_~-]+)+$/
/** One segment of an address (what an app's username becomes). */
const SEGMENT = /^[a-zA-Z0-9_~-]+$/

export const MAX_ADDRESS_LENGTH = 1023

export function isValidIlpAddress(address: string): boolean {
  return address.length <= MAX_ADDRESS_LENGTH && ADDRESS.test(address)
}

export function isValidAddressSegment(segment: string): boolean {
  return segment.length > 0 && segment.length <= 256 && SEGMENT.test(segment)
}

/** Why a string is not a usable address segment, or undefined when it is one. */
export function addressSegmentProblem(segment: string): string | undefined {
  if (segment.length === 0) return 'it is empty'
  if (segment.length > 256) return `it is ${segment.length} characters long (at most 256)`
  const bad = segment.match(/[^a-zA-Z0-9_~-]/)
  if (bad) return `it contains ${JSON.stringify(bad[0])}; only letters, digits, '_', '~' and '-' are allowed`
  return undefined
}
