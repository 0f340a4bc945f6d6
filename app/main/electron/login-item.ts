// "Start Junction at login": macOS and Windows through Electron's app.setLoginItemSettings; Linux, where Electron
// has no such thing, through an XDG autostart entry (~/.config/autostart/junction.desktop), which GNOME, KDE, Xfce
// and most other desktops read. A login start passes `--hidden`: Junction comes up in the tray, without its window.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { App } from 'electron'

export const HIDDEN_FLAG = '--hidden'

export interface LoginItemDeps {
  app: Pick<App, 'setLoginItemSettings'>
  platform: NodeJS.Platform
  /** What to start: the AppImage file if running from one ($APPIMAGE), else the executable (process.execPath). */
  executable: string
  /** Arguments before --hidden (the app folder, when running an unpackaged Electron). */
  args?: string[]
  /** Linux: $XDG_CONFIG_HOME/autostart or ~/.config/autostart. */
  autostartDir: string
}

export function autostartFile(dir: string): string {
  return join(dir, 'junction.desktop')
}

export function applyStartAtLogin(enabled: boolean, deps: LoginItemDeps): void {
  const args = [...(deps.args ?? []), HIDDEN_FLAG]
  if (deps.platform === 'linux') {
    const file = autostartFile(deps.autostartDir)
    if (!enabled) {
      rmSync(file, { force: true })
      return
    }
    mkdirSync(deps.autostartDir, { recursive: true })
    writeFileSync(file, autostartEntry([deps.executable, ...args]))
    return
  }
  deps.app.setLoginItemSettings({
    openAtLogin: enabled,
    // Windows passes `args` to the started app; macOS ignores them (main.ts asks wasOpenedAtLogin there instead).
    path: deps.executable,
    args,
  })
}

/** The autostart .desktop entry (Desktop Entry Specification 1.5). */
export function autostartEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Junction',
    'Comment=Personal Interledger connector',
    `Exec=${command.map(execQuote).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

/** One Exec argument: quoted when it has to be, with the spec's escapes (a path may hold spaces or quotes). */
export function execQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_\-./:=@+,]+$/.test(arg)) return arg
  // Inside double quotes `"`, `` ` ``, `$` and `\` take a backslash; a literal % is written %% in any Exec value.
  const quoted = `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`
  // Exec is also a desktop-entry string, whose own escapes are undone first: every backslash is written twice.
  return quoted.replace(/\\/g, '\\\\')
}

/** Whether this start came from the login item (then the window stays closed; the tray is there). */
export function startedHidden(argv: readonly string[], platform: NodeJS.Platform, wasOpenedAtLogin: () => boolean): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true
  return platform === 'darwin' && wasOpenedAtLogin()
}
