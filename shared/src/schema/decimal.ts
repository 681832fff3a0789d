/**
 * Decimal arithmetic for cell values: a value is `digits × 10^exp`, so scaling by 万 or % never rounds
 * (`1.1万` is exactly 11000). Hand-written: the few operations parsing and formatting need (scale, round
 * half away from zero, print) are smaller than any decimal library.
 */

export interface Decimal {
  neg: boolean
  /** Base-10 digits without leading zeros; '0' for zero. */
  digits: string
  exp: number
}

export function makeDecimal(neg: boolean, digits: string, exp: number): Decimal {
  const d = digits.replace(/^0+/, '')
  return d === '' ? { neg: false, digits: '0', exp: 0 } : { neg, digits: d, exp }
}

export function decimalToNumber(d: Decimal): number {
  const n = Number(`${d.digits}e${d.exp}`)
  return d.neg && n !== 0 ? -n : n
}

/** The shortest decimal that round-trips `n` (finite). */
export function numberToDecimal(n: number): Decimal {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(n))
  if (!m) return { neg: false, digits: '0', exp: 0 }
  const frac = m[3] ?? ''
  return makeDecimal(m[1] === '-', (m[2] ?? '') + frac, Number(m[4] ?? 0) - frac.length)
}

/** Round half away from zero to at most `decimals` digits after the point. */
export function roundDecimal(d: Decimal, decimals: number): Decimal {
  const drop = -d.exp - decimals
  if (drop <= 0) return d
  const keepLen = d.digits.length - drop
  const keep = keepLen > 0 ? d.digits.slice(0, keepLen) : ''
  const next = keepLen >= 0 ? (d.digits[keepLen] ?? '0') : '0'
  const rounded = next >= '5' ? (BigInt(keep || '0') + 1n).toString() : keep
  return makeDecimal(d.neg, rounded, -decimals)
}

function groupThousands(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Plain positional notation; `fixed` pads the fraction, otherwise trailing zeros are dropped. */
export function decimalToString(d: Decimal, group: boolean, fixed?: number): string {
  let int: string
  let frac: string
  if (d.exp >= 0) {
    int = d.digits === '0' ? '0' : d.digits + '0'.repeat(d.exp)
    frac = ''
  } else {
    const padded = d.digits.padStart(-d.exp + 1, '0')
    int = padded.slice(0, padded.length + d.exp)
    frac = padded.slice(padded.length + d.exp)
  }
  int = int.replace(/^0+(?=\d)/, '')
  frac = fixed === undefined ? frac.replace(/0+$/, '') : frac.padEnd(fixed, '0')
  const body = (group ? groupThousands(int) : int) + (frac ? `.${frac}` : '')
  return (d.neg ? '-' : '') + body
}

export function shiftDecimal(d: Decimal, by: number): Decimal {
  return d.digits === '0' ? d : { ...d, exp: d.exp + by }
}
