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

/** A provider's BTP URL: btp+ws(s)://user:secret@host[:port][/path]. */
export const providerUrlSchema = z
  .string({ error: 'expected a provider URL (a string)' })
  .max(2048, 'a provider URL has at most 2048 characters')
  .refine((u) => {
    try {
      const url = new URL(u)
      return (url.protocol === 'btp+ws:' || url.protocol === 'btp+wss:') && url.hostname !== ''
    } catch {
      return false
    }
  }, 'expected a BTP URL: btp+ws://user:secret@host:port (or btp+wss://)')

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
  addProvider: input({ name: providerNameSchema, url: providerUrlSchema }),
  testProvider: z.union([input({ id: providerIdSchema }), input({ url: providerUrlSchema })], {
    error: 'expected { id } of a stored provider or { url } of one to try',
  }),
  activateProvider: input({ id: providerIdSchema }),
  enableProvider: input({ id: providerIdSchema }),
  disableProvider: input({ id: providerIdSchema }),
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
  }),
} as const

export type ApiSchemas = typeof apiSchemas
/** What a caller passes to method `M`. */
export type ApiInput<M extends keyof ApiSchemas> = z.input<ApiSchemas[M]>
/** The same after validation (amounts as bigint), what the engine works with. */
export type ApiParsed<M extends keyof ApiSchemas> = z.output<ApiSchemas[M]>
