/**
 * Bytes without a schema, read as the wire format says and nothing more:
 * each field's number, wire type and payload, with the exact size of every
 * varint, so that the reading gives back the same bytes (cli/raw.ts writes
 * it as text and reads that text back). A length-delimited payload may be
 * a string, bytes or a message: which one is a guess, made here, and marked
 * as one wherever it is shown.
 *
 * @module
 */
import { ProtoError, Reader, WireType } from '../src/index.js'

/** Guessed messages and groups nest at most this deep; deeper payloads are shown as bytes. */
export const MAX_NESTING = 100

/** What a length-delimited payload looks like. */
export type Guess = 'text' | 'message' | 'bytes'

/** A varint as the bytes hold it: its value, and how many bytes it took. */
export interface VarintRead {
  readonly value: bigint
  readonly size: number
  /** Whether `value` written in `size` bytes gives these bytes back (bits past the 64th dropped make it false). */
  readonly exact: boolean
}

export type Payload =
  | { readonly wire: 'varint'; readonly varint: VarintRead; readonly at: number }
  | { readonly wire: 'i64' | 'i32'; readonly at: number }
  | {
      readonly wire: 'len'
      readonly length: VarintRead
      /** Where the payload starts and ends. */
      readonly at: number
      readonly end: number
      readonly guess: Guess
      /** The payload's fields, when it reads as a message. */
      readonly items?: readonly Item[]
    }
  | { readonly wire: 'group'; readonly items: readonly Item[]; readonly endTag: VarintRead; readonly endAt: number }

export type Item =
  | {
      readonly kind: 'field'
      readonly start: number
      readonly end: number
      readonly number: number
      readonly tag: VarintRead
      readonly payload: Payload
    }
  /** Bytes from the first that do not read as a field to the end of the message; `error` says why. */
  | { readonly kind: 'junk'; readonly start: number; readonly end: number; readonly error: ProtoError }
  /** A message of a delimited stream, behind its length. */
  | { readonly kind: 'record'; readonly start: number; readonly end: number; readonly length: VarintRead; readonly items: readonly Item[] }

const TWO_64 = 1n << 64n

/** A varint at `r.pos`, read as protoplate reads one (so with its errors), with its size and exactness. */
export function readVarint(r: Reader): VarintRead {
  const start = r.pos
  r.varint64()
  const size = r.pos - start
  const value = (BigInt(r.hi) << 32n) | BigInt(r.lo)
  // A tenth byte holds bit 63 only; anything more in it is dropped.
  return { value, size, exact: size < 10 || r.buf[start + 9]! <= 1 }
}

/** The fewest bytes a varint of `value` takes. */
export function varintSize(value: bigint): number {
  let n = 1
  for (let v = value >> 7n; v > 0n; v >>= 7n) n++
  return n
}

