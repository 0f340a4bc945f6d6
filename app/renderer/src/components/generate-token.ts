// Tokens the UI makes for a peer or a provider's receive bind: 24 random bytes from the browser's CSPRNG, base64url
// (32 characters of A–Z a–z 0–9 - _), so they can go into a URL's user-info as they are.
export function generateToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
