// The provider URL waiting in the secret store under `provider-url`: the desktop app of the single-provider era kept
// its one provider there, and the desktop app still moves `parent` out of its config.json into it (desktop-config.ts)
// so the secret never waits in a plain file. startNode (node.ts) makes it a stored provider the way `--parent` does
// (providers/provider-switch.ts `fromConfig`), then forgets it: from then on the providers store holds it, under
// `provider-<id>`, like every other provider's URL.
import { parseBtpUrl } from '../btp/btp-url'
import type { Logger } from '../log'
import type { SecretStore } from './secrets'

export const STAGED_PROVIDER_SECRET = 'provider-url'

/** The staged provider URL, or undefined if there is none or it cannot be used (a warning says why; it is kept). */
export function stagedProviderUrl(secrets: SecretStore, log: Logger): string | undefined {
  let url: string | null
  try {
    url = secrets.get(STAGED_PROVIDER_SECRET)
  } catch (err) {
    log.warn(`the provider URL kept from an earlier version cannot be read (${(err as Error).message}); add the provider on the Providers page`)
    return undefined
  }
  if (url === null) return undefined
  try {
    parseBtpUrl(url)
  } catch (err) {
    log.warn(`the provider URL kept from an earlier version is not usable (${(err as Error).message}); add the provider on the Providers page`)
    return undefined
  }
  return url
}

/** Once a stored provider holds the staged URL. */
export function forgetStagedProviderUrl(secrets: SecretStore, log: Logger): void {
  secrets.delete(STAGED_PROVIDER_SECRET)
  log.info('the provider URL kept from an earlier version (or config.json) is now a stored provider')
}
