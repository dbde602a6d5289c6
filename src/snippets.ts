/**
 * The byte layer's algorithms as source snippets, which host types'
 * emitters write into each template's generated code, for the commonest
 * values of the commonest scalars. Written into the template's own
 * function, they get type feedback of their own: a helper shared by every
 * template is optimized for all of them at once, and V8 stops inlining it
 * once another template has taken its slow branches (docs/performance.md).
 * Each snippet is held to the function it copies by test/snippets.test.ts.
 *
 * An encode snippet takes the name of a local holding the value and the
 * source of the general path (the host type's check and put), which it runs
 * for anything it does not take itself. A decode snippet takes the name of
 * a local to set to the value read at `r.pos`, and the general path (the
 * host type's get), which it runs, from the same position, for anything it
 * does not take: long varints, long or non-ASCII strings, truncation.
 *
 * @module
 */
import type { Gen } from './core.js'
import { isWellFormed, makeAscii, makeUtf8 } from './utf8.js'

/** Statements writing the varint of `u`, an expression of a uint32. */
function varint32(u: string): string {
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

/** Statements writing the varint of the 64-bit value whose halves are `lo` and `hi`, expressions of uint32s. */
function varint64(lo: string, hi: string): string {
  return (
    `{ w.ensure(10); const b = w.buf; let p = w.pos, lo = ${lo}, hi = ${hi}; ` +
    `while (hi !== 0) { b[p++] = (lo & 127) | 128; lo = ((lo >>> 7) | (hi << 25)) >>> 0; hi >>>= 7 } ` +
    `while (lo > 127) { b[p++] = (lo & 127) | 128; lo >>>= 7 } b[p++] = lo; w.pos = p; }`
  )
}

/** Whether `x` is an integer in [min, max], as source: an integer scalar's guard. */
export const rangeIs = (min: number, max: number) => (x: string): string =>
  `(typeof ${x} === 'number' && Number.isInteger(${x}) && ${x} >= ${min} && ${x} <= ${max})`

/*
 * The 64-bit varints of safe integers, from halves made in locals: passed
 * to a function as a double, a value past 32 bits is boxed by V8 at each
 * call (docs/performance.md).
 */
const MAX_SAFE = Number.MAX_SAFE_INTEGER

/** The zigzag varint of `x` when it is a safe integer; the general path otherwise. */
export const zigzag64 = (x: string, other: string): string =>
  zigzag32(
    x,
    `if (${rangeIs(-MAX_SAFE, MAX_SAFE)(x)}) { ` +
      // zigzag(x) = 2m + sign, m = x or −x − 1: exact in halves, where 2m + 1 may not be as a double.
      `const s = ${x} < 0 ? 1 : 0, m = s === 1 ? -${x} - 1 : ${x}, l = m >>> 0; ` +
      `${varint64('((l << 1) | s) >>> 0', '((Math.floor(m / 4294967296) << 1) | (l >>> 31)) >>> 0')} } else { ${other} }`,
  )

/** The two's complement varint of `x` when it is a safe integer of at least `min` (ten bytes when negative); the general path otherwise. */
const twos64 = (min: number) => (x: string, other: string): string =>
  smallNatural(x, `if (${rangeIs(min, MAX_SAFE)(x)}) ${varint64(`${x} >>> 0`, `Math.floor(${x} / 4294967296) >>> 0`)} else { ${other} }`)

/** `uint64`'s varint, of a safe non-negative integer. */
export const natural64 = twos64(0)
/** `int64`'s varint, of a safe integer. */
export const signed64 = twos64(-MAX_SAFE)

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
export const shortString = (x: string, other: string, g: Gen): string =>
  `if (typeof ${x} !== 'string') ${g.bail} { const n = ${x}.length; let done = false; ` +
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
 * `shortString` for a string that may hold escaped bytes (src/utf8.ts):
 * well-formed text of any length is written as `shortString` and `string`
 * write it, and only a string with a lone surrogate takes the general path.
 */
export const escapedString = (x: string, other: string, g: Gen): string =>
  shortString(x, `if (${g.ref(isWellFormed)}(${x})) w.string(${x}); else { ${other} }`, g)

/**
 * An enumeration's member name, by a switch over the names (quicker than a
 * map lookup for the few members an enumeration mostly has); numbers and negative
 * values take the general path.
 */
export function enumName(members: ReadonlyMap<string, number>): (x: string, other: string) => string {
  const cases = [...members].filter(([, n]) => n >= 0).map(([k, n]) => `case ${JSON.stringify(k)}: n = ${n}; break;`)
  return (x, other) => `{ let n = -1; switch (${x}) { ${cases.join(' ')} } if (n >= 0) ${varint32('n')} else { ${other} } }`
}

// ---------------------------------------------------------------------------
// Decode


/**
 * Source of a value (a helper function) that the compiler writes into each
 * template's code rather than sharing: a copy per template gets type
 * feedback, and inlining decisions, of its own. Its free names are globals.
 */
export class Source {
  constructor(readonly code: string) {}

  /**
   * A function's own source. It must name nothing but its arguments, its
   * locals and globals: its module's names are not in the copy's scope.
   */
  static of(f: (...args: never[]) => unknown): Source {
    return new Source(`(${f.toString()})`)
  }

  /** What a maker function returns (or one member of it), made anew in the copy; the maker is held to `of`'s rule. */
  static made(maker: () => unknown, member?: string): Source {
    return new Source(`(${maker.toString()})()${member === undefined ? '' : `.${member}`}`)
  }
}

/** The ASCII reader of src/utf8.ts, copied into each template's code. */
const asciiSource = Source.made(makeAscii)

/**
 * Reads a varint of up to 4 bytes (28 bits) into `n`, ending at `p`, and
 * runs `then` (which moves `r.pos` to `p` if it takes the value); anything
 * longer or truncated takes the general path.
 */
function varint28(then: string, other: string): string {
  return `{ const b = r.buf, lim = r.end; let p = r.pos, n = 0, c = 128, k = 0; ` +
    `while (c > 127 && k < 28 && p < lim) { c = b[p++]; n |= (c & 127) << k; k += 7 } ` +
    `if (c < 128) { ${then} } else { ${other} } }`
}

/** A varint's value, as given by `of(n)`. */
const readVarint = (of: (n: string) => string) => (out: string, other: string): string => varint28(`r.pos = p; ${out} = ${of('n')};`, other)

/** A non-negative integer of up to 28 bits as it is. */
export const readNatural = readVarint((n) => n)
/** A zigzag integer of up to 28 bits. */
export const readZigzag = readVarint((n) => `(${n} >>> 1) ^ -(${n} & 1)`)
/** A boolean. */
export const readBool = readVarint((n) => `${n} !== 0`)

/**
 * A 64-bit varint: up to 28 bits in one 32-bit local, whose value is
 * `small(n)`; longer, in halves, whose value is `join(lo, hi)` (NaN
 * when it does not fit, which the general path reports).
 */
export const readVarint64 = (join: (lo: number, hi: number) => number, small: (n: string) => string) => {
  const J = Source.of(join)
  return (out: string, other: string, g: Gen): string =>
    `{ const b = r.buf, lim = r.end; let p = r.pos, n = 0, c = 128, k = 0; ` +
    `while (c > 127 && k < 28 && p < lim) { c = b[p++]; n |= (c & 127) << k; k += 7 } ` +
    `if (c < 128) { r.pos = p; ${out} = ${small('n')}; } ` +
    `else if (p < lim) { c = b[p++]; const lo = (n | ((c & 15) << 28)) >>> 0; let hi = (c & 127) >> 4; k = 3; ` +
    `while (c > 127 && k < 32 && p < lim) { c = b[p++]; hi |= (c & 127) << k; k += 7 } ` +
    `const v = c < 128 ? ${g.ref(J)}(lo, hi >>> 0) : Number.NaN; if (v === v) { r.pos = p; ${out} = v } else { ${other} } } ` +
    `else { ${other} } }`
}

/**
 * Statements making room for `n` more numbers at the end of `arr`, whose
 * length before is left in `k`: pushed one by one, an array's store grows
 * by half again each time it fills; its length set at once allocates the
 * store once. (The array is holey to V8 for it, never to its user: every
 * place is filled, or the length set back.) Not for 16 values or fewer,
 * where the holey array cost more than it saved (docs/performance.md).
 */
const reserve = (arr: string, n: string): string => `const k = ${arr}.length; if (${n} > 16) { ${arr}.push(0.5); ${arr}.length = k + ${n} }`

/**
 * A packed run of 64-bit varints, as `readVarint64` reads one, in one loop
 * with the position in a local and bytes unrolled; whether a varint ran
 * past the run is checked once it is read. At anything it does not take
 * (a value that does not fit, a varint past the run or over 10 bytes) it
 * stops, and the general path reads on from that value.
 */
/**
 * How many varints `buf[start, end)` holds, about: each ends in the run's
 * only bytes under 128, and counting them all takes as long as decoding
 * them, so the first 256 bytes are counted and the count scaled to the
 * run, with a margin (never over one a byte). A run that holds more is
 * read on by the general path.
 */
export function estimateVarints(buf: Uint8Array, start: number, end: number): number {
  const len = end - start
  const s = len < 256 ? len : 256
  let m = 0
  for (let q = start; q < start + s; q++) if (buf[q]! < 128) m++
  return s < len ? Math.min(len, Math.ceil((m * len * 1.25) / s) + 8) : m
}

export const readVarintRun = (join: (lo: number, hi: number) => number, small: (n: string) => string) => {
  const source = Source.of(join)
  return (g: Gen, arr: string, end: string, other: string, count?: string): string => {
    const J = g.ref(source)
    const S = small('n')
    // A typed array comes long enough.
    const room = count !== undefined ? 'let i = 0; ' : `m = ${g.ref(estimateVarints)}(b, p, ${end}); ${reserve(arr, 'm')} let i = k; `
    return `{ const b = r.buf; let p = r.pos, ok = true, m = 0; ` +
      room +
      `while (p < ${end}) { const q = p; let c = b[p++], n = c & 127, v = 0; ` +
      `if (c < 128) v = ${S}; else { c = b[p++]; n |= (c & 127) << 7; ` +
      `if (c < 128) v = ${S}; else { c = b[p++]; n |= (c & 127) << 14; ` +
      `if (c < 128) v = ${S}; else { c = b[p++]; n |= (c & 127) << 21; ` +
      `if (c < 128) v = ${S}; else { c = b[p++]; const lo = (n | ((c & 15) << 28)) >>> 0; let hi = (c & 127) >> 4, k = 3; ` +
      `while (c > 127 && k < 32) { c = b[p++]; hi |= (c & 127) << k; k += 7 } v = c < 128 ? ${J}(lo, hi >>> 0) : Number.NaN } } } } ` +
      `if (v !== v || p > ${end}${count !== undefined ? ` || i >= ${arr}.length` : ''}) { p = q; ok = false; break } ${arr}[i++] = v } ` +
      `${count !== undefined ? `${count} = i;` : `if (${arr}.length !== i) ${arr}.length = i;`} r.pos = p; if (!ok) { ${other} } }`
  }
}

/** A fixed-width value read by a DataView getter; truncation takes the general path. */
export const readFixed = (getter: 'getFloat64' | 'getFloat32' | 'getUint32' | 'getInt32', width: number) => (out: string, other: string): string =>
  `{ const p = r.pos; if (p + ${width} <= r.end) { ${out} = r.view.${getter}(p, true); r.pos = p + ${width} } else { ${other} } }`

/**
 * A packed run of fixed-width values read by a DataView getter, in one
 * loop; a run whose length is not a multiple of the width takes the
 * general path.
 */
export const readRun = (getter: 'getFloat64' | 'getFloat32' | 'getUint32' | 'getInt32', width: number) => (_g: Gen, arr: string, end: string, other: string, count?: string): string =>
  `if ((${end} - r.pos) % ${width} === 0${count !== undefined ? ` && (${end} - r.pos) / ${width} <= ${arr}.length` : ''}) { const dv = r.view; ${count !== undefined ? `const k = 0; ${count} = (${end} - r.pos) / ${width};` : reserve(arr, `(${end} - r.pos) / ${width}`)} ` +
  `for (let p = r.pos, i = k; p < ${end}; p += ${width}) ${arr}[i++] = dv.${getter}(p, true); r.pos = ${end}; } else { ${other} }`

/** An enumeration member, by a switch over its numbers; others take the general path. */
export function readEnum(byNumber: ReadonlyMap<number, string>): (out: string, other: string) => string {
  const members = [...byNumber].filter(([n]) => n >= 0)
  return (out, other) => varint28(`switch (n) { ${members.map(([n, k]) => `case ${n}: r.pos = p; ${out} = ${JSON.stringify(k)}; break;`).join(' ')} default: { ${other} } }`, other)
}

/** The UTF-8 validator of src/utf8.ts, copied into each template's code, as a string maker: undefined for bytes that are not valid UTF-8, and outside Node. */
const utf8Source = Source.made(makeUtf8, 'slice')

/**
 * A string of under 128 bytes: ASCII made by `ascii`, other valid UTF-8 by
 * `utf8`, both copies of the template's own; anything else (longer,
 * invalid, truncated) takes the general path, which decodes and validates
 * it and reports what is wrong.
 */
export const readShortString = (out: string, other: string, g: Gen): string =>
  `{ const b = r.buf, p = r.pos, n = p < r.end ? b[p] : 128, e = p + 1 + n; ` +
  `if (n < 128 && e <= r.end) { let i = p + 1; while (i < e && b[i] < 128) i++; ` +
  `if (i === e) { r.pos = e; ${out} = ${g.ref(asciiSource)}(b, p + 1, e) } ` +
  `else { const u = ${g.ref(utf8Source)}(b, p + 1, e); if (u !== undefined) { r.pos = e; ${out} = u } else { ${other} } } } else { ${other} } }`
