// `npm test`: type-check, build the UI, run the UI's component tests (vitest), then every test file under test/unit,
// test/interop and test/e2e with Node's test runner, and end with one line counting both runners' results (CI reads
// the last summary). Node 20 does not expand globs for --test, so the files are listed here.
// `node scripts/test.mjs <files...>` runs just those files with Node's runner (no type check, no vitest).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

function testFiles(dir) {
  let out = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out = out.concat(testFiles(p))
    else if (/\.test\.tsx?$/.test(name)) out.push(p)
  }
  return out
}

const npx = (args, opts = {}) => spawnSync('npx', args, { stdio: 'inherit', ...opts })
const only = process.argv.slice(2)
const env = { ...process.env, JUNCTION_LOG: process.env.JUNCTION_LOG ?? 'silent' }

if (only.length > 0) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...only], { stdio: 'inherit', env })
  process.exit(run.status ?? 1)
}

const step = (name, result) => {
  if (result.status !== 0) {
    console.error(`${name} failed`)
    console.log('0 passed, 1 failed')
    process.exit(1)
  }
}
step('type check', npx(['tsc', '--noEmit', '-p', 'tsconfig.json']))
// The browser tests load the built UI from dist/renderer through headless mode.
step('UI build', npx(['vite', 'build', '--logLevel', 'warn']))

const scratch = mkdtempSync(join(tmpdir(), 'junction-test-'))
let passed = 0
let failed = 0

// Component tests (vitest): their counts come from the JSON report.
const vitestReport = join(scratch, 'vitest.json')
const vitest = npx(['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`], { env })
try {
  const r = JSON.parse(readFileSync(vitestReport, 'utf8'))
  passed += r.numPassedTests
  failed += r.numFailedTests + (r.numFailedTestSuites ?? 0)
} catch {
  failed += 1
}
if (vitest.status !== 0 && failed === 0) failed += 1

// Engine, interop and browser tests (Node's runner): spec on the console, TAP to a file for the counts.
const files = ['test/unit', 'test/interop', 'test/e2e'].flatMap((d) => {
  try {
    return testFiles(d)
  } catch {
    return []
  }
})
const tap = join(scratch, 'node.tap')
const node = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { stdio: 'inherit', env },
)
const counts = readFileSync(tap, 'utf8')
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(counts)?.[1] ?? 0)
passed += count('pass')
failed += count('fail') + count('cancelled')
if (node.status !== 0 && count('fail') + count('cancelled') === 0) failed += 1
rmSync(scratch, { recursive: true, force: true })

console.log(`\nvitest and node --test together: ${passed} passed, ${failed} failed`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
