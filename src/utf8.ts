/**
 * UTF-8 for the byte layer: exact lengths, encoding into a buffer, and a
 * validating decoder that reports where the bytes go wrong; and, for
 * strings that are not validated, a lossless decoder and encoder that hold
 * the bytes that are not UTF-8 as escapes.
 *
 * @module
 */
import { ProtoError } from './errors.js'

// `ignoreBOM` keeps a leading U+FEFF: a string field's content is data, not a document.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const encoder = new TextEncoder()

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** True when the string has no lone surrogate, so that it has a UTF-8 form. */
export function isWellFormed(s: string): boolean {
  const native = (s as { isWellFormed?: () => boolean }).isWellFormed
  return native !== undefined ? native.call(s) : !LONE_SURROGATE.test(s)
}

/**
 * Write the UTF-8 of a well-formed `s` at `pos`, where `buf` has room for
 * 3 bytes a UTF-16 unit; returns the new position.
 */
export function encodeUtf8Into(s: string, buf: Uint8Array, pos: number): number {
  // Short strings are quicker in JavaScript than through the encoder's call.
  if (s.length > 48) return pos + encoder.encodeInto(s, buf.subarray(pos, pos + s.length * 3)).written
  // Well-formed text has no lone surrogate, so the escaping encoder writes its UTF-8.
  return encodeEscapedInto(s, buf, pos)
}

/** The UTF-8 bytes of a well-formed string. */
export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s)
}

/**
 * The ASCII reader and the UTF-8 validator, made by functions that name
 * nothing but their own locals and globals: the compiler copies their
 * source into each template's code (src/snippets.ts), so that every copy
 * gets type feedback of its own, and this module uses them as they are.
 * One copy of each algorithm, in two places.
 */
export function makeAscii(): (b: Uint8Array, s: number, e: number) => string {
  const fc = String.fromCharCode
  // Node's Buffer#latin1Slice takes any Uint8Array; undefined outside Node.
  const l1 = (globalThis as { Buffer?: { prototype: { latin1Slice?: (this: Uint8Array, s: number, e: number) => string } } }).Buffer?.prototype.latin1Slice
  /**
   * ASCII bytes `b[s, e)` as a string. Up to 16 characters, one call with
   * the codes as arguments (quicker than adding characters one by one, or
   * than any native slice; docs/performance.md); longer, Node's
   * latin1Slice where there is one.
   */
  return function ascii(b: Uint8Array, s: number, e: number): string {
    switch (e - s) {
      case 0:
        return ''
      case 1:
        return fc(b[s]!)
      case 2:
        return fc(b[s]!, b[s + 1]!)
      case 3:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!)
      case 4:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!)
      case 5:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!)
      case 6:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!)
      case 7:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!)
      case 8:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!)
      case 9:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!)
      case 10:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!)
      case 11:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!)
      case 12:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!)
      case 13:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!)
      case 14:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!)
      case 15:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!)
      case 16:
        return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!)
    }
    if (l1 !== undefined) return l1.call(b, s, e)
    let out = ''
    for (; s + 8 <= e; s += 8) out += fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!)
    for (; s < e; s++) out += fc(b[s]!)
    return out
  }
}

