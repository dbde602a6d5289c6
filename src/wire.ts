/**
 * The byte layer: a reader and a writer for the protobuf wire format.
 * It knows varints, zigzag, fixed-width numbers, floats, length prefixes and
 * tags, and nothing about templates.
 *
 * 64-bit integers travel as two unsigned 32-bit halves (`lo`, `hi`), so the
 * hot paths never touch `bigint`; conversions to `number` (exact up to
 * 2^53−1) and `bigint` are at the edges.
 *
 * @module
 */
import { ProtoError } from './errors.js'
import { decodeUtf8, encodeUtf8Into } from './utf8.js'

/** The wire types of the protobuf encoding. */
export const WireType = {
  VARINT: 0,
  I64: 1,
  LEN: 2,
  SGROUP: 3,
  EGROUP: 4,
  I32: 5,
} as const
export type WireType = (typeof WireType)[keyof typeof WireType]

export const MAX_FIELD_NUMBER = 0x1fffffff

/** A tag as the number its varint holds. */
export const tagValue = (fieldNumber: number, wireType: WireType): number => ((fieldNumber << 3) | wireType) >>> 0
const TWO_32 = 4294967296
/** Largest length prefix accepted: protobuf messages are limited to 2 GiB − 1. */
export const MAX_LENGTH = 0x7fffffff

/** Encode results of up to SLAB_MAX_PIECE bytes are cut from shared slabs of SLAB_SIZE. */
const SLAB_SIZE = 64 * 1024
const SLAB_MAX_PIECE = 4 * 1024
let slab = new ArrayBuffer(SLAB_SIZE)
let slabUsed = 0

// ---------------------------------------------------------------------------
// 64-bit arithmetic on halves

/** Split a non-negative integer ≤ 2^64 − 1 given as a number into halves. */
export function splitUnsigned(v: number): [lo: number, hi: number] {
  return [v >>> 0, Math.floor(v / TWO_32) >>> 0]
}

/** Two's complement halves of a safe integer (negative values sign-extend to 64 bits). */
export function splitSigned(v: number): [lo: number, hi: number] {
  if (v >= 0) return splitUnsigned(v)
  const [lo, hi] = splitUnsigned(-v)
  return negate(lo, hi)
}

function negate(lo: number, hi: number): [number, number] {
  const nlo = (~lo + 1) >>> 0
  const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0
  return [nlo, nhi]
}

export function splitBigUnsigned(v: bigint): [lo: number, hi: number] {
  const u = BigInt.asUintN(64, v)
  return [Number(u & 0xffffffffn), Number(u >> 32n)]
}

export function joinBigUnsigned(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)
}

export function joinBigSigned(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, joinBigUnsigned(lo, hi))
}

// The two joins below name nothing but their arguments: the compiler writes
// their source into each template's code (see `Source.of` in snippets.ts).
// Beyond the safe range they give NaN, not undefined, so that compiled
// code keeps their result an unboxed double: an undefined among the
// results makes V8 box every value past 31 bits, and so does the global
// `NaN`, where `Number.NaN` does not (docs/performance.md).

/** The halves as an unsigned number, or NaN beyond 2^53 − 1. */
export function joinUnsigned(lo: number, hi: number): number {
  hi >>>= 0
  return hi > 0x1fffff ? Number.NaN : hi * 4294967296 + (lo >>> 0)
}

/** The halves as a two's complement number, or NaN beyond ±(2^53 − 1). */
export function joinSigned(lo: number, hi: number): number {
  if ((hi & 0x80000000) === 0) return hi > 0x1fffff ? Number.NaN : hi * 4294967296 + (lo >>> 0)
  // The magnitude's halves, without an array: this is on the decode path.
  const mlo = (~lo + 1) >>> 0
  const mhi = (~hi + (mlo === 0 ? 1 : 0)) >>> 0
  return mhi > 0x1fffff ? Number.NaN : -(mhi * 4294967296 + mlo)
}

