// `node --import ./register.mjs dist/main/index.js`: runs the bundled main process with 'electron' resolved to the
// stand-in beside this file (the real binary cannot be downloaded where the tests run).
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url)
