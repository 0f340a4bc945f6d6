// `npm run bench`: Junction vs ilp-connector (as a personal connector) vs apps straight on the ILSP, side by side.
// Every process runs alone so its CPU can be read from /proc: the ILSP (ilsp-process.ts), the system under test
// (personal-ilp-connector.ts or app/main/headless.ts) and the load driver (load.ts). See test/bench/README.md.
// Knobs (environment): BENCH_SECONDS (timed window, 4), BENCH_WARMUP_SECONDS (1), BENCH_REPEATS (3),
// BENCH_SYSTEMS (comma list of direct,ilp-connector,junction; also junction-per-packet: one transaction per packet).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../support/ilsp'
import type { IlspInfo, IlspStats, StreamSecret } from './ilsp-process'
import type { Helper } from './ipc'
import type { LoadResult, RawParams, StreamParams, Watch } from './load'
import { cpuOfPids, establishedOn, machineBusyOver, peakRssMiB, processTree } from './proc'
import { killAll, startHelper, startSut, stop, type Sut } from './processes'
import { ledgerBenchSection } from './ledger-queries'
import {
  ALL_SYSTEMS,
  LOADS,
  SYSTEMS,
  ratios,
  ratioTable,
  summarize,
  summaryTable,
  type Check,
  type LoadName,
  type Summaries,
  type SystemName,
  type SystemRuns,
} from './report'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const resultsDir = join(here, 'results')
const seconds = Number(process.env.BENCH_SECONDS ?? 4)
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 1)
const repeats = Math.max(1, Math.min(9, Number(process.env.BENCH_REPEATS ?? 3)))
const systems = (process.env.BENCH_SYSTEMS ?? SYSTEMS.join(','))
  .split(',')
  .filter((s): s is SystemName => (ALL_SYSTEMS as readonly string[]).includes(s))
const RAW_APPS = 4
const STREAM_APPS = 3
const STREAM_PACKET_AMOUNT = '1000'
const PRIME_MS = 1500
const QUIET_WAIT_MS = 20_000
/** After each load: wait (at most SETTLE_MAX_MS) until the SUT and ILSP each use under SETTLE_QUIET of a core. */
const SETTLE_SAMPLE_MS = 500
const SETTLE_MAX_MS = 15_000
const SETTLE_QUIET = 0.02
const HARD_LIMIT_MS = 9 * 60_000
const cores = cpus().length

const log = (msg: string): void => void process.stderr.write(`[bench] ${msg}\n`)

// Cleanup: children die with us, whatever the cause; the run always ends by itself.
process.on('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping`)
    killAll()
    process.exit(130)
  })
}
setTimeout(() => {
  log(`hard limit of ${HARD_LIMIT_MS / 60_000} min reached: giving up`)
  killAll()
  process.exit(2)
}, HARD_LIMIT_MS).unref()

mkdirSync(resultsDir, { recursive: true })
const logPath = (name: string): string => join(resultsDir, `${name}.log`)

