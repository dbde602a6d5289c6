/**
 * Equality of template values, for constants and defaults.
 *
 * `deepEqual` is structural: numbers compare as `Object.is` (so −0 ≠ 0 and
 * NaN = NaN, as their bytes do), byte arrays by content, arrays, maps and
 * records member by member. Values of a host type compare with the type's own
 * equality instead (`hostDiff`): a message field by field, each with its
 * host type's (so a float after rounding to f32).
 *
 * @module
 */
import { type Difference, type HostImpl, show } from './core.js'
import { formatPath } from './errors.js'

/** The difference of two values that differ as wholes (no path inside them). */
export function differ(expected: unknown, found: unknown): Difference {
  return { path: [], expected, found }
}

/** Where two values differ structurally (`deepEqual`), as wholes; undefined when equal. */
export function structuralDiff(expected: unknown, found: unknown): Difference | undefined {
  return deepEqual(expected, found) ? undefined : differ(expected, found)
}

/** Where two values of a host type differ, by its own equality; undefined when equal. */
export function hostDiff<A>(impl: HostImpl<A>, expected: A, found: A): Difference | undefined {
  if (impl.diff !== undefined) return impl.diff(expected, found)
  return impl.equals(expected, found) ? undefined : differ(expected, found)
}

/** Where two lists of a host type differ: their lengths, or the first element that differs. */
export function listDiff<A>(impl: HostImpl<A>, expected: readonly A[], found: readonly A[]): Difference | undefined {
  if (expected.length !== found.length) return { path: [], expected: expected.length, found: found.length, lengths: true }
  for (let i = 0; i < expected.length; i++) {
    const d = hostDiff(impl, expected[i]!, found[i]!)
    if (d !== undefined) {
      d.path.unshift({ index: i })
      return d
    }
  }
  return undefined
}

/** The text of a `constant-mismatch`: where inside the constant, and the two values. */
export function describeDifference(d: Difference): string {
  const where = formatPath(d.path)
  const values = d.lengths === true
    ? `expected ${String(d.expected)} element${d.expected === 1 ? '' : 's'}, found ${String(d.found)}`
    : `expected ${show(d.expected)}, found ${show(d.found)}`
  return where === '' ? values : `${where}: ${values}`
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (ArrayBuffer.isView(a) && !(a instanceof DataView)) {
    // Typed arrays: of one type (bytes of any Uint8Array, a Node Buffer too), element for element (floats as Object.is: NaN equal, −0 not 0).
    if (!ArrayBuffer.isView(b) || (a instanceof Uint8Array ? !(b instanceof Uint8Array) : a.constructor !== b.constructor)) return false
    const [x, y] = [a as unknown as ArrayLike<unknown>, b as unknown as ArrayLike<unknown>]
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false
    return true
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false
    for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k))) return false
    return true
  }
  if (Array.isArray(b) || ArrayBuffer.isView(b) || b instanceof Map) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
  }
  return true
}
