// A next hop that was reached but answered a packet with a failure of its own transport (a BTP Error frame, an HTTP
// status other than 200) rather than an ILP reply. The packet pipeline turns it into the ILP reject `ilpCode` names;
// any other error from a link means the hop was not reached (T01).
export class NextHopAnswerError extends Error {
  constructor(
    message: string,
    /** The reject the sender gets: T00 when the hop failed (it may work later), F00 when it refused this packet. */
    readonly ilpCode: 'T00' | 'F00' = 'T00',
  ) {
    super(message)
    this.name = 'NextHopAnswerError'
  }
}
