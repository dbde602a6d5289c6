/**
 * Source snippets that the compiler (src/compile.ts) inlines into each
 * template's generated code, for the commonest values of the commonest
 * scalars. Written into the template's own function, they get type
 * feedback of their own: shared helpers called from every template are
 * optimized for all of them at once, and V8 stops inlining them once
 * another template has taken their slow branches (measured: a short ASCII
 * string written through the shared helper cost twice as much after an
 * address book with non-ASCII names had been encoded in the same process).
 *
 * A snippet takes the name of a local holding the value and the source of
 * the general path (the host type's check and put), which it runs for
 * anything it does not take itself.
 *
 * @module
 */

/** Statements writing the varint of `u`, an expression of a uint32. */
export function varint32(u: string): string {
  return `{ w.ensure(5); const b = w.buf; let p = w.pos, u = ${u}; while (u > 127) { b[p++] = (u & 127) | 128; u >>>= 7 } b[p++] = u; w.pos = p; }`
}

/** A varint of `x` when it is an integer in [0, 2^31); the general path otherwise. */
export const smallNatural = (x: string, other: string): string =>
  `if (typeof ${x} === 'number' && (${x} | 0) === ${x} && ${x} >= 0) ${varint32(x)} else { ${other} }`

/** The zigzag varint of `x` when it is an int32; the general path otherwise. */
export const zigzag32 = (x: string, other: string): string =>
  `if (typeof ${x} === 'number' && (${x} | 0) === ${x}) ${varint32(`((${x} << 1) ^ (${x} >> 31)) >>> 0`)} else { ${other} }`

/** A varint of `x` when it is a uint32; the general path otherwise. */
export const natural32 = (x: string, other: string): string =>
  `if (typeof ${x} === 'number' && (${x} >>> 0) === ${x}) ${varint32(x)} else { ${other} }`

/** A boolean's one byte. */
export const bool = (x: string, other: string): string =>
  `if (${x} === true) w.byte(1); else if (${x} === false) w.byte(0); else { ${other} }`

/** A double's eight bytes. */
export const double = (x: string, other: string): string => `if (typeof ${x} === 'number') w.double(${x}); else { ${other} }`

/**
 * A string under 128 UTF-16 units that is all ASCII: copied as it is
 * scanned, after a one-byte length. ASCII is well-formed, so only other
 * text takes the general path, which validates it.
 */
export const asciiString = (x: string, other: string): string =>
  `if (typeof ${x} !== 'string') throw BAIL; { const n = ${x}.length; let done = false; ` +
  `if (n < 128) { w.ensure(n + 1); const b = w.buf, p = w.pos + 1; let i = 0; for (; i < n; i++) { const c = ${x}.charCodeAt(i); if (c > 127) break; b[p + i] = c } ` +
  `if (i === n) { b[p - 1] = n; w.pos = p + n; done = true } } if (!done) { ${other} } }`
