// Logging for the engine: one line per event on stderr (stdout is reserved for the headless runner's status lines),
// optionally also into a rotated log file in the data folder, and the latest warnings and errors kept in memory for
// the diagnostics text. Nothing logs on the packet path.
//
// Levels: the runtime level (`setLogLevel`, the Settings page's "log level") decides what reaches the log file, and
// stderr too unless JUNCTION_LOG (silent | error | warn | info | debug) is set: then stderr keeps that level, as it
// always did (tests run with JUNCTION_LOG=silent and still get a log file). Warnings and errors always go to the
// in-memory ring, whatever the levels, so a bug report has them.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { LogLevel } from '../../shared/api-types'

const LEVELS = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 } as const
type Level = keyof typeof LEVELS

export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug']

export interface Logger {
  error(msg: string): void
  warn(msg: string): void
  info(msg: string): void
  debug(msg: string): void
}

/** A rotated log file is moved aside when it reaches this size. */
export const LOG_FILE_MAX_BYTES = 1024 * 1024
/** How many moved-aside files are kept (junction.log.1 … .3, newest first). */
export const LOG_FILE_KEEP = 3
/** How many warnings and errors the in-memory ring keeps. */
const RECENT_MAX = 200

function envLevel(): number | undefined {
  const name = process.env.JUNCTION_LOG as Level | undefined
  return name !== undefined && name in LEVELS ? LEVELS[name] : undefined
}

function initialLevel(): LogLevel {
  const name = process.env.JUNCTION_LOG
  return (LOG_LEVELS as readonly string[]).includes(name ?? '') ? (name as LogLevel) : 'info'
}

const state = {
  level: initialLevel() as LogLevel,
  files: new Set<RotatingLogFile>(),
  recent: [] as string[],
}

/** The runtime level (what the log file gets, and stderr unless JUNCTION_LOG pins it). */
export function getLogLevel(): LogLevel {
  return state.level
}

export function setLogLevel(level: LogLevel): void {
  if (!LOG_LEVELS.includes(level)) throw new Error(`invalid log level ${JSON.stringify(level)}: expected error, warn, info or debug`)
  state.level = level
}

/** The last `n` warnings and errors logged in this process (oldest first). */
export function recentProblems(n = 50): string[] {
  return state.recent.slice(-n)
}

/** Lines written through this sink follow the runtime level; one process can have several (tests run two nodes). */
export function attachLogFile(file: RotatingLogFile): () => void {
  state.files.add(file)
  return () => {
    state.files.delete(file)
  }
}

function write(lvl: Exclude<Level, 'silent'>, line: string): void {
  const n = LEVELS[lvl]
  if (n <= LEVELS.warn) {
    state.recent.push(line)
    if (state.recent.length > RECENT_MAX) state.recent.splice(0, state.recent.length - RECENT_MAX)
  }
  const runtime = LEVELS[state.level]
  if (n <= (envLevel() ?? runtime)) process.stderr.write(line + '\n')
  if (n <= runtime) for (const f of state.files) f.write(line)
}

/**
 * A logger for one part of the engine. With a `sink` (tests), lines go only there, filtered by the level at call
 * time (JUNCTION_LOG if set, else the runtime level).
 */
export function createLogger(scope: string, sink?: (line: string) => void): Logger {
  const at = (lvl: Exclude<Level, 'silent'>) =>
    sink
      ? (msg: string) => {
          if (LEVELS[lvl] <= (envLevel() ?? LEVELS[state.level])) sink(`${new Date().toISOString()} ${lvl.padEnd(5)} ${scope}: ${msg}`)
        }
      : (msg: string) => {
          // The cheap check first: a debug line below every level is never formatted.
          if (LEVELS[lvl] > LEVELS.warn && LEVELS[lvl] > Math.max(LEVELS[state.level], envLevel() ?? 0)) return
          write(lvl, `${new Date().toISOString()} ${lvl.padEnd(5)} ${scope}: ${msg}`)
        }
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }
}

/**
 * A log file that is moved aside at `maxBytes`: junction.log → junction.log.1 → … → junction.log.<keep>, the oldest
 * deleted. Written synchronously, line by line: log lines are rare (never per packet) and a line written before a
 * crash is on disk.
 */
export class RotatingLogFile {
  private fd: number | undefined
  private size = 0
  private failed = false

  constructor(
    readonly path: string,
    private readonly maxBytes = LOG_FILE_MAX_BYTES,
    private readonly keep = LOG_FILE_KEEP,
  ) {
    mkdirSync(dirname(path), { recursive: true })
    this.open()
  }

  write(line: string): void {
    if (this.fd === undefined) return
    const bytes = Buffer.from(line + '\n', 'utf8')
    try {
      if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate()
      writeSync(this.fd!, bytes)
      this.size += bytes.length
    } catch (err) {
      // A full disk must not take the engine down with it; say so once on stderr.
      if (!this.failed) process.stderr.write(`junction: cannot write the log file ${this.path}: ${(err as Error).message}\n`)
      this.failed = true
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }

  private open(): void {
    this.fd = openSync(this.path, 'a', 0o600)
    this.size = fstatSync(this.fd).size
  }

  private rotate(): void {
    this.close()
    rmSync(`${this.path}.${this.keep}`, { force: true })
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      }
    }
    if (this.keep > 0) renameSync(this.path, `${this.path}.1`)
    else rmSync(this.path, { force: true })
    this.open()
  }
}