/** Zigzag encoding of two's complement halves. */
export function zigzagEncode(lo: number, hi: number): [number, number] {
  const sign = hi >> 31
  return [((lo << 1) ^ sign) >>> 0, (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0]
}

/** Zigzag decoding to two's complement halves. */
export function zigzagDecode(lo: number, hi: number): [number, number] {
  const sign = -(lo & 1)
  return [(((lo >>> 1) | (hi << 31)) ^ sign) >>> 0, ((hi >>> 1) ^ sign) >>> 0]
}

/** How many bytes the varint of an unsigned 32-bit value takes. */
export function varint32Size(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5
}

// ---------------------------------------------------------------------------
// Writer

/**
 * A growable byte buffer. Length-delimited payloads are written in place
 * after a one-byte reservation (`fork`), so nothing is measured twice. A
 * length that turns out to need more than that byte (128 or more) is kept
 * aside (`defer`) and written by `finish`, which moves each stretch of
 * bytes between such lengths once: moved at each `join` instead, the bytes
 * of a payload nested twenty deep were moved up to twenty times (an eighth
 * of the time of encoding the benchmark's XML-like message).
 */
export class Writer {
  buf: Uint8Array
  pos = 0
  /** Bytes the deferred lengths will add, beyond the one byte kept for each. */
  extra = 0
  private view: DataView
  // Three stacks, each an array and its height: an array emptied by setting
  // its length, or popped, gives its store back, and would grow again at
  // every message (docs/performance.md).
  /** Deferred lengths, as (mark, length) pairs in the order their payloads ended. */
  private readonly deferred: number[] = []
  private nDeferred = 0
  /** `extra` at each open `fork`, for its `join`. */
  private readonly open: number[] = []
  private nOpen = 0
  /** Room for `settle`. */
  private readonly waiting: number[] = []

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize)
    this.view = new DataView(this.buf.buffer)
  }

  /** Make room for n more bytes. */
  ensure(n: number): void {
    const need = this.pos + n
    if (need <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < need) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.pos))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  /**
   * The bytes written so far, as an array of exactly their length.
   *
   * Results of up to 4 KiB are views into a slab shared with other results,
   * as Node's Buffer pool does: allocating an ArrayBuffer each costs more
   * than encoding a small message. So such a result's `.buffer` holds other
   * results too: read and write only within the view (mind `byteOffset`),
   * and never transfer that buffer (`postMessage(x, [x.buffer])`,
   * `structuredClone(x, { transfer: … })`): it would empty every other
   * result cut from it. (Later results do not suffer: they come from a new
   * slab.) With `ownBuffer`, the result owns its whole buffer
   * (`byteOffset` 0, `buffer.byteLength === length`) and may be transferred.
   */
  finish(ownBuffer = false): Uint8Array {
    if (this.extra !== 0) this.settle()
    const n = this.pos
    if (n > SLAB_MAX_PIECE || ownBuffer) return this.buf.slice(0, n)
    if (slabUsed + n > SLAB_SIZE) {
      slab = new ArrayBuffer(SLAB_SIZE)
      slabUsed = 0
    }
    let out: Uint8Array
    try {
      out = new Uint8Array(slab, slabUsed, n)
    } catch {
      // The slab is detached: a result's owner transferred its buffer. No
      // view of it can be made (not even an empty one); cut a new slab. A
      // try costs nothing until it throws; checking slab.byteLength each
      // time cost a small message's encode (docs/performance.md).
      slab = new ArrayBuffer(SLAB_SIZE)
      slabUsed = 0
      out = new Uint8Array(slab, 0, n)
    }
    slabUsed = (slabUsed + n + 7) & ~7
    out.set(n === this.buf.length ? this.buf : this.buf.subarray(0, n))
    return out
  }

  byte(b: number): void {
    this.ensure(1)
    this.buf[this.pos++] = b
  }

  /** Varint of an unsigned 32-bit value. */
  uint32(v: number): void {
    this.ensure(5)
    const buf = this.buf
    let pos = this.pos
    v >>>= 0
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80
      v >>>= 7
    }
    buf[pos++] = v
    this.pos = pos
  }

  /** Varint of a 64-bit value given as halves. */
  varint64(lo: number, hi: number): void {
    this.ensure(10)
    const buf = this.buf
    let pos = this.pos
    lo >>>= 0
    hi >>>= 0
    while (hi !== 0) {
      buf[pos++] = (lo & 0x7f) | 0x80
      lo = ((lo >>> 7) | (hi << 25)) >>> 0
      hi >>>= 7
    }
    while (lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80
      lo >>>= 7
    }
    buf[pos++] = lo
    this.pos = pos
  }

  tag(fieldNumber: number, wireType: WireType): void {
    this.uint32(((fieldNumber << 3) | wireType) >>> 0)
  }

  fixed32(v: number): void {
    this.ensure(4)
    this.view.setUint32(this.pos, v >>> 0, true)
    this.pos += 4
  }

  fixed64(lo: number, hi: number): void {
    this.ensure(8)
    this.view.setUint32(this.pos, lo >>> 0, true)
    this.view.setUint32(this.pos + 4, hi >>> 0, true)
    this.pos += 8
  }

  float(v: number): void {
    this.ensure(4)
    this.view.setFloat32(this.pos, v, true)
    this.pos += 4
  }

  double(v: number): void {
    this.ensure(8)
    this.view.setFloat64(this.pos, v, true)
    this.pos += 8
  }

  /** Raw bytes, no prefix. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length)
    this.buf.set(bytes, this.pos)
    this.pos += bytes.length
  }

  /** Length-prefixed bytes. */
  bytes(bytes: Uint8Array): void {
    this.uint32(bytes.length)
    this.raw(bytes)
  }

  /** Length-prefixed UTF-8 of a well-formed string, in one pass: the prefix is patched after. */
  string(s: string): void {
    const n = s.length
    this.ensure(n * 3 + 1)
    const buf = this.buf
    const mark = this.pos
    if (n < 0x80) {
      // ASCII of under 128 characters, the common case: copied as it is scanned, prefix one byte.
      let i = 0
      for (; i < n; i++) {
        const c = s.charCodeAt(i)
        if (c >= 0x80) break
        buf[mark + 1 + i] = c
      }
      if (i === n) {
        buf[mark] = n
        this.pos = mark + 1 + n
        return
      }
    }
    this.pos = encodeUtf8Into(s, buf, mark + 1)
    this.close(mark, this.extra)
  }

  /** Start a length-delimited payload; returns the mark for `join`. */
  fork(): number {
    this.ensure(1)
    this.open[this.nOpen++] = this.extra
    return this.pos++
  }

  /** End the payload started at `mark` by the last open `fork`, writing its length before it. */
  join(mark: number): void {
    this.close(mark, this.open[--this.nOpen]!)
  }

  /** End the payload started at `mark`, when `extra` was `extraAtMark`. */
  close(mark: number, extraAtMark: number): void {
    const len = this.pos - mark - 1 + this.extra - extraAtMark
    if (len < 0x80) this.buf[mark] = len
    else this.defer(mark, len)
  }

  /** Keep aside the length `len`, of 128 or more, of the payload after the byte at `mark`. */
  defer(mark: number, len: number): void {
    const d = this.deferred
    d[this.nDeferred++] = mark
    d[this.nDeferred++] = len
    this.extra += varint32Size(len) - 1
  }

  /**
   * Write the deferred lengths, the last mark first, moving the bytes after
   * each by what the lengths before it add. They were kept in the order
   * their payloads ended, inner ones first; read from the end, that order
   * puts the marks in descending order through one stack: a mark waits
   * there until the next one read is smaller (the marks after it in the
   * list are of payloads before it, or inside it).
   */
  private settle(): void {
    const d = this.deferred
    const waiting = this.waiting
    let shift = this.extra
    this.ensure(shift)
    const buf = this.buf
    let end = this.pos
    let n = 0
    for (let i = this.nDeferred - 2; i >= -2; i -= 2) {
      const next = i >= 0 ? d[i]! : -1
      while (n > 0 && d[waiting[n - 1]!]! > next) {
        const j = waiting[--n]!
        const mark = d[j]!
        let v = d[j + 1]!
        // Most stretches are a few bytes (a name, some numbers): a loop beats the call.
        if (end - mark - 1 > 32) buf.copyWithin(mark + 1 + shift, mark + 1, end)
        else for (let k = end - 1; k > mark; k--) buf[k + shift] = buf[k]!
        shift -= varint32Size(v) - 1
        let p = mark + shift
        while (v > 0x7f) {
          buf[p++] = (v & 0x7f) | 0x80
          v >>>= 7
        }
        buf[p] = v
        end = mark
      }
      if (i >= 0) waiting[n++] = i
    }
    this.pos += this.extra
    this.extra = 0
    this.nDeferred = 0
  }

  /** Empty the writer, for another message. */
  reset(): void {
    this.pos = 0
    this.extra = 0
    this.nDeferred = 0
    this.nOpen = 0
  }
}

