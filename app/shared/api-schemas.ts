// The inputs of the engine API, as zod schemas: the engine validates every call with them (whatever the caller: IPC,
// the headless WebSocket, tests), and the UI can check a form with the same rules before sending it.
// Amounts cross the API as decimal strings of base units (JSON has no 64-bit integers) and become bigint inside.
import { z } from 'zod'
import { addressSegmentProblem, isValidIlpAddress } from './ilp-address'

/** SQLite keeps amounts as signed 64-bit integers: the largest amount the engine can store. */
export const MAX_AMOUNT = 2n ** 63n - 1n

const AMOUNT_HINT = 'expected a whole number of base units as a decimal string, e.g. "1000000"'

/** A non-negative amount of base units, as a decimal string; parsed to bigint. */
export const amountSchema = z
  .string({ error: AMOUNT_HINT })
  .regex(/^\d+$/, AMOUNT_HINT)
  // zod runs every check even after one failed: only digits reach BigInt, and only short enough ones.
  .refine((s) => !/^\d+$/.test(s) || (s.length <= 40 && BigInt(s) <= MAX_AMOUNT), `must be at most ${MAX_AMOUNT} base units`)
  .transform((s) => BigInt(s))

/** A positive amount (0 would refuse every packet: block the app instead). */
export const positiveAmountSchema = amountSchema.refine((a) => a > 0n, 'must be at least 1 (to stop an app, block it)')

export const appIdSchema = z
  .string({ error: 'expected an app id (a string)' })
  .min(1, 'expected an app id, got an empty string')
  .max(256, 'an app id has at most 256 characters')
  .regex(/^[A-Za-z0-9_~-]+$/, "an app id has only letters, digits, '_', '~' and '-'")

export const budgetPeriodSchema = z.enum(['day', 'week', 'month'], { error: 'expected "day", "week" or "month"' })

export const budgetSchema = z.strictObject(
  { amount: amountSchema, period: budgetPeriodSchema },
  { error: (issue) => (issue.code === 'invalid_type' ? 'expected { amount, period }, or null for no budget' : undefined) },
)

export const newAppPolicySchema = z.enum(['allow', 'ask', 'deny'], { error: 'expected "allow", "ask" or "deny"' })

export const displayNameSchema = z
  .string({ error: 'expected a name (a string), or null to go back to the app id' })
  .trim()
  .min(1, 'a display name cannot be empty; use null to go back to the app id')
  .max(64, 'a display name has at most 64 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'a display name cannot contain control characters')

/** A name an app registers under: it becomes the last segment of the app's ILP address. */
export const appNameSchema = z
  .string({ error: 'expected an app name (a string)' })
  .superRefine((name, ctx) => {
    const problem = addressSegmentProblem(name)
    if (problem) ctx.addIssue({ code: 'custom', message: `an app name becomes an ILP address segment, and ${problem}` })
    else if (/^[A-Za-z0-9_-]{43}$/.test(name)) {
      ctx.addIssue({ code: 'custom', message: 'names of 43 base64url characters are reserved for unnamed (token-derived) apps' })
    }
  })

/** A whole ILP address (RFC 15), e.g. a destination to quote. */
export const ilpAddressSchema = z
  .string({ error: 'expected an ILP address (a string)' })
  .refine(isValidIlpAddress, 'expected an ILP address such as "g.provider.alice": a scheme (g, test, private, …), then dot-separated segments of letters, digits, _ ~ -')

/** A method's input: an object with exactly these fields. */
function input<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'invalid_type') return `expected an object with ${Object.keys(shape).join(', ')}`
      if (issue.code === 'unrecognized_keys') {
        return `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (expected ${Object.keys(shape).join(', ')})`
      }
      return undefined
    },
  })
}

const byId = input({ id: appIdSchema })

export const providerIdSchema = z
  .string({ error: 'expected a provider id (a string)' })
  .min(1, 'expected a provider id, got an empty string')
  .max(64, 'a provider id has at most 64 characters')

export const providerNameSchema = z.string({ error: 'expected a name (a string)' }).trim().max(100, 'a provider name has at most 100 characters')

const LINK_URL_HINT =
  'expected a BTP URL (btp+ws://user:secret@host:port, or btp+wss://) or an ILP-over-HTTP URL (https://name:token@host/path, or http://)'

