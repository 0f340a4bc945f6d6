// Runs the desktop app (app/main/electron/desktop-app.ts) on the stand-in Electron objects of electron.mjs, under
// plain Node: the real 'electron' module is never loaded (its binary cannot be downloaded where tests run).
import { startDesktopApp, type DesktopElectron } from '../../../../app/main/electron/desktop-app'
// @ts-expect-error: a plain JavaScript stand-in without type declarations; its shape is checked by running it.
import * as standIn from './electron.mjs'

startDesktopApp(standIn as unknown as DesktopElectron)
