/**
 * The raw text form: bytes without a schema as lines of field number, wire
 * type and value, nested messages indented (and marked as guesses), and
 * that text back to the same bytes, byte for byte. docs/cli.md describes
 * the form; in short:
 *
 *     1 varint 150
 *     2 len "text"
 *     3 len <00 ff>
 *     4 len {  # guess: a message
 *       1 i64 1.5
 *     }
 *     5 group {
 *       1 i32 7
 *     }
 *     junk <ff ff>  # invalid-tag (byte 9): …
 *
 * A varint written in more bytes than it needs carries its size: `0~2` is
 * `80 00`, `1~2 varint 5` a tag of two bytes, `len~2` a length prefix of
 * two, `}~2` an end of group of two; one with bits past the 64th is written
 * as its bytes, `<…>`.
 *
 * @module
 */
import { Writer } from '../src/index.js'
import type { Style } from './io.js'
import { type Item, type Payload, textOf, type VarintRead, varintBytes, varintSize } from './scan.js'

const hexOf = (buf: Uint8Array, at: number, end: number): string => {
  const out: string[] = []
  for (let i = at; i < end; i++) out.push(buf[i]!.toString(16).padStart(2, '0'))
  return out.join(' ')
}

/** `~size` when the varint takes more bytes than it needs. */
const sized = (v: VarintRead): string => (v.size === varintSize(v.value) ? '' : `~${v.size}`)

/** A string literal: JSON's escapes but for the ones text allows as they are. */
export function quote(s: string): string {
  return JSON.stringify(s).replace(/\\u([0-9a-f]{4})/g, (m, h: string) => (parseInt(h, 16) >= 0x7f ? String.fromCharCode(parseInt(h, 16)) : m))
}

const TWO_63 = 1n << 63n
const TWO_64 = 1n << 64n

/** A float's shortest decimal that reads back to the same float32, always with a point or an exponent. */
function floatText(v: number, single: boolean): string {
  if (v === Infinity) return 'inf'
  if (v === -Infinity) return '-inf'
  if (Object.is(v, -0)) return '-0.0'
  let s = String(v)
  if (single) {
    for (let p = 1; p <= 9; p++) {
      const t = Number(v.toPrecision(p))
      if (Math.fround(t) === v) {
        s = String(t)
        break
      }
    }
  }
  return /[.e]/.test(s) ? s : `${s}.0`
}

/** Whether a float is worth showing as one: not a small integer's bits, not NaN, not subnormal, not of absurd magnitude or digits. */
function plausibleFloat(v: number, single: boolean): boolean {
  if (!Number.isFinite(v)) return !Number.isNaN(v)
  if (v === 0) return true
  const a = Math.abs(v)
  if (a < (single ? 1.1754943508222875e-38 : 2.2250738585072014e-308)) return false
  const digits = floatText(v, single).replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').length
  return digits <= (single ? 7 : 12) || (a >= 1e-6 && a < (single ? 1e9 : 1e15))
}

/**
 * A fixed-width value: an integer when its bits are a small one (as a float
 * they would be subnormal or NaN), else a float when it is a plausible
 * one, else the integer in hex.
 */
function fixedText(buf: Uint8Array, at: number, width: 4 | 8): string {
  const view = new DataView(buf.buffer, buf.byteOffset + at, width)
  const u = width === 8 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true))
  const bits = width === 8 ? 52n : 23n
  if (u < 1n << bits) return String(u)
  const signed = width === 8 ? view.getBigInt64(0, true) : BigInt(view.getInt32(0, true))
  if (signed < 0n && signed >= -(1n << bits)) return String(signed)
  const f = width === 8 ? view.getFloat64(0, true) : view.getFloat32(0, true)
  if (plausibleFloat(f, width === 4)) return floatText(f, width === 4)
  return `0x${u.toString(16).padStart(width * 2, '0')}`
}

