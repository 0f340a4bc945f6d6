// One colour per app, the same everywhere it appears (chart areas, legends, swatches in tables): derived from the
// app's id, so no page has to agree with another on an order. Colours are CSS variables (styles/theme.css) so each
// theme can tune its own contrast.
const PALETTE_SIZE = 10

export function appColorIndex(id: string): number {
  // FNV-1a: small, stable, spreads similar names apart.
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) % PALETTE_SIZE
}

/** A CSS colour usable as an SVG fill or a background. */
export function appColor(id: string): string {
  return `var(--app-${appColorIndex(id)})`
}
