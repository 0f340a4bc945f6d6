// The secret part of a link URL. Whatever the scheme — BTP (`btp+ws://user:secret@host/path`) or ILP-over-HTTP
// (`https://name:token@host/path`) — the password of the URL's user info is the secret; the user name stays (it says
// which account, and shows in the UI). The URL without it is what the database keeps; the whole URL lives in the
// secret store. Parsing follows the WHATWG URL rules, as the links themselves do, so a raw `@` or `:` inside the
// secret cannot leave part of it behind.

/** True if the URL carries a secret (a non-empty password). False for a URL that does not parse. */
export function hasUrlSecret(url: string): boolean {
  try {
    return new URL(url).password !== ''
  } catch {
    return false
  }
}

/**
 * The URL with its secret removed: `btp+ws://user:s3cret@host:7768/p` → `btp+ws://user@host:7768/p`. A URL without a
 * secret comes back unchanged. A URL that does not parse comes back as `(unreadable URL)`: it might hold a secret.
 */
export function withoutUrlSecret(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return '(unreadable URL)'
  }
  if (u.password === '') return url
  u.password = ''
  return u.href
}
