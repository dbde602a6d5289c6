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
  if (end - start <= 16) {
    // Short ASCII is the common case and cheaper without the decoder's call.
    let s = ''
    let i = start
    for (; i < end; i++) {
      const b = buf[i]!
      if (b >= 0x80) break
      s += String.fromCharCode(b)
    }
    if (i === end) return s
  }
  try {
    return decoder.decode(buf.subarray(start, end))
  } catch {
    const at = firstInvalid(buf, start, end)
    throw new ProtoError('invalid-utf8', `invalid UTF-8 at byte ${at - start} of the string`, at)
  }
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
