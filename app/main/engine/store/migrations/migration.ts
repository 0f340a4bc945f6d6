// A numbered schema step. PRAGMA user_version holds the number of the last step applied.
export interface Migration {
  version: number
  name: string
  sql: string
}