// ---------------------------------------------------------------------------
// Reader

/**
 * The bytes to read, as a plain Uint8Array. A Node Buffer's slice() is a
 * view, not a copy: read through a plain Uint8Array so that decoded bytes
 * never alias the input.
 *
 * Takes a Uint8Array (a Node Buffer or another subclass, one of another
 * realm, at any byteOffset) and an ArrayBuffer (read whole). Anything else
 * (null, a string, an array, a DataView or another typed array, a
 * SharedArrayBuffer, a detached ArrayBuffer) is an `invalid-argument`
 * error, never a TypeError. A Uint8Array whose buffer was transferred away
 * has length 0, as JavaScript has it, and reads as empty.
 */
export function plain(buf: Uint8Array | ArrayBuffer): Uint8Array {
  // `buf.constructor` throws for null and undefined: a try costs nothing
  // where nothing is thrown, where `buf?.constructor` cost a small
  // message's decode (docs/performance.md).
  try {
    if (buf.constructor === Uint8Array) return buf as Uint8Array
  } catch {
    return bytesOf(buf) // not bytes
  }
  // A Node Buffer or another subclass.
  if (buf instanceof Uint8Array) return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
  return bytesOf(buf)
}

/** The brand checks of the slow path: a getter that reads an internal slot cannot be fooled. */
const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!
const arrayBufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!

