// `npm test`: type-check, then run every test file under test/unit and test/interop with Node's test runner.
// Node 20 does not expand globs for --test, so the files are listed here.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
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

const only = process.argv.slice(2)
const files = only.length > 0 ? only : ['test/unit', 'test/interop'].flatMap((d) => testFiles(d))

if (only.length === 0) {
  const tsc = spawnSync('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], { stdio: 'inherit' })
  if (tsc.status !== 0) {
    console.error('type check failed')
    process.exit(1)
  }
}

const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
  { stdio: 'inherit', env: { ...process.env, JUNCTION_LOG: process.env.JUNCTION_LOG ?? 'silent' } },
)
process.exit(run.status ?? 1)
