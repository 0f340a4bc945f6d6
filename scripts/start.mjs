// `npm start`: opens the desktop app. The Electron shell (window, tray, UI) is not built yet; until it is, this says
// so and points at headless mode, which runs the same engine today.
console.log(`Junction's desktop app (Electron shell, tray and UI) is not part of this version yet.
Run the same engine without a window:

  npm run headless -- --help
`)