function bytesOf(x: unknown): Uint8Array {
  if (ArrayBuffer.isView(x)) {
    // A Uint8Array of another realm (a vm context) is no instance of this realm's.
    if (typedArrayName.call(x) === 'Uint8Array') return new Uint8Array(x.buffer, x.byteOffset, x.byteLength)
  } else if (isArrayBuffer(x)) {
    if (isDetached(x)) throw notBytes('a detached ArrayBuffer (transferred away)')
    return new Uint8Array(x)
  }
  throw notBytes(describe(x))
}

function isArrayBuffer(x: unknown): x is ArrayBuffer {
  try {
    arrayBufferLength.call(x) // throws for anything but an ArrayBuffer (a SharedArrayBuffer too)
    return true
  } catch {
    return false
  }
}

/** Node 20 has no `ArrayBuffer.prototype.detached`; a view of a detached buffer cannot be made. */
function isDetached(b: ArrayBuffer): boolean {
  if (b.byteLength !== 0) return false
  try {
    new Uint8Array(b, 0, 0)
    return false
  } catch {
    return true
  }
}

function notBytes(got: string): ProtoError {
  const hint = / SharedArrayBuffer$/.test(got)
    ? '; wrap it, new Uint8Array(x), and keep it unchanged while decoding'
    : / (DataView|\w+Array)$/.test(got)
      ? '; view its bytes: new Uint8Array(x.buffer, x.byteOffset, x.byteLength)'
      : ''
  return new ProtoError('invalid-argument', `expected bytes (a Uint8Array or an ArrayBuffer), got ${got}${hint}`)
}

