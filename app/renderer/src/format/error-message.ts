// What a failed call says to a person: the engine's message, its per-field issues, and what to do next.
import { CallError } from '../api/client'

/** One line (or a few) for an error box: the engine's own words first, then which fields were wrong. */
export function errorMessage(error: unknown): string {
  if (error instanceof CallError) {
    const fields = error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    const base = capitalise(error.message)
    if (fields.length === 0 || (fields.length === 1 && error.message.includes(error.issues[0]!.message))) {
      return withHint(base, error.code)
    }
    return withHint(`${base} (${fields.join('; ')})`, error.code)
  }
  if (error instanceof Error) return capitalise(error.message)
  return 'Something went wrong.'
}

function withHint(text: string, code: CallError['code']): string {
  const end = /[.!?]$/.test(text) ? '' : '.'
  switch (code) {
    case 'disconnected':
      return `${text}${end} Junction is not reachable; check that it is running, then try again.`
    case 'unavailable':
      return `${text}${end} Try again in a moment.`
    case 'not-implemented':
      return `${text}${end} This version of Junction cannot do that yet.`
    default:
      return text + end
  }
}

function capitalise(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s
}

/** A problem to show at one field of a form (null: the form as a whole). */
export interface FieldProblem {
  field: string | null
  text: string
}

/**
 * The first issue of checking a form's input with the contract's own schema (before anything is sent), as a sentence
 * that starts with the field's label; null when the input passes.
 */
export function schemaProblem(
  schema: { safeParse(input: unknown): { success: true } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } },
  input: unknown,
  labels: Record<string, string>,
): FieldProblem | null {
  const checked = schema.safeParse(input)
  if (checked.success) return null
  const issue = checked.error.issues[0]
  const field = issue?.path.map(String).join('.') || null
  return { field, text: `${field ? `${labels[field] ?? field}: ` : ''}${issue?.message ?? 'invalid'}` }
}

/** The engine's refusal of a form: its message, at the field its first issue names. */
export function refusalProblem(error: unknown): FieldProblem {
  const field = error instanceof CallError ? (error.issues[0]?.path ?? null) : null
  return { field: field || null, text: errorMessage(error) }
}
