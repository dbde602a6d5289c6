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
 * A string under 128 UTF-16 units: ASCII is copied as it is scanned, after
 * a one-byte length; other text under 43 units (so under 128 bytes) is
 * encoded here too, its surrogates checked (a lone one takes the general
 * path, which reports it). Longer text takes the general path.
 */
export const shortString = (x: string, other: string): string =>
  `if (typeof ${x} !== 'string') throw BAIL; { const n = ${x}.length; let done = false; ` +
  `if (n < 128) { w.ensure(3 * n + 1); const b = w.buf, p = w.pos + 1; let i = 0; for (; i < n; i++) { const c = ${x}.charCodeAt(i); if (c > 127) break; b[p + i] = c } ` +
  `if (i === n) { b[p - 1] = n; w.pos = p + n; done = true } else if (n < 43) { let q = p + i; ` +
  `for (; i < n; i++) { let c = ${x}.charCodeAt(i); ` +
  `if (c < 128) b[q++] = c; ` +
  `else if (c < 2048) { b[q++] = 192 | (c >> 6); b[q++] = 128 | (c & 63) } ` +
  `else if (c < 55296 || c > 57343) { b[q++] = 224 | (c >> 12); b[q++] = 128 | ((c >> 6) & 63); b[q++] = 128 | (c & 63) } ` +
  `else { const d = i + 1 < n ? ${x}.charCodeAt(i + 1) : 0; if (c > 56319 || d < 56320 || d > 57343) break; i++; c = 65536 + ((c & 1023) << 10) + (d & 1023); ` +
  `b[q++] = 240 | (c >> 18); b[q++] = 128 | ((c >> 12) & 63); b[q++] = 128 | ((c >> 6) & 63); b[q++] = 128 | (c & 63) } } ` +
  `if (i === n) { b[p - 1] = q - p; w.pos = q; done = true } } } if (!done) { ${other} } }`

/**
 * An enumeration's member name, by a switch over the names (quicker than a
 * map lookup for the few members an enumeration has); numbers and negative
 * values take the general path.
 */
export function enumName(members: ReadonlyMap<string, number>): (x: string, other: string) => string {
  const cases = [...members].filter(([, n]) => n >= 0).map(([k, n]) => `case ${JSON.stringify(k)}: n = ${n}; break;`)
  return (x, other) => `{ let n = -1; switch (${x}) { ${cases.join(' ')} } if (n >= 0) ${varint32('n')} else { ${other} } }`
}
