// Apps (being built).
export function AppsPage() {
  return <p>Apps</p>
}