/** The text of the items, one field a line. */
export function render(buf: Uint8Array, items: readonly Item[], style: Style): string {
  const out: string[] = []
  const c = style
  const line = (indent: string, s: string, note?: string): void => void out.push(`${indent}${s}${note === undefined ? '' : `  ${c.dim(`# ${note}`)}`}`)
  const walk = (items: readonly Item[], indent: string): void => {
    for (const it of items) {
      if (it.kind === 'junk') line(indent, `${c.bad('junk')} <${hexOf(buf, it.start, it.end)}>`, it.error.message)
      else if (it.kind === 'record') {
        line(indent, `${c.key(`message${sized(it.length)}`)} {`, `${Number(it.length.value)} bytes at byte ${it.start}`)
        walk(it.items, `${indent}  `)
        out.push(`${indent}}`)
      } else {
        const head = `${c.key(`${it.number}${sized(it.tag)}`)} ${c.wire(it.payload.wire)}`
        payload(it.payload, head, indent)
      }
    }
  }
  const payload = (p: Payload, head: string, indent: string): void => {
    switch (p.wire) {
      case 'varint': {
        const v = p.varint.value
        if (!p.varint.exact) {
          line(indent, `${head} ${c.value(`<${hexOf(buf, p.at, p.at + p.varint.size)}>`)}`, `${v}, bits past the 64th dropped`)
          return
        }
        line(indent, `${head} ${c.value(`${v}${sized(p.varint)}`)}`, v >= TWO_63 ? `int64 ${v - TWO_64}` : undefined)
        return
      }
      case 'i64':
      case 'i32':
        line(indent, `${head} ${c.value(fixedText(buf, p.at, p.wire === 'i64' ? 8 : 4))}`)
        return
      case 'len': {
        const h = `${head}${sized(p.length)}`
        if (p.guess === 'message') {
          line(indent, `${h} {`, 'guess: a message')
          walk(p.items!, `${indent}  `)
          out.push(`${indent}}`)
        } else if (p.guess === 'text') line(indent, `${h} ${c.value(quote(textOf(buf, p.at, p.end)!))}`)
        else line(indent, `${h} ${c.value(`<${hexOf(buf, p.at, p.end)}>`)}`)
        return
      }
      case 'group':
        line(indent, `${head} {`)
        walk(p.items, `${indent}  `)
        out.push(`${indent}}${sized(p.endTag)}`)
    }
  }
  walk(items, '')
  return out.length === 0 ? '' : `${out.join('\n')}\n`
}

// ---------------------------------------------------------------------------
// The text back to bytes

/** Text that is not the raw form, with where. */
export class TextError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`line ${line}, column ${column}: ${detail}`)
  }
}

type Token = { readonly kind: 'word' | 'string' | 'hex' | '{' | '}'; readonly text: string; readonly bytes?: Uint8Array; readonly line: number; readonly column: number }

const encoder = new TextEncoder()

/** The tokens of the text: words, string literals (as bytes), `<hex>`, braces; comments dropped. */
export function tokenize(src: string): Token[] {
  const out: Token[] = []
  let line = 1
  let lineStart = 0
  let i = 0
  const err = (at: number, detail: string) => new TextError(line, at - lineStart + 1, detail)
  while (i < src.length) {
    const ch = src[i]!
    const column = i - lineStart + 1
    if (ch === '\n') {
      line++
      lineStart = ++i
    } else if (ch === ' ' || ch === '\t' || ch === '\r') i++
    else if (ch === '#') while (i < src.length && src[i] !== '\n') i++
    else if (ch === '{' || ch === '}') out.push({ kind: ch, text: ch, line, column: i++ - lineStart + 1 })
    else if (ch === '<') {
      const close = src.indexOf('>', i)
      if (close < 0) throw err(i, 'a < with no >')
      const digits = src.slice(i + 1, close).replace(/\s+/g, '')
      if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw err(i, 'bytes in <…> are pairs of hex digits')
      if (src.slice(i, close).includes('\n')) throw err(i, 'bytes in <…> end on the line they start')
      out.push({ kind: 'hex', text: src.slice(i, close + 1), bytes: Uint8Array.from(digits.match(/../g) ?? [], (h) => parseInt(h, 16)), line, column })
      i = close + 1
    } else if (ch === '"') {
      const start = i
      const bytes: number[] = []
      i++
      for (;;) {
        if (i >= src.length || src[i] === '\n') throw err(start, 'a string with no closing quote on its line')
        const c = src[i]!
        if (c === '"') break
        if (c !== '\\') {
          const cp = src.codePointAt(i)!
          const s = String.fromCodePoint(cp)
          bytes.push(...encoder.encode(s))
          i += s.length
          continue
        }
        const e = src[i + 1]
        const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, b: 8, f: 12, '/': 47 }
        if (e !== undefined && e in simple) {
          bytes.push(simple[e]!)
          i += 2
        } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) {
          bytes.push(parseInt(src.slice(i + 2, i + 4), 16))
          i += 4
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
          bytes.push(...encoder.encode(String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16))))
          i += 6
        } else throw err(i, `unknown escape \\${e ?? ''} (\\n \\t \\r \\" \\\\ \\xHH \\uHHHH)`)
      }
      out.push({ kind: 'string', text: src.slice(start, i + 1), bytes: Uint8Array.from(bytes), line, column })
      i++
    } else {
      const m = /^[^\s{}<>"#]+/.exec(src.slice(i, i + 200))!
      out.push({ kind: 'word', text: m[0], line, column })
      i += m[0].length
    }
  }
  return out
}