/** The UTF-8 validator, and a string of valid UTF-8 by Node's utf8Slice; see `makeAscii` for why a maker. */
export function makeUtf8(): {
  firstInvalid(b: Uint8Array, s: number, e: number): number
  slice(b: Uint8Array, s: number, e: number): string | undefined
} {
  // Node's Buffer#utf8Slice, which takes any Uint8Array and does not validate; undefined outside Node.
  const u8 = (globalThis as { Buffer?: { prototype: { utf8Slice?: (this: Uint8Array, s: number, e: number) => string } } }).Buffer?.prototype.utf8Slice
  /**
   * The offset of the first byte of `b[s, e)` that does not begin a valid
   * UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing
   * past U+10FFFF), or `e`.
   */
  function firstInvalid(b: Uint8Array, s: number, e: number): number {
    let i = s
    while (i < e) {
      const c = b[i]!
      if (c < 0x80) {
        i++
        continue
      }
      let n: number
      let lo = 0x80
      let hi = 0xbf
      if (c >= 0xc2 && c <= 0xdf) n = 1
      else if (c >= 0xe0 && c <= 0xef) {
        n = 2
        if (c === 0xe0) lo = 0xa0
        if (c === 0xed) hi = 0x9f
      } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3
        if (c === 0xf0) lo = 0x90
        if (c === 0xf4) hi = 0x8f
      } else return i
      if (i + n >= e) return i
      const c1 = b[i + 1]!
      if (c1 < lo || c1 > hi) return i
      for (let k = 2; k <= n; k++) {
        const ck = b[i + k]!
        if (ck < 0x80 || ck > 0xbf) return i
      }
      i += n + 1
    }
    return e
  }
  /** Valid UTF-8 `b[s, e)` as a string; undefined when it is not valid, or outside Node. */
  function slice(b: Uint8Array, s: number, e: number): string | undefined {
    return u8 !== undefined && firstInvalid(b, s, e) === e ? u8.call(b, s, e) : undefined
  }
  return { firstInvalid, slice }
}

const ascii = makeAscii()
export const { firstInvalid, slice: utf8Slice } = makeUtf8()

/** Strings up to this many bytes are validated here and made by Node's utf8Slice (quicker than the decoder's call; docs/performance.md); longer ones by the decoder, which validates natively. */
const SHORT = 256

/**
 * The string of `buf[start, end)` if it is valid UTF-8, by the quickest way
 * for its length; undefined if it is not.
 */
function decodeIfValid(buf: Uint8Array, start: number, end: number): string | undefined {
  let i = start
  while (i < end && buf[i]! < 0x80) i++
  if (i === end) return ascii(buf, start, end)
  if (end - start <= SHORT) {
    const s = utf8Slice(buf, start, end)
    if (s !== undefined) return s
  } else {
    try {
      return decoder.decode(buf.subarray(start, end))
    } catch {
      return undefined
    }
  }
  // Short, and either not valid or outside Node (no utf8Slice).
  return firstInvalid(buf, start, end) === end ? decoder.decode(buf.subarray(start, end)) : undefined
}

/** Decode UTF-8 from `buf[start, end)`, rejecting anything that is not valid UTF-8. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const s = decodeIfValid(buf, start, end)
  if (s !== undefined) return s
  const at = firstInvalid(buf, start, end)
  throw new ProtoError('invalid-utf8', `invalid UTF-8 at byte ${at - start} of the string`, at)
}

// ---------------------------------------------------------------------------
// Escaped bytes: UTF-8 that is not validated, kept losslessly in a string

/**
 * A byte that is not part of a well-formed UTF-8 sequence (RFC 3629, as
 * `firstInvalid` tells them) is held in a string as the lone low surrogate
 * U+DC00 + the byte, as Python's "surrogateescape" does. ASCII is always
 * well-formed, so escapes are U+DC80 … U+DCFF.
 */
const ESCAPE = 0xdc00

/**
 * True when every lone surrogate of `s`, if any, is an escaped byte
 * (U+DC80 … U+DCFF), so that `s` has a byte form.
 */
export function isEscapedText(s: string): boolean {
  if (isWellFormed(s)) return true
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0xd800 || c > 0xdfff) continue
    if (c <= 0xdbff) {
      const d = s.charCodeAt(i + 1) // NaN past the end
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false
      i++
    } else if (c < 0xdc80 || c > 0xdcff) return false // a low surrogate after no high one: lone
  }
  return true
}

/**
 * Write the bytes of `s`, which `isEscapedText` accepts, at `pos`, where
 * `buf` has room for 3 bytes a UTF-16 unit; returns the new position. Text
 * is written as UTF-8, and each escape as its byte.
 */
