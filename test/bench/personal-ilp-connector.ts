// ilp-connector 23 set up as a personal connector the moneyd way: a `parent` BTP account to the ILSP (address by
// ILDCP) and a `local` mini-accounts child account for the apps. Same stdout contract as `app/main/headless.ts`:
//   ilp-connector ready address=<address> apps=btp+ws://127.0.0.1:<port>
//   ilp-connector address <address>
// Logs go to stderr. SIGTERM stops it.
// Usage: node --import tsx test/bench/personal-ilp-connector.ts --parent btp+ws://user:secret@127.0.0.1:<port> --port <n>
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'

const require = createRequire(import.meta.url)
const { createApp } = require('ilp-connector') as { createApp: (opts: unknown) => any }
// ilp-connector writes its riverpig logs to stdout; keep stdout for the contract lines above.
require('ilp-connector/dist/common/log').setOutputStream(process.stderr)

const { values } = parseArgs({ options: { parent: { type: 'string' }, port: { type: 'string' } } })
const port = Number(values.port ?? 7768)
if (!values.parent) throw new Error('usage: personal-ilp-connector.ts --parent <btp url> [--port <n>]')

const noRateLimit = { refillCount: 10_000_000, capacity: 10_000_000 }
const app = createApp({
  env: 'test',
  backend: 'one-to-one',
  spread: 0,
  store: 'memory',
  accounts: {
    parent: {
      relation: 'parent',
      assetCode: 'XRP',
      assetScale: 9,
      plugin: 'ilp-plugin-btp',
      options: { server: values.parent },
      rateLimit: noRateLimit,
    },
    local: {
      relation: 'child',
      assetCode: 'XRP',
      assetScale: 9,
      plugin: 'ilp-plugin-mini-accounts',
      options: { wsOpts: { host: '127.0.0.1', port } },
      rateLimit: noRateLimit,
    },
  },
})

let stopping = false
const stop = async (): Promise<void> => {
  if (stopping) return
  stopping = true
  setTimeout(() => process.exit(0), 3000).unref()
  await app.shutdown().catch(() => {})
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())

await app.listen()
const prefix: string | undefined = app.getPlugin('local')?._prefix
// mini-accounts' prefix is <connector address>.<account id>. for its children
const address = prefix ? prefix.replace(/\.[^.]+\.$/, '') : 'pending'
process.stdout.write(`ilp-connector ready address=${address} apps=btp+ws://127.0.0.1:${port}\n`)
if (prefix) process.stdout.write(`ilp-connector address ${address}\n`)
