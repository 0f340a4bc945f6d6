// The quote as the engine API answers it: amounts as decimal strings, failures as ApiErrors whose message starts
// with the ILP reject code a packet to that destination would meet (F02 no route, T01 next hop not connected).
import type { ApiParsed } from '../../../shared/api-schemas'
import { ApiError, type QuoteView } from '../../../shared/api-types'
import type { Connector } from '../connector'
import { quote, QuoteFailure } from './quote'

export function quoteView(connector: Connector, input: ApiParsed<'quote'>): QuoteView {
  let q
  try {
    q = quote(connector, input)
  } catch (err) {
    if (err instanceof QuoteFailure) throw new ApiError(err.kind, err.message)
    throw err
  }
  return {
    destination: q.destination,
    route: q.route,
    beyondJunction: q.beyondJunction,
    sourceAsset: q.sourceAsset,
    destinationAsset: q.destinationAsset,
    rate: { numerator: q.rate.numerator.toString(), denominator: q.rate.denominator.toString(), decimal: q.rateDecimal },
    maxPacketAmount: q.maxPacketAmount.toString(),
    limitedBy: q.limitedBy,
    curve: { points: q.curve.points.map(([x, y]) => [x.toString(), y.toString()]), base64: q.curveBase64 },
    sourceAmount: q.sourceAmount?.toString() ?? null,
    destinationAmount: q.destinationAmount?.toString() ?? null,
    failure: q.failure,
  }
}
