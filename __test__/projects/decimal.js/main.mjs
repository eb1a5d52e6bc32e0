// decimal.js (dual package, imported as ES modules): arbitrary precision
// arithmetic, rounding modes, transcendental functions, formats.
import Decimal from 'decimal.js'

console.log(new Decimal(0.1).plus(0.2).toString(), 0.1 + 0.2, new Decimal('1e-7').toString(), new Decimal('123.456').toFixed(1))
const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN })
console.log(D.sqrt(2).toString(), D.exp(1).toString(), D.ln(10).toString(), D.acos(-1).toString())
console.log(new D(2).pow(200).toString(), new D(1).dividedBy(7).toSignificantDigits(30).toString(), new D('1234.5678').toExponential(3))
console.log(new Decimal(-2.5).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toString(), new Decimal(2.5).round().toString(), new Decimal(255).toHexadecimal(), new Decimal('0.1').toFraction())
console.log(Decimal.max(1, '3', new Decimal(2)).toString(), Decimal.sum(1, 2, 3.3).toString(), new Decimal('9.99e+999').times(10).toString(), new Decimal(1).div(0).toString())
console.log(new Decimal(12345.6789).toFormat ? 'has toFormat' : 'no toFormat', new Decimal('-0').isNegative(), new Decimal(NaN).isNaN(), JSON.stringify({ d: new Decimal('1.50') }))
try {
  new Decimal('not a number')
} catch (e) {
  console.log(e.name, e.message)
}
