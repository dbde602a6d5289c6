/**
 * UTF-8 for the byte layer: exact lengths, encoding into a buffer, and a
 * validating decoder that reports where the bytes go wrong.
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
    } else {
      buf[pos++] = 0xe0 | (c >> 12)
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f)
      buf[pos++] = 0x80 | (c & 0x3f)
    }
  }
  return pos
}

/** The UTF-8 bytes of a well-formed string. */
export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s)
}

/** Decode UTF-8 from `buf[start, end)`, rejecting anything that is not valid UTF-8. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  let i = start
  while (i < end && buf[i]! < 0x80) i++
  if (i === end) return ascii(buf, start, end)
  // Short strings: validated here and made by Node's utf8Slice (measured 40%
  // quicker than decoding them in JavaScript, and than the decoder's call).
  if (utf8Slice !== undefined && end - start <= 256) {
    if (firstInvalid(buf, i, end) === end) return utf8Slice.call(buf, start, end)
  } else if (end - start <= SHORT) {
    const s = decodeShort(buf, start, end)
    if (s !== undefined) return s
  } else {
    try {
      return decoder.decode(buf.subarray(start, end))
    } catch {
      // Reported below, with where it goes wrong.
    }
  }
  const at = firstInvalid(buf, start, end)
  throw new ProtoError('invalid-utf8', `invalid UTF-8 at byte ${at - start} of the string`, at)
}

const fromCharCode = String.fromCharCode

/**
 * ASCII bytes as a string. Up to 8 characters, one call with the codes as
 * arguments, up to 16 two (measured quicker than adding characters one by
 * one, or than any native slice); longer, Node's latin1Slice where there is
 * one.
 */
function ascii(b: Uint8Array, s: number, e: number): string {
  switch (e - s) {
    case 0:
      return ''
    case 1:
      return fromCharCode(b[s]!)
    case 2:
      return fromCharCode(b[s]!, b[s + 1]!)
    case 3:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!)
    case 4:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!)
    case 5:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!)
    case 6:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!)
    case 7:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!)
    case 8:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!)
  }
  if (e - s <= 16) return ascii(b, s, s + 8) + ascii(b, s + 8, e)
  if (latin1Slice !== undefined) return latin1Slice.call(b, s, e)
  let out = ''
  for (; s + 8 <= e; s += 8) out += fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!)
  for (; s < e; s++) out += fromCharCode(b[s]!)
  return out
}

const SHORT = 40

/** Node's Buffer#latin1Slice, which takes any Uint8Array; undefined outside Node. */
const latin1Slice = (globalThis as { Buffer?: { prototype: { latin1Slice?: (this: Uint8Array, start: number, end: number) => string } } }).Buffer
  ?.prototype.latin1Slice

/** Node's Buffer#utf8Slice, which takes any Uint8Array and does not validate; undefined outside Node. */
const utf8Slice = (globalThis as { Buffer?: { prototype: { utf8Slice?: (this: Uint8Array, start: number, end: number) => string } } }).Buffer
  ?.prototype.utf8Slice

/** A short string, or undefined if its bytes are not valid UTF-8 (RFC 3629). */
function decodeShort(buf: Uint8Array, start: number, end: number): string | undefined {
  let s = ''
  let i = start
  while (i < end) {
    const b = buf[i]!
    if (b < 0x80) {
      s += String.fromCharCode(b)
      i++
      continue
    }
    if (b >= 0xc2 && b <= 0xdf) {
      if (i + 1 >= end) return undefined
      const c1 = buf[i + 1]!
      if ((c1 & 0xc0) !== 0x80) return undefined
      s += String.fromCharCode(((b & 0x1f) << 6) | (c1 & 0x3f))
      i += 2
    } else if (b >= 0xe0 && b <= 0xef) {
      if (i + 2 >= end) return undefined
      const c1 = buf[i + 1]!
      const c2 = buf[i + 2]!
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return undefined
      const c = ((b & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f)
      // Overlong forms and surrogates are not UTF-8.
      if (c < 0x800 || (c >= 0xd800 && c <= 0xdfff)) return undefined
      s += String.fromCharCode(c)
      i += 3
    } else if (b >= 0xf0 && b <= 0xf4) {
      if (i + 3 >= end) return undefined
      const c1 = buf[i + 1]!
      const c2 = buf[i + 2]!
      const c3 = buf[i + 3]!
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) return undefined
      const c = ((b & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f)
      if (c < 0x10000 || c > 0x10ffff) return undefined
      s += String.fromCharCode(0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff))
      i += 4
    } else return undefined
  }
  return s
}

/**
 * The offset of the first byte that does not begin a valid UTF-8 sequence
 * (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
 */
export function firstInvalid(buf: Uint8Array, start: number, end: number): number {
  let i = start
  while (i < end) {
    const b = buf[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let n: number
    let lo = 0x80
    let hi = 0xbf
    if (b >= 0xc2 && b <= 0xdf) n = 1
    else if (b >= 0xe0 && b <= 0xef) {
      n = 2
      if (b === 0xe0) lo = 0xa0
      if (b === 0xed) hi = 0x9f
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3
      if (b === 0xf0) lo = 0x90
      if (b === 0xf4) hi = 0x8f
    } else return i
    if (i + n >= end) return i
    const c1 = buf[i + 1]!
    if (c1 < lo || c1 > hi) return i
    for (let k = 2; k <= n; k++) {
      const c = buf[i + k]!
      if (c < 0x80 || c > 0xbf) return i
    }
    i += n + 1
  }
  return end
}
