/// <reference types="vitest/config" />
// The renderer's build (`vite build` → dist/renderer, served by headless mode and loaded by the Electron window) and
// its component tests (vitest + jsdom, test/renderer). Main and preload are bundled separately (scripts/build.mjs).
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  root: 'app/renderer',
  base: './',
  plugins: [react()],
  // One bundle of ~800 kB (230 kB gzipped) loaded from disk or loopback: splitting it would buy nothing here.
  build: { outDir: '../../dist/renderer', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  test: {
    root: '.',
    include: ['test/renderer/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
  },
})