/** What a value that is not bytes is, for the error: `null`, `a string`, `an Int8Array`, `a DataView`. */
function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x)
  if (typeof x !== 'object' && typeof x !== 'function') return `a ${typeof x}`
  try {
    if (Array.isArray(x)) return 'an array'
    const name = (typedArrayName.call(x) as string | undefined) ?? Object.prototype.toString.call(x).slice(8, -1)
    if (name === 'Object') return 'an object'
    if (name === 'Function') return 'a function'
    return `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name}`
  } catch {
    return 'an object' // a revoked Proxy
  }
}

/**
 * A cursor over bytes. `end` bounds the current message, so a payload that
 * claims more than its enclosing message holds is caught where it is read.
 * Every failure is a `ProtoError` with the offset of the item that failed.
 */
export class Reader {
  buf: Uint8Array
  pos: number
  end: number
  /** The halves of the last 64-bit value read. */
  lo = 0
  hi = 0
  private dataView: DataView | undefined

  /** Over a Uint8Array or an ArrayBuffer (whole); anything else is an `invalid-argument` `ProtoError`. */
  constructor(buf: Uint8Array | ArrayBuffer, pos = 0, end?: number) {
    this.buf = plain(buf)
    this.pos = pos
    this.end = end ?? this.buf.length
  }

