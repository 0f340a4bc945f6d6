// One app (being built).
export function AppPage({ id }: { id: string }) {
  return <p>App {id}</p>
}
