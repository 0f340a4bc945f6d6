// Overview (being built).
export function OverviewPage() {
  return <p>Overview</p>
}
