// The desktop app's entry (bundled to dist/main/index.js): hands the real Electron module to the app
// (desktop-app.ts), which is tested with a stand-in for it.
import * as electron from 'electron'
import { startDesktopApp } from './desktop-app'

startDesktopApp(electron)