/** `N` or `N~size`: a non-negative integer and the size of its varint. */
function sizedNumber(t: Token, what: string, max: bigint): { value: bigint; size: number } {
  const m = /^(\d+)(?:~(\d+))?$/.exec(t.text)
  if (m === null) throw new TextError(t.line, t.column, `expected ${what}, got ${JSON.stringify(t.text)}`)
  const value = BigInt(m[1]!)
  if (value > max) throw new TextError(t.line, t.column, `${what} ${m[1]} is out of range (at most ${max})`)
  const size = m[2] === undefined ? varintSize(value) : Number(m[2])
  if (varintBytes(value, size) === undefined) throw new TextError(t.line, t.column, `${m[1]} does not fit a varint of ${m[2]} bytes (it needs ${varintSize(value)} to 10)`)
  return { value, size }
}

function putVarint(w: Writer, value: bigint, size: number): void {
  for (const b of varintBytes(value, size)!) w.byte(b)
}

/** An integer (decimal, negative in two's complement, or 0x hex) or a float, as `width` little-endian bytes. */
function fixedBytes(t: Token, width: 4 | 8): Uint8Array {
  const out = new Uint8Array(width)
  const view = new DataView(out.buffer)
  const s = t.text
  if (/^-?(0x[0-9a-fA-F]+|\d+)$/.test(s)) {
    const v = s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s)
    const bits = BigInt(width * 8)
    if (v < -(1n << (bits - 1n)) || v >= 1n << bits) throw new TextError(t.line, t.column, `${s} does not fit ${width} bytes`)
    if (width === 8) view.setBigUint64(0, BigInt.asUintN(64, v), true)
    else view.setUint32(0, Number(BigInt.asUintN(32, v)), true)
    return out
  }
  const f = s === 'inf' ? Infinity : s === '-inf' ? -Infinity : /^-?(\d+\.\d*|\.\d+|\d+(\.\d*)?e[+-]?\d+|\.\d+e[+-]?\d+)$/i.test(s) ? Number(s) : undefined
  if (f === undefined) throw new TextError(t.line, t.column, `expected a number, got ${JSON.stringify(s)}`)
  if (width === 8) view.setFloat64(0, f, true)
  else view.setFloat32(0, f, true)
  return out
}

const MAX_U64 = (1n << 64n) - 1n

/** The bytes the raw text stands for. */
export function parse(src: string): Uint8Array {
  const p = new Parser(tokenize(src))
  const w = new Writer()
  p.items(w, true)
  return w.finish(true)
}

class Parser {
  private i = 0
  constructor(private readonly tokens: readonly Token[]) {}

  private eof(): TextError {
    const last = this.tokens[this.tokens.length - 1]
    return new TextError(last?.line ?? 1, (last?.column ?? 0) + (last?.text.length ?? 0), 'the text ends inside a field or a { }')
  }

  private next(): Token {
    const t = this.tokens[this.i++]
    if (t === undefined) throw this.eof()
    return t
  }

  private expect(kind: Token['kind'], what: string): Token {
    const t = this.next()
    if (t.kind !== kind) throw new TextError(t.line, t.column, `expected ${what}, got ${JSON.stringify(t.text)}`)
    return t
  }

  /** Items up to a `}` (which is left to the caller) or, at the top, the end. */
  items(w: Writer, top: boolean): void {
    for (;;) {
      const t = this.tokens[this.i]
      if (t === undefined) {
        if (top) return
        throw this.eof()
      }
      if (t.kind === '}') {
        if (top) throw new TextError(t.line, t.column, 'a } with no { open')
        return
      }
      this.i++
      if (t.kind !== 'word') throw new TextError(t.line, t.column, `expected a field number, junk or message, got ${JSON.stringify(t.text)}`)
      if (t.text === 'junk') w.raw(this.expect('hex', 'the junk bytes, <…>').bytes!)
      else if (/^message(~\d+)?$/.test(t.text)) {
        if (!top) throw new TextError(t.line, t.column, 'a message of a stream stands at the top level only')
        const size = t.text.includes('~') ? Number(t.text.slice(8)) : undefined
        this.expect('{', 'a {')
        this.nested(w, size, t)
      } else this.field(w, t)
    }
  }

  /** The items inside `{ … }` (the `{` read) behind their length. */
  private nested(w: Writer, size: number | undefined, at: Token): void {
    const inner = new Writer()
    this.items(inner, false)
    this.expect('}', 'a }')
    prefixed(w, inner.finish(true), size, at)
  }

