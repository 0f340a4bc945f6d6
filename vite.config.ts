/// <reference types="vitest/config" />
// The renderer's build (`vite build` → dist/renderer, served by headless mode and loaded by the Electron window) and
// its component tests (vitest + jsdom, test/renderer). Main and preload are bundled separately (scripts/build.mjs).
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  root: 'app/renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../../dist/renderer', emptyOutDir: true, sourcemap: true },
  test: {
    root: '.',
    include: ['test/renderer/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
  },
})