/** `value` as a varint of exactly `size` bytes (padded with continuation bytes), or undefined if it does not fit. */
export function varintBytes(value: bigint, size: number): number[] | undefined {
  if (value < 0n || value >= TWO_64 || size < varintSize(value) || size > 10) return undefined
  const out: number[] = []
  let v = value
  for (let i = 0; i < size; i++) {
    out.push(Number(v & 0x7fn) | (i < size - 1 ? 0x80 : 0))
    v >>= 7n
  }
  return out
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** The text of bytes that are well-formed UTF-8 with no control characters but tab, newline and return; else undefined. */
export function textOf(buf: Uint8Array, at: number, end: number): string | undefined {
  let s: string
  try {
    s = utf8.decode(buf.subarray(at, end))
  } catch {
    return undefined
  }
  // Not \p{C}: unassigned code points are still text a newer Unicode may assign.
  return /[\p{Cc}\p{Cs}](?<![\t\n\r])/u.test(s) ? undefined : s
}

/** Not a field: thrown inside a scan, caught where junk may stand. */
class NotAField {
  constructor(readonly error: ProtoError) {}
}

function fail(e: unknown): never {
  if (e instanceof ProtoError) throw new NotAField(e)
  throw e
}

/**
 * The fields of `buf[at, end)`. With `junk`, bytes from the first that do
 * not read as a field are one junk item; without, they throw `NotAField`
 * (for a payload that is then not a message).
 */
function scanFields(r: Reader, at: number, end: number, depth: number, junk: boolean, group?: number): { items: Item[]; endTag?: VarintRead; endAt?: number } {
  const items: Item[] = []
  const outer = r.end
  r.pos = at
  r.end = end
  try {
    while (r.pos < end) {
      const start = r.pos
      try {
        const t = scanField(r, depth, group)
        if ('close' in t) return { items, endTag: t.close, endAt: start }
        items.push(t)
      } catch (e) {
        if (!(e instanceof NotAField) || !junk) throw e
        items.push({ kind: 'junk', start, end, error: e.error })
        r.pos = end
      }
    }
    if (group !== undefined) throw new NotAField(new ProtoError('truncated', `input ends inside group ${group}`, at))
    return { items }
  } finally {
    r.end = outer
  }
}

/** One field at `r.pos`, or the end of the group being read. */
function scanField(r: Reader, depth: number, group: number | undefined): Item | { close: VarintRead } {
  const start = r.pos
  let tag: VarintRead
  try {
    const t = r.tag()
    tag = { value: BigInt(t), size: r.pos - start, exact: true }
  } catch (e) {
    fail(e)
  }
  const number = Number(tag.value >> 3n)
  const wt = Number(tag.value & 7n)
  let payload: Payload
  try {
    payload = scanPayload(r, wt, number, start, depth)
  } catch (e) {
    if (e instanceof NotAField) throw e
    if (e instanceof GroupEnd) {
      if (number === group) return { close: tag }
      fail(new ProtoError('group-mismatch', group === undefined ? `end of group ${number} with no group open` : `end of group ${number} closes group ${group}`, start))
    }
    fail(e)
  }
  return { kind: 'field', start, end: r.pos, number, tag, payload }
}

class GroupEnd {}

function scanPayload(r: Reader, wt: number, number: number, tagStart: number, depth: number): Payload {
  const at = r.pos
  switch (wt) {
    case WireType.VARINT: {
      return { wire: 'varint', varint: readVarint(r), at }
    }
    case WireType.I64:
      r.skip(wt, tagStart, 0)
      return { wire: 'i64', at }
    case WireType.I32:
      r.skip(wt, tagStart, 0)
      return { wire: 'i32', at }
    case WireType.LEN: {
      const lengthStart = r.pos
      const end = r.length()
      const length = { value: BigInt(end - r.pos), size: r.pos - lengthStart, exact: r.pos - lengthStart < 10 || r.buf[lengthStart + 9]! <= 1 }
      if (!length.exact) throw new ProtoError('malformed-varint', 'length prefix with bits past the 64th (dropped when read)', lengthStart)
      const start = r.pos
      const read = guessPayload(r, start, end, depth)
      r.pos = end
      return { wire: 'len', length, at: start, end, ...read }
    }
    case WireType.SGROUP: {
      if (depth >= MAX_NESTING) throw new ProtoError('depth-limit', 'groups nested beyond the depth limit', at)
      const g = scanFields(r, at, r.end, depth + 1, false, number)
      return { wire: 'group', items: g.items, endTag: g.endTag!, endAt: g.endAt! }
    }
    case WireType.EGROUP:
      throw new GroupEnd()
    default:
      throw new ProtoError('invalid-wire-type', `wire type ${wt}`, tagStart)
  }
}

/** Text when the payload is text; else a message when it reads as one, whole; else bytes. */
export function guessPayload(r: Reader, at: number, end: number, depth: number): { guess: Guess; items?: readonly Item[] } {
  if (at === end || textOf(r.buf, at, end) !== undefined) return { guess: 'text' }
  if (depth < MAX_NESTING) {
    try {
      return { guess: 'message', items: scanFields(r, at, end, depth + 1, false).items }
    } catch (e) {
      if (!(e instanceof NotAField)) throw e
    }
  }
  return { guess: 'bytes' }
}

/** Progress through the top level of a scan: called with the offset reached. */
export type OnProgress = (offset: number) => void

/** The fields of a whole message; bytes past the first that does not read as a field are junk. */
export function scan(buf: Uint8Array, onProgress?: OnProgress): Item[] {
  const r = new Reader(buf)
  const items: Item[] = []
  while (r.pos < buf.length) {
    onProgress?.(r.pos)
    const start = r.pos
    try {
      const t = scanField(r, 0, undefined)
      items.push(t as Item)
    } catch (e) {
      if (!(e instanceof NotAField)) throw e
      items.push({ kind: 'junk', start, end: buf.length, error: e.error })
      break
    }
  }
  return items
}

/** The messages of a length-delimited stream; bytes that are no whole message behind its length are junk. */
export function scanDelimited(buf: Uint8Array, onProgress?: OnProgress): Item[] {
  const r = new Reader(buf)
  const items: Item[] = []
  while (r.pos < buf.length) {
    onProgress?.(r.pos)
    const start = r.pos
    let length: VarintRead
    let end: number
    try {
      end = r.length()
      length = { value: BigInt(end - r.pos), size: r.pos - start, exact: r.pos - start < 10 || buf[start + 9]! <= 1 }
      if (!length.exact) throw new ProtoError('malformed-varint', 'length prefix with bits past the 64th (dropped when read)', start)
    } catch (e) {
      if (!(e instanceof ProtoError)) throw e
      items.push({ kind: 'junk', start, end: buf.length, error: e })
      break
    }
    const payload = scanFields(r, r.pos, end, 0, true).items
    r.pos = end
    items.push({ kind: 'record', start, end, length, items: payload })
  }
  return items
}
