// Imported first by main.tsx, before anything defines a zod schema: zod probes `new Function` when it builds object
// schemas (to compile fast parsers), which the page's CSP (no 'unsafe-eval') refuses and reports as a violation.
// Jitless parsing is plenty for the UI's few form checks.
import { z } from 'zod'

z.config({ jitless: true })