/** A provider's (or peer's) link URL: BTP btp+ws(s)://user:secret@host[:port][/path], or ILP-over-HTTP http(s)://[name]:token@host[:port][/path]. */
export const providerUrlSchema = z
  .string({ error: 'expected a provider URL (a string)' })
  .max(2048, 'a provider URL has at most 2048 characters')
  .superRefine((u, ctx) => {
    let url: URL
    try {
      url = new URL(u)
    } catch {
      ctx.addIssue({ code: 'custom', message: LINK_URL_HINT })
      return
    }
    const btp = url.protocol === 'btp+ws:' || url.protocol === 'btp+wss:'
    const http = url.protocol === 'http:' || url.protocol === 'https:'
    if ((!btp && !http) || url.hostname === '') ctx.addIssue({ code: 'custom', message: LINK_URL_HINT })
    else if (http && url.password === '') {
      ctx.addIssue({ code: 'custom', message: 'an ILP-over-HTTP URL carries its token as the password: https://name:token@host/path (name may be empty)' })
    }
  })

/** A host Junction binds to receive ILP-over-HTTP packets: loopback by default; any other is the user's explicit choice. */
const bindHostSchema = z
  .string({ error: 'expected a host to listen on, e.g. "127.0.0.1"' })
  .min(1, 'expected a host to listen on, e.g. "127.0.0.1"')
  .max(255, 'a host has at most 255 characters')
  .regex(/^[A-Za-z0-9.:-]+$/, 'expected an IP address or host name, e.g. "127.0.0.1" or "::1"')

/** A token a provider or peer must present (Authorization: Bearer <token>). */
export const linkTokenSchema = z
  .string({ error: 'expected a token (a string)' })
  .min(16, 'a token needs at least 16 characters')
  .max(512, 'a token has at most 512 characters')
  .regex(/^[\x21-\x7e]+$/, 'a token is printable ASCII without spaces')

/** Where Junction receives an HTTP provider's packets: port (and host, 127.0.0.1 unless given) and the token it must send. */
export const httpReceiveSchema = z.strictObject(
  {
    host: bindHostSchema.optional(),
    port: z.number({ error: 'expected a port number' }).int('expected a whole port number').min(1, 'a port is 1–65535').max(65535, 'a port is 1–65535'),
    token: linkTokenSchema,
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'expected { port, token } (and host), or null for send-only' : undefined) },
)

/** An asset code as ILDCP gives it: 1–16 printable characters. */
export const assetCodeSchema = z
  .string({ error: 'expected an asset code (a string)' })
  .regex(/^[\x21-\x7e]{1,16}$/, 'an asset code is 1–16 printable characters without spaces, e.g. "USD"')

/** A positive decimal, e.g. "2500" or "0.0001": at most 18 digits before and 18 after the point. */
export const rateSchema = z
  .string({ error: 'expected a rate as a decimal string, e.g. "0.5"' })
  .regex(/^\d{1,18}(\.\d{1,18})?$/, 'expected a rate as a decimal string, e.g. "0.5" (up to 18 digits each side of the point)')
  .refine((r) => /[1-9]/.test(r), 'a rate must be above 0')

/** A spread in [0, 1): e.g. "0.005". */
export const spreadSchema = z
  .string({ error: 'expected a spread as a decimal string, e.g. "0.005"' })
  .regex(/^0(\.\d{1,18})?$/, 'expected a spread from 0 up to (not including) 1, as a decimal string such as "0.005"')

export const peerIdSchema = z.string({ error: 'expected a peer id (a string)' }).superRefine((id, ctx) => {
  const problem = addressSegmentProblem(id)
  if (problem) ctx.addIssue({ code: 'custom', message: `a peer id becomes an account and connection name, and ${problem}` })
  else if (id.length > 64) ctx.addIssue({ code: 'custom', message: 'a peer id has at most 64 characters' })
})

/** A payment pointer ($host/path) or its https:// SPSP URL. */
export const paymentPointerSchema = z
  .string({ error: 'expected a payment pointer (a string)' })
  .max(2048, 'a payment pointer has at most 2048 characters')
  .refine((p) => {
    try {
      const url = new URL(p.startsWith('$') ? 'https://' + p.slice(1) : p)
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === ''
    } catch {
      return false
    }
  }, 'expected a payment pointer such as "$wallet.example/alice" (or its https:// URL)')

const timeSchema = z
  .number({ error: 'expected a time in Unix milliseconds' })
  .int('expected a whole number of Unix milliseconds')
  .min(0, 'a time cannot be before 1970')
  .max(8.64e15, 'a time cannot be after the year 275760')