  private field(w: Writer, t: Token): void {
    const tag = sizedNumber(t, 'a field number', 0x1fffffffn)
    if (tag.value === 0n) throw new TextError(t.line, t.column, 'field number 0')
    const type = this.next()
    const m = /^(varint|i64|i32|len|group)(?:~(\d+))?$/.exec(type.text)
    if (type.kind !== 'word' || m === null || (m[2] !== undefined && m[1] !== 'len')) {
      throw new TextError(type.line, type.column, `expected a wire type (varint, i64, i32, len, len~N, group), got ${JSON.stringify(type.text)}`)
    }
    const wire = m[1] as 'varint' | 'i64' | 'i32' | 'len' | 'group'
    const tagValue = (tag.value << 3n) | BigInt({ varint: 0, i64: 1, len: 2, group: 3, i32: 5 }[wire])
    const tagSize = t.text.includes('~') ? tag.size : varintSize(tagValue)
    if (varintBytes(tagValue, tagSize) === undefined || tagSize > 5) throw new TextError(t.line, t.column, `the tag of field ${tag.value} does not fit ${tagSize} bytes (it needs ${varintSize(tagValue)} to 5)`)
    putVarint(w, tagValue, tagSize)
    const v = this.next()
    if (wire === 'varint') varint(w, v)
    else if (wire === 'i64' || wire === 'i32') {
      if (v.kind !== 'word') throw new TextError(v.line, v.column, `expected a number, got ${JSON.stringify(v.text)}`)
      w.raw(fixedBytes(v, wire === 'i64' ? 8 : 4))
    } else if (wire === 'len') {
      const size = m[2] === undefined ? undefined : Number(m[2])
      if (v.kind === '{') this.nested(w, size, type)
      else if (v.kind === 'string' || v.kind === 'hex') prefixed(w, v.bytes!, size, type)
      else throw new TextError(v.line, v.column, `expected "text", <bytes> or { fields }, got ${JSON.stringify(v.text)}`)
    } else this.group(w, tag.value, v)
  }

  /** A group's fields (`v` its `{`), and its end, of `}~N` bytes if so written. */
  private group(w: Writer, number: bigint, v: Token): void {
    if (v.kind !== '{') throw new TextError(v.line, v.column, `expected { after group, got ${JSON.stringify(v.text)}`)
    this.items(w, false)
    const close = this.expect('}', 'a }')
    const after = this.tokens[this.i]
    const endTag = (number << 3n) | 4n
    let size = varintSize(endTag)
    if (after !== undefined && after.kind === 'word' && /^~\d+$/.test(after.text) && after.line === close.line && after.column === close.column + 1) {
      size = Number(after.text.slice(1))
      this.i++
    }
    if (varintBytes(endTag, size) === undefined || size > 5) throw new TextError(close.line, close.column, `the end of group ${number} does not fit ${size} bytes (it needs ${varintSize(endTag)} to 5)`)
    putVarint(w, endTag, size)
  }
}

/** Bytes behind their length, of `size` bytes if given. */
function prefixed(w: Writer, bytes: Uint8Array, size: number | undefined, at: Token): void {
  const n = BigInt(bytes.length)
  const s = size ?? varintSize(n)
  if (varintBytes(n, s) === undefined) throw new TextError(at.line, at.column, `a length of ${n} does not fit a varint of ${s} bytes (it needs ${varintSize(n)} to 10)`)
  putVarint(w, n, s)
  w.raw(bytes)
}

/** A varint's value: `N`, `N~size`, a negative number (ten bytes, two's complement) or its bytes, `<…>`. */
function varint(w: Writer, v: Token): void {
  if (v.kind === 'hex') w.raw(varintRun(v))
  else if (v.kind === 'word' && /^-\d+$/.test(v.text)) {
    const n = BigInt(v.text)
    if (n < -(1n << 63n)) throw new TextError(v.line, v.column, `${v.text} is below -2^63`)
    putVarint(w, BigInt.asUintN(64, n), 10)
  } else {
    const n = sizedNumber(v, 'a varint value', MAX_U64)
    putVarint(w, n.value, n.size)
  }
}

/** `<…>` as a varint value: the bytes of exactly one varint. */
function varintRun(t: Token): Uint8Array {
  const b = t.bytes!
  const last = b.length - 1
  if (b.length === 0 || b.length > 10 || b.some((x, k) => (k < last) !== x >= 0x80)) {
    throw new TextError(t.line, t.column, 'a varint as bytes is 1 to 10 bytes, each but the last with its high bit set')
  }
  return b
}
