// Logging for the engine: one line per event on stderr (stdout is reserved for the headless runner's status lines).
// Level from JUNCTION_LOG (silent | error | warn | info | debug), default info. Nothing logs on the packet path.

const LEVELS = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 } as const
type Level = keyof typeof LEVELS

export interface Logger {
  error(msg: string): void
  warn(msg: string): void
  info(msg: string): void
  debug(msg: string): void
}

function currentLevel(): number {
  const name = (process.env.JUNCTION_LOG ?? 'info') as Level
  return LEVELS[name] ?? LEVELS.info
}

export function createLogger(scope: string, sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const level = currentLevel()
  const at = (lvl: Level) => (msg: string) => {
    if (LEVELS[lvl] <= level) sink(`${new Date().toISOString()} ${lvl.padEnd(5)} ${scope}: ${msg}`)
  }
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }
}