/** A time range [from, to) in Unix milliseconds. */
const range = {
  from: timeSchema,
  to: timeSchema,
}
const fromBeforeTo = (r: { from: number; to: number }) => r.from <= r.to
const RANGE_ORDER = { message: 'from must not be after to', path: ['to'] }

const resolutionSchema = z.enum(['minute', 'hour', 'day'], { error: 'expected "minute", "hour" or "day"' })
const limitSchema = z.number().int('expected a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100')

/** A browser origin: scheme://host[:port], nothing after it. */
export const originSchema = z
  .string({ error: 'expected an origin such as "https://example.com"' })
  .max(256, 'an origin has at most 256 characters')
  .refine((s) => {
    try {
      const u = new URL(s)
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s
    } catch {
      return false
    }
  }, 'expected an origin: http(s)://host[:port] with no path, e.g. "https://example.com"')

export const apiSchemas = {
  getApp: byId,
  approveApp: byId,
  blockApp: byId,
  forgetApp: byId,
  renameApp: input({ id: appIdSchema, displayName: displayNameSchema.nullable() }),
  setAppBudget: input({ id: appIdSchema, budget: budgetSchema.nullable() }),
  setAppLimits: input({
    id: appIdSchema,
    /** null removes the app's own limit (Junction's default applies); absent leaves it unchanged. */
    maxPacketAmount: positiveAmountSchema.nullable().optional(),
    maxPacketsPerSecond: z
      .number({ error: 'expected a number of packets per second' })
      .int('expected a whole number of packets per second')
      .min(1, 'must be at least 1 packet per second (to stop an app, block it)')
      .max(1_000_000, 'must be at most 1000000 packets per second')
      .nullable()
      .optional(),
  }),
  registerApp: input({
    name: appNameSchema,
    displayName: displayNameSchema.optional(),
    /** Gives an already registered app a new token (the old one stops working). */
    replaceToken: z.boolean().optional(),
  }),
  setNewAppPolicy: input({ policy: newAppPolicySchema }),
  setDefaultBudget: input({ budget: budgetSchema.nullable() }),

  ledgerTotals: input(range).refine(fromBeforeTo, RANGE_ORDER),
  ledgerAppTotals: input({ id: appIdSchema, ...range }).refine(fromBeforeTo, RANGE_ORDER),
  ledgerSeries: input({ id: appIdSchema, ...range, resolution: resolutionSchema }).refine(fromBeforeTo, RANGE_ORDER),
  ledgerTopDestinations: input({ id: appIdSchema, ...range, limit: limitSchema.optional() }).refine(fromBeforeTo, RANGE_ORDER),
  ledgerRejects: input({ ...range, id: appIdSchema.optional() }).refine(fromBeforeTo, RANGE_ORDER),
  exportLedgerCsv: input({ ...range, id: appIdSchema.optional() }).refine(fromBeforeTo, RANGE_ORDER),
  ledgerSpendSeries: input({ ...range, resolution: resolutionSchema }).refine(fromBeforeTo, RANGE_ORDER),
  ledgerDestinations: input({ ...range, id: appIdSchema.optional(), limit: limitSchema.optional() }).refine(fromBeforeTo, RANGE_ORDER),
  recentPackets: input({ limit: z.number().int('expected a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional() }).optional(),
  quote: input({
    destination: ilpAddressSchema,
    sourceAmount: amountSchema.optional(),
    destinationAmount: amountSchema.optional(),
    /** The sending app, whose limits apply; Junction's default app limits without it. */
    app: appIdSchema.optional(),
  }).refine((q) => q.sourceAmount === undefined || q.destinationAmount === undefined, {
    message: 'give a source amount or a destination amount, not both',
    path: ['destinationAmount'],
  }),
  setSettings: input({
    newAppPolicy: newAppPolicySchema.optional(),
    defaultBudget: budgetSchema.nullable().optional(),
    allowedOrigins: z.array(originSchema, { error: 'expected a list of origins' }).max(64, 'at most 64 origins').optional(),
    logLevel: z.enum(['error', 'warn', 'info', 'debug'], { error: 'expected "error", "warn", "info" or "debug"' }).optional(),
    startAtLogin: z.boolean({ error: 'expected true or false' }).optional(),
    closeToTray: z.boolean({ error: 'expected true or false' }).optional(),
  }),

  // ---- providers ----
  addProvider: input({ name: providerNameSchema, url: providerUrlSchema, receive: httpReceiveSchema.nullable().optional() }),
  setProviderReceive: input({ id: providerIdSchema, receive: httpReceiveSchema.nullable() }),
  setRates: input({
    spread: spreadSchema.optional(),
    pairs: z
      .array(z.strictObject({ from: assetCodeSchema, to: assetCodeSchema, rate: rateSchema }, { error: 'expected { from, to, rate }' }), {
        error: 'expected a list of { from, to, rate }',
      })
      .max(200, 'at most 200 rates')
      .superRefine((pairs, ctx) => {
        const seen = new Set<string>()
        pairs.forEach((p, i) => {
          if (p.from === p.to) ctx.addIssue({ code: 'custom', path: [i, 'to'], message: `a rate from ${p.from} to itself is always 1` })
          const key = [p.from, p.to].sort().join('/')
          if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `${p.from}/${p.to} is given twice (one direction is enough; the other is its inverse)` })
          seen.add(key)
        })
      })
      .optional(),
  }),
  probeRate: z.union([input({ paymentPointer: paymentPointerSchema }), input({ destination: ilpAddressSchema, sharedSecret: z.string().regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'expected a 32-byte shared secret in base64') })], {
    error: 'expected { paymentPointer } or { destination, sharedSecret }',
  }),
  addPeer: input({
    id: peerIdSchema,
    name: providerNameSchema.optional(),
    /** Where Junction connects to the peer (BTP or HTTP); omit if only the peer connects to Junction. */
    url: providerUrlSchema.optional(),
    /** Lets the peer connect to Junction's app port as `<id>` with this token. */
    incomingToken: linkTokenSchema.optional(),
    assetCode: assetCodeSchema.optional(),
    assetScale: z.number({ error: 'expected an asset scale' }).int('expected a whole number').min(0, 'an asset scale is 0–255').max(255, 'an asset scale is 0–255').optional(),
  }).refine((p) => p.url !== undefined || p.incomingToken !== undefined, {
    message: 'give the peer a url (Junction connects to it), an incomingToken (it connects to Junction), or both',
    path: ['url'],
  }),
  updatePeer: input({
    id: peerIdSchema,
    name: providerNameSchema.optional(),
    /** A new URL (Junction reconnects there); null: Junction no longer connects to the peer. */
    url: providerUrlSchema.nullable().optional(),
    /** A new token for the peer's connections to the app port; null: it may no longer connect. */
    incomingToken: linkTokenSchema.nullable().optional(),
  }),
  removePeer: input({ id: peerIdSchema }),
  testProvider: z.union([input({ id: providerIdSchema }), input({ url: providerUrlSchema })], {
    error: 'expected { id } of a stored provider or { url } of one to try',
  }),
  activateProvider: input({ id: providerIdSchema }),
  enableProvider: input({ id: providerIdSchema }),
  disableProvider: input({ id: providerIdSchema }),
  /** A new name, or the provider's URL with a new secret (same place and account). */
  updateProvider: input({ id: providerIdSchema, name: providerNameSchema.optional(), url: providerUrlSchema.optional() }),
  removeProvider: input({ id: providerIdSchema }),
  setProviderOrder: input({ ids: z.array(providerIdSchema, { error: 'expected a list of provider ids' }).max(100, 'at most 100 providers') }),
  setProviderSettings: input({
    graceSeconds: z.number({ error: 'expected a number of seconds' }).int('expected whole seconds').min(0, 'must be at least 0').max(3600, 'must be at most 3600 s').optional(),
    failoverSeconds: z
      .number({ error: 'expected a number of seconds' })
      .int('expected whole seconds')
      .min(0, 'must be at least 0 (0 = never fail over)')
      .max(86_400, 'must be at most 86400 s')
      .optional(),
    healthCheckSeconds: z
      .number({ error: 'expected a number of seconds' })
      .int('expected whole seconds')
      .min(0, 'must be at least 0 (0 = never check)')
      .max(86_400, 'must be at most 86400 s')
      .refine((s) => s === 0 || s >= 10, 'must be 0 (never check) or at least 10 s')
      .optional(),
    switchBack: z.boolean({ error: 'expected true or false' }).optional(),
  }),
} as const

export type ApiSchemas = typeof apiSchemas
/** What a caller passes to method `M`. */
export type ApiInput<M extends keyof ApiSchemas> = z.input<ApiSchemas[M]>
/** The same after validation (amounts as bigint), what the engine works with. */
export type ApiParsed<M extends keyof ApiSchemas> = z.output<ApiSchemas[M]>
