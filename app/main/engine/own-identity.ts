// Junction's own identity on the network: its ILP address and asset. In local mode they are configured; with a
// provider they come from the provider's ILDCP answer and change when the provider says so.
export interface OwnIdentity {
  /** Undefined until the provider has answered ILDCP. */
  address: string | undefined
  assetCode: string
  assetScale: number
}