export function encodeEscapedInto(s: string, buf: Uint8Array, pos: number): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) {
      buf[pos++] = c
    } else if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6)
      buf[pos++] = 0x80 | (c & 0x3f)
    } else if (c >= 0xd800 && c <= 0xdbff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00)
      buf[pos++] = 0xf0 | (c >> 18)
      buf[pos++] = 0x80 | ((c >> 12) & 0x3f)
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f)
      buf[pos++] = 0x80 | (c & 0x3f)
    } else if (c >= 0xdc80 && c <= 0xdcff) {
      // Lone: the low half of a pair went with its high half, above.
      buf[pos++] = c - ESCAPE
    } else {
      buf[pos++] = 0xe0 | (c >> 12)
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f)
      buf[pos++] = 0x80 | (c & 0x3f)
    }
  }
  return pos
}

/** The bytes of a string that `isEscapedText` accepts. */
export function encodeEscaped(s: string): Uint8Array {
  const buf = new Uint8Array(3 * s.length)
  return buf.subarray(0, encodeEscapedInto(s, buf, 0))
}

/**
 * Decode `buf[start, end)` as `decodeUtf8` does, but losslessly: a byte
 * that is not part of a well-formed UTF-8 sequence becomes its escape
 * instead of an error. Valid UTF-8 takes `decodeUtf8`'s own way, at its
 * cost; only input that fails validation is decoded again, escaping.
 */
export function decodeUtf8Escaped(buf: Uint8Array, start: number, end: number): string {
  return decodeIfValid(buf, start, end) ?? decodeEscaping(buf, start, end)
}

/** Code units are turned into a string this many at a time (they are passed as arguments). */
const CHUNK = 8192

/** The first `n` code units of `units` as a string. */
function fromUnits(units: Uint16Array, n: number): string {
  let out = ''
  // apply takes the typed array as it is; a spread would iterate it.
  for (let k = 0; k < n; k += CHUNK) out += String.fromCharCode.apply(null, units.subarray(k, Math.min(n, k + CHUNK)) as unknown as number[])
  return out
}

/** A valid stretch longer than this is decoded by the decoder, quicker than here once its call is paid. */
const LONG_STRETCH = 256

/**
 * `b[s, e)` as a string, each byte that is not part of a well-formed
 * sequence escaped. The validator finds where each valid stretch ends;
 * the stretch is decoded (here without checks, or by the decoder when it
 * is long), then the byte after it is escaped.
 */
function decodeEscaping(b: Uint8Array, s: number, e: number): string {
  // No more UTF-16 units than bytes: a unit for one to three bytes, two for four.
  const units = new Uint16Array(e - s)
  let n = 0
  let out = ''
  let i = s
  while (i < e) {
    const at = firstInvalid(b, i, e)
    if (at - i > LONG_STRETCH) {
      out += fromUnits(units, n) + decoder.decode(b.subarray(i, at))
      n = 0
      i = at
    }
    while (i < at) {
      const c = b[i]!
      if (c < 0x80) {
        units[n++] = c
        i++
      } else if (c < 0xe0) {
        units[n++] = ((c & 0x1f) << 6) | (b[i + 1]! & 0x3f)
        i += 2
      } else if (c < 0xf0) {
        units[n++] = ((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f)
        i += 3
      } else {
        const p = (((c & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f)) - 0x10000
        units[n++] = 0xd800 | (p >> 10)
        units[n++] = 0xdc00 | (p & 0x3ff)
        i += 4
      }
    }
    if (at < e) {
      units[n++] = ESCAPE + b[at]!
      i = at + 1
    }
  }
  return out + fromUnits(units, n)
}

/** Bytes as `unvalidatedString` reads them: UTF-8, with an escape for each byte that is not part of it. */
export function unvalidatedText(bytes: Uint8Array): string {
  return decodeUtf8Escaped(bytes, 0, bytes.length)
}