async function main(): Promise<void> {
  const started = Date.now()
  log(`${cores} cores, node ${process.version}; ${repeats} × ${LOADS.join('/')} for ${seconds} s (+${warmupSeconds} s warm-up) per system: ${systems.join(', ')}`)
  log(`logs in ${resultsDir}/*.log`)

  const driver = await startHelper('load', join(here, 'load.ts'), [], root, logPath('load'))
  const results: Partial<Record<SystemName, SystemRuns>> = {}
  for (const system of systems) {
    results[system] = await benchSystem(system, driver)
  }
  await stop(driver.child)

  const summaries: Summaries = {}
  for (const system of systems) {
    const runs = results[system]
    if (!runs) continue
    for (const load of LOADS) {
      const s = summarize(runs, load, cores)
      if (s) (summaries[system] ??= {})[load] = s
    }
  }
  const ratioList = ratios(summaries)

  const out = process.stdout
  out.write('\nJunction bench — medians of ' + `${repeats} runs, ${seconds} s windows, ${cores} cores\n`)
  out.write('c1/c10/c100: raw ILP prepares (amount 1) with N in flight; stream: 3 STREAM senders, no limit.\n')
  out.write('SUT µs/pkt = CPU of the personal connector per fulfilled packet (ticks: same from utime+stime).\n')
  out.write('busy = share of all cores used by the bench (SUT + ILSP + driver); other = used by anything else.\n')
  out.write('delivered = whether every fulfill the apps got was really received at the ILSP end.\n\n')
  out.write(summaryTable(summaries) + '\n\n')
  const busiest = Math.max(0, ...Object.values(summaries).flatMap((l) => Object.values(l ?? {}).map((x) => x.otherBusy)))
  if (busiest > 0.1) {
    out.write(`WARNING: other processes used up to ${(busiest * 100).toFixed(0)}% of the machine during a window; rerun on an idle machine.\n\n`)
  }
  for (const system of systems) {
    const r = results[system]
    if (!r) continue
    const rss = r.peakRssMiB === undefined ? '' : `, peak RSS ${r.peakRssMiB.toFixed(0)} MiB`
    out.write(`${system}: ${r.status}${r.address ? ` (${r.address})` : ''}${rss}${r.note ? ` — ${r.note}` : ''}\n`)
  }
  out.write('\n' + ratioTable(ratioList) + '\n')

  const json = {
    finishedAt: new Date().toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    machine: { cores, cpu: cpus()[0]?.model, node: process.version },
    settings: { seconds, warmupSeconds, repeats, rawApps: RAW_APPS, streamApps: STREAM_APPS, streamPacketAmount: STREAM_PACKET_AMOUNT },
    summaries,
    ratios: ratioList,
    systems: results,
  }
  writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(json, null, 2) + '\n')
  out.write(`\nwrote ${join(resultsDir, 'latest.json')} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`)

  // The per-app ledger's queries on a year of generated history (test/bench/ledger-queries.ts; BENCH_LEDGER=0 skips).
  ledgerBenchSection(out)
}