  /** Read `buf` from its start, as a new reader would: for a reader kept between messages. */
  reset(buf: Uint8Array | ArrayBuffer): void {
    this.buf = plain(buf)
    this.pos = 0
    this.end = this.buf.length
    this.dataView = undefined
  }
  /** Made on first use: most messages have no fixed-width field, and a DataView costs an allocation. */
  get view(): DataView {
    return (this.dataView ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength))
  }

  truncated(start: number, what: string): ProtoError {
    return new ProtoError('truncated', `input ends inside ${what}`, start)
  }

  /**
   * A varint into `lo`/`hi`. Up to 10 bytes; bits past the 64th are dropped,
   * as Google's parsers do.
   */
  varint64(): void {
    const buf = this.buf
    const start = this.pos
    let pos = start
    const end = this.end
    let lo = 0
    let hi = 0
    let b: number
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw this.truncated(start, 'a varint')
      b = buf[pos++]!
      lo |= (b & 0x7f) << shift
      if (b < 0x80) {
        this.pos = pos
        this.lo = lo >>> 0
        this.hi = 0
        return
      }
    }
    if (pos >= end) throw this.truncated(start, 'a varint')
    b = buf[pos++]!
    lo |= (b & 0x0f) << 28
    hi = (b & 0x7f) >> 4
    if (b >= 0x80) {
      for (let shift = 3; ; shift += 7) {
        if (pos >= end) throw this.truncated(start, 'a varint')
        b = buf[pos++]!
        if (shift < 32) hi |= (b & 0x7f) << shift
        if (b < 0x80) break
        if (shift >= 31) throw new ProtoError('malformed-varint', 'varint longer than 10 bytes', start)
      }
    }
    this.pos = pos
    this.lo = lo >>> 0
    this.hi = hi >>> 0
  }

  /** A varint's low 32 bits, unsigned (int32/uint32 truncation, as in Google's runtimes). */
  uint32(): number {
    const buf = this.buf
    const pos = this.pos
    if (pos < this.end) {
      const b = buf[pos]!
      if (b < 0x80) {
        this.pos = pos + 1
        return b
      }
    }
    this.varint64()
    return this.lo
  }

  /** A tag: field number and wire type, with the field number checked. */
  tag(): number {
    const start = this.pos
    const buf = this.buf
    let pos = start
    let v = 0
    for (let shift = 0; ; shift += 7) {
      if (pos >= this.end) throw this.truncated(start, 'a tag')
      const b = buf[pos++]!
      if (shift === 28) {
        if (b > 0x0f) throw new ProtoError('invalid-tag', 'tag beyond field number 2^29−1 or longer than 5 bytes', start)
        v = (v | (b << 28)) >>> 0
        break
      }
      v |= (b & 0x7f) << shift
      if (b < 0x80) break
    }
    this.pos = pos
    if (v >>> 3 === 0) throw new ProtoError('invalid-tag', 'field number 0', start)
    if ((v & 7) > 5) throw new ProtoError('invalid-wire-type', `wire type ${v & 7}`, start)
    return v
  }

  fixed32(): number {
    if (this.end - this.pos < 4) throw this.truncated(this.pos, 'a fixed 32-bit value')
    const v = this.view.getUint32(this.pos, true)
    this.pos += 4
    return v
  }

  /** A fixed 64-bit value into `lo`/`hi`. */
  fixed64(): void {
    if (this.end - this.pos < 8) throw this.truncated(this.pos, 'a fixed 64-bit value')
    this.lo = this.view.getUint32(this.pos, true)
    this.hi = this.view.getUint32(this.pos + 4, true)
    this.pos += 8
  }

  float(): number {
    if (this.end - this.pos < 4) throw this.truncated(this.pos, 'a float')
    const v = this.view.getFloat32(this.pos, true)
    this.pos += 4
    return v
  }

  double(): number {
    if (this.end - this.pos < 8) throw this.truncated(this.pos, 'a double')
    const v = this.view.getFloat64(this.pos, true)
    this.pos += 8
    return v
  }

  /**
   * A length prefix; returns the end of the payload it announces, checked
   * against the current bound before anything is allocated.
   */
  length(): number {
    const start = this.pos
    this.varint64()
    if (this.hi !== 0 || this.lo > MAX_LENGTH) {
      throw new ProtoError('invalid-length', `length prefix of 2^31 or more`, start)
    }
    const end = this.pos + this.lo
    if (end > this.end) throw this.truncated(this.pos, `a length-delimited payload (${this.lo} bytes announced, ${this.end - this.pos} left)`)
    return end
  }

  /** Length-prefixed bytes, copied. */
  bytes(): Uint8Array {
    const end = this.length()
    const out = this.buf.slice(this.pos, end)
    this.pos = end
    return out
  }

  /** Length-prefixed UTF-8, validated. */
  string(): string {
    const end = this.length()
    const s = decodeUtf8(this.buf, this.pos, end)
    this.pos = end
    return s
  }

  /**
   * Skip the payload of a field whose tag, read at `tagStart`, has been
   * read. Groups are skipped without recursion, up to `depthLeft` levels.
   */
  skip(tag: number, tagStart: number, depthLeft: number): void {
    const start = this.pos
    switch (tag & 7) {
      case WireType.VARINT:
        this.varint64()
        return
      case WireType.I64:
        if (this.end - this.pos < 8) throw this.truncated(start, 'a fixed 64-bit value')
        this.pos += 8
        return
      case WireType.LEN:
        this.pos = this.length()
        return
      case WireType.I32:
        if (this.end - this.pos < 4) throw this.truncated(start, 'a fixed 32-bit value')
        this.pos += 4
        return
      case WireType.SGROUP: {
        const open: number[] = [tag >>> 3]
        // The offset is where the group's payload starts, as for known groups.
        if (open.length > depthLeft) throw new ProtoError('depth-limit', 'groups nested beyond the depth limit', start)
        while (open.length > 0) {
          const at = this.pos
          const t = this.tag()
          const wt = t & 7
          if (wt === WireType.EGROUP) {
            if (t >>> 3 !== open[open.length - 1]) {
              throw new ProtoError('group-mismatch', `end of group ${t >>> 3} closes group ${open[open.length - 1]}`, at)
            }
            open.pop()
          } else if (wt === WireType.SGROUP) {
            open.push(t >>> 3)
            if (open.length > depthLeft) throw new ProtoError('depth-limit', 'groups nested beyond the depth limit', this.pos)
          } else {
            this.skip(t, at, 0)
          }
        }
        return
      }
      case WireType.EGROUP:
        throw new ProtoError('group-mismatch', `end of group ${tag >>> 3} with no group open`, tagStart)
      default:
        throw new ProtoError('invalid-wire-type', `wire type ${tag & 7}`, tagStart)
    }
  }
}
