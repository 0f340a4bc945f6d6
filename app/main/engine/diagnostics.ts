// The "copy diagnostics" text: what a bug report needs and nothing secret. Versions (Junction, Node, Electron, the
// OS), the settings, the provider link with its URL masked, counts, and the latest warnings and errors from the log.
// Secrets never get here: the provider URL comes masked (btp-url.ts), app tokens are only ever kept hashed, and any
// BTP URL with a secret that a log line might hold is masked again on the way out.
import { arch, platform, release } from 'node:os'
import pkg from '../../../package.json' with { type: 'json' }
import type { SettingsView, StatusView } from '../../shared/api-types'
import { recentProblems } from './log'

export interface DiagnosticsInput {
  status: StatusView
  settings: SettingsView
  accounts: number
  /** Packets answered since start. */
  recentPackets: number
  /** Where and how provider and peer secrets are kept (secrets/ `description`, a warning if unprotected). */
  secrets?: string | null
  now?: number
}

/** How many warnings and errors the text carries. */
export const DIAGNOSTICS_PROBLEMS = 50

/**
 * `btp+ws://user:secret@host` → `btp+ws://user:***@host` (also ws://, http:// forms with credentials). The secret
 * runs to the last `@` before the host, as URL parsers read it: a raw `@` inside it must not leave its tail behind.
 */
export function maskSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^\s/?#]+@/gi, '$1***@')
}

export function diagnosticsText(d: DiagnosticsInput): string {
  const { status: s, settings } = d
  const versions = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string }
  const provider = s.provider
  const link = provider.state
  const linkText = !provider.configured
    ? 'no provider (local mode)'
    : link === null
      ? 'not started'
      : link.state === 'connected'
        ? `connected since ${new Date(link.since).toISOString()}`
        : link.state === 'waiting'
          ? `waiting to reconnect at ${new Date(link.retryAt).toISOString()} (last error: ${link.lastError})`
          : link.state === 'connecting'
            ? `connecting (attempt ${link.attempt})`
            : 'stopped'
  const problems = recentProblems(DIAGNOSTICS_PROBLEMS)
  const lines = [
    `Junction diagnostics, ${new Date(d.now ?? Date.now()).toISOString()}`,
    '',
    '## Versions',
    `Junction ${pkg.version} (${settings.shell})`,
    `Node ${versions.node}, V8 ${versions.v8}` + (versions.electron ? `, Electron ${versions.electron}, Chrome ${versions.chrome}` : ''),
    `OS ${platform()} ${release()} ${arch()}`,
    '',
    '## Node',
    `address ${s.address ?? '(none yet)'}, asset ${s.assetCode} scale ${s.assetScale}, app port ${s.appPort}`,
    `provider ${provider.url ?? '(none)'}: ${linkText}` +
      (provider.latencyMs !== null ? `, ILDCP round trip ${provider.latencyMs} ms` : '') +
      (provider.balance !== null ? `, balance ${provider.balance} (min ${provider.minBalance ?? 'none'}, max ${provider.maxBalance ?? 'none'})` : ''),
    `paused: ${s.paused ? 'yes' : 'no'}`,
    ...(d.secrets ? [`secrets: ${d.secrets}`] : []),
    `apps: ${s.apps.total} known, ${s.apps.connected} connected, ${s.apps.pending} waiting for approval; accounts: ${d.accounts}; packets answered since start: ${d.recentPackets}`,
    '',
    '## Settings',
    ...Object.entries(settings).map(([k, v]) => `${k}: ${JSON.stringify(v)}`),
    '',
    `## Recent warnings and errors (${problems.length === 0 ? 'none' : `last ${problems.length}`})`,
    ...problems,
  ]
  return maskSecrets(lines.join('\n')) + '\n'
}