/** Measures one system against a fresh ILSP (ilp-connector's duplicate cache grows with traffic: no carry-over). */
async function benchSystem(system: SystemName, driver: Helper): Promise<SystemRuns> {
  const runs: SystemRuns = { status: 'measured', runs: [] }
  let sut: Sut | undefined
  let dataDir: string | undefined
  let ilspHelper: Helper | undefined
  try {
    const isJunction = system === 'junction' || system === 'junction-per-packet'
    if (isJunction && !existsSync(join(root, 'app/main/headless.ts'))) {
      log('junction: skipped — app/main/headless.ts does not exist yet')
      return { status: 'skipped', note: 'app/main/headless.ts does not exist yet', runs: [] }
    }
    await waitForQuietMachine()
    const ilspPort = await freePort()
    ilspHelper = await startHelper('ilsp', join(here, 'ilsp-process.ts'), [String(ilspPort)], root, logPath(`ilsp-${system}`))
    const ilsp = await ilspHelper.call<IlspInfo>('info')
    log(`${system}: ILSP ${ilsp.address} on 127.0.0.1:${ilsp.port} (pid ${ilsp.pid}); fulfiller ${ilsp.fulfiller.address}`)
    let appPort = ilsp.port
    if (system === 'ilp-connector') {
      const port = await freePort()
      const args = ['--parent', `btp+ws://bench:secret@127.0.0.1:${ilsp.port}`, '--port', String(port)]
      sut = await startSut(system, join(here, 'personal-ilp-connector.ts'), args, root, logPath(system))
    } else if (isJunction) {
      const headless = join(root, 'app/main/headless.ts')
      dataDir = mkdtempSync(join(tmpdir(), 'junction-bench-'))
      const port = await freePort()
      const args = ['--parent', `btp+ws://bench2:secret@127.0.0.1:${ilsp.port}`, '--port', String(port), '--data', dataDir, '--ui-port', '0']
      const env = system === 'junction-per-packet' ? { JUNCTION_COMMIT: 'per-packet' } : {}
      sut = await startSut(system, headless, args, root, logPath(system), env)
    }
    if (sut) {
      appPort = sut.appPort
      runs.address = sut.address
      log(`${system}: pid ${sut.child.pid}, address ${sut.address}, apps on 127.0.0.1:${appPort}`)
    }
    const tag = system.replace(/[^a-z]/g, '')
    const appUrl = (name: string): string => `btp+ws://${tag}${name}:token-${name}@127.0.0.1:${appPort}`
    const apps = await driver.call<string[]>('connect', { urls: Array.from({ length: RAW_APPS }, (_, i) => appUrl(`app${i}`)) })
    log(`${system}: ${RAW_APPS} apps connected, e.g. ${apps[0]}`)

    const watch: Watch[] = [{ name: 'ilsp', pid: ilsp.pid }, { name: 'driver', pid: driver.pid }]
    if (sut?.child.pid) watch.push({ name: 'sut', pid: sut.child.pid })
    const window = { warmupMs: warmupSeconds * 1000, durationMs: seconds * 1000, watch }
    const timeoutMs = window.warmupMs + window.durationMs + 60_000

    // Untimed priming so the first repeat does not pay for JIT compilation and first-use allocations.
    const prime: RawParams = { ...window, warmupMs: 0, durationMs: PRIME_MS, concurrency: 10, destination: ilsp.fulfiller.address, conditionHex: ilsp.fulfiller.conditionHex }
    await driver.call<LoadResult>('raw', prime, timeoutMs)

    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const load of LOADS) {
        let result: LoadResult
        const before = await ilspHelper.call<IlspStats>('stats')
        if (load === 'stream') {
          const secrets: StreamSecret[] = []
          for (let i = 0; i < STREAM_APPS; i++) secrets.push(await ilspHelper.call<StreamSecret>('streamSecret'))
          const urls = secrets.map((_, i) => appUrl(`stream${repeat}x${i}`))
          const params: StreamParams = { ...window, urls, secrets, packetAmount: STREAM_PACKET_AMOUNT }
          result = await driver.call<LoadResult>('stream', params, timeoutMs)
        } else {
          const params: RawParams = {
            ...window,
            concurrency: Number(load.slice(1)),
            destination: ilsp.fulfiller.address,
            conditionHex: ilsp.fulfiller.conditionHex,
          }
          result = await driver.call<LoadResult>('raw', params, timeoutMs)
        }
        const check = verify(load, result, before, await ilspHelper.call<IlspStats>('stats'))
        runs.runs.push({ load, repeat, result, check })
        log(`${system} ${load} #${repeat + 1}: ${describe(result)}${check.ok ? '' : `, NOT FORWARDED: ${check.note}`}`)
        await settle(`${system} ${load} #${repeat + 1}`, watch, appPort, ilspHelper)
      }
    }
    if (sut?.child.pid) runs.peakRssMiB = peakRssMiB(sut.child.pid)
    runs.ilspStats = await ilspHelper.call<IlspStats>('stats')
  } catch (err) {
    runs.status = 'failed'
    runs.note = (err as Error).message
    log(`${system}: FAILED — ${runs.note}`)
  } finally {
    await driver.call('disconnect').catch(() => {})
    if (sut) await stop(sut.child)
    if (ilspHelper) await stop(ilspHelper.child)
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
  return runs
}

/** Other work on the machine skews every number: give it up to QUIET_WAIT_MS to calm down (our children idle). */
async function waitForQuietMachine(): Promise<void> {
  const until = Date.now() + QUIET_WAIT_MS
  for (;;) {
    const busy = await machineBusyOver(1000)
    if (busy < 0.15) return
    if (Date.now() >= until) return log(`machine still ${(busy * 100).toFixed(0)}% busy with other work; measuring anyway`)
    log(`machine ${(busy * 100).toFixed(0)}% busy with other work; waiting for it to calm down`)
  }
}

/**
 * Leaves the system idle before the next load: samples the CPU of the watched processes every SETTLE_SAMPLE_MS until
 * the SUT and the ILSP are both quiet (under SETTLE_QUIET of one core), at most SETTLE_MAX_MS; logs the first sample
 * (what a load left behind), how long it took, the apps' connections to the SUT and what the ILSP still received.
 */
