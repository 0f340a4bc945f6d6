// The page's one client (app/renderer/src/api/client.ts), set once at start-up (main.tsx) or by a test.
import type { Client } from '../api/client'

let current: Client | undefined

export function setClient(client: Client): void {
  current = client
}

export function getClient(): Client {
  if (!current) throw new Error('no client: call setClient() first (main.tsx does, tests must)')
  return current
}