async function settle(label: string, watch: Watch[], appPort: number, ilspHelper: Helper): Promise<void> {
  const trees = watch.map((w) => processTree(w.pid))
  const statsBefore = await ilspHelper.call<IlspStats>('stats')
  const started = Date.now()
  let prev = trees.map(cpuOfPids)
  let first = ''
  let last = ''
  for (;;) {
    await new Promise((r) => setTimeout(r, SETTLE_SAMPLE_MS))
    const now = trees.map(cpuOfPids)
    const share = watch.map((_, i) => (now[i].schedUs - prev[i].schedUs) / (SETTLE_SAMPLE_MS * 1000))
    prev = now
    last = watch.map((w, i) => `${w.name} ${(share[i] * 100).toFixed(1)}%`).join(', ')
    if (!first) first = last
    const quiet = watch.every((w, i) => w.name === 'driver' || share[i] < SETTLE_QUIET)
    const waited = Date.now() - started
    if (quiet || waited >= SETTLE_MAX_MS) {
      const stats = await ilspHelper.call<IlspStats>('stats')
      const trickle =
        `ILSP got ${stats.fulfilled - statsBefore.fulfilled} prepares, ` +
        `${BigInt(stats.streamReceived) - BigInt(statsBefore.streamReceived)} STREAM units meanwhile`
      const conns = `${establishedOn(appPort)} app connections open, SUT RSS ${rssMiB(watch)} MiB`
      if (!quiet) log(`${label}: NOT IDLE after ${waited} ms (${last}; first ${SETTLE_SAMPLE_MS} ms: ${first}); ${conns}; ${trickle}; measuring on anyway`)
      else log(`${label}: idle after ${waited} ms (first ${SETTLE_SAMPLE_MS} ms: ${first}); ${conns}; ${trickle}`)
      return
    }
  }
}

/** Did what the apps saw fulfilled really reach the receiving end on the ILSP? (A fulfill must not be made up.) */
function verify(load: LoadName, r: LoadResult, before: IlspStats, after: IlspStats): Check {
  if (load === 'stream') {
    const reached = BigInt(after.streamReceived) - BigInt(before.streamReceived)
    const missing = BigInt(r.totalAmount) - reached
    return { unit: 'amount', fulfilled: r.totalAmount, reached: reached.toString(), missing: missing.toString(), ok: missing <= 0n, note: `${missing} of ${r.totalAmount} units fulfilled to the senders never reached the STREAM receiver` }
  }
  const reached = after.fulfilled - before.fulfilled
  const missing = r.totalFulfilled - reached
  return { unit: 'packets', fulfilled: String(r.totalFulfilled), reached: String(reached), missing: String(missing), ok: missing <= 0, note: `${missing} of ${r.totalFulfilled} fulfilled prepares never reached the fulfiller` }
}

function describe(r: LoadResult): string {
  const sut = r.cpu.sut ? `, SUT ${(r.cpu.sut.schedUs / Math.max(1, r.fulfilled)).toFixed(1)} µs/pkt` : ''
  const rejects = Object.entries(r.rejects).map(([code, n]) => `${code}×${n}`).join(' ')
  const errors = r.errors ? `, ${r.errors} errors (${r.firstError})` : ''
  return (
    `${r.packetsPerSec.toFixed(0)} pkts/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms${sut}` +
    `${rejects ? `, REJECTS ${rejects}` : ''}${errors}${r.closing ? `; closed: ${r.closing}` : ''}`
  )
}

main().then(
  () => process.exit(0),
  (err) => {
    log(`failed: ${(err as Error).stack ?? err}`)
    process.exit(1)
  },
)

function rssMiB(watch: Watch[]): string {
  const pid = watch.find((w) => w.name === 'sut')?.pid
  const m = pid === undefined ? null : /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? (Number(m[1]) / 1024).toFixed(0) : '?'
}
