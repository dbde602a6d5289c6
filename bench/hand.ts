/**
 * Hand-written, message-specific codecs for A–D: the limit the benchmark
 * measures protoplate against. They take and give the same values as
 * protoplate's templates, write the same bytes, and check nothing they do
 * not need to (no validation of values, lenient on input) — what a
 * programmer would write for one message when speed is all that counts.
 */
import type { Content, XmlElement } from '../examples/xml.js'
import type { addressBookValue, SomeMessageValue, vectorValue } from './data.js'

// ---------------------------------------------------------------------------
// A growable output buffer with in-place length prefixes

let slab = new ArrayBuffer(65536)
let slabUsed = 0

class Out {
  buf = new Uint8Array(1024)
  view = new DataView(this.buf.buffer)
  pos = 0
  grow(n: number): void {
    if (this.pos + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.pos))
    this.buf = next
    this.view = new DataView(next.buffer)
  }
  reset(): void {
    this.pos = 0
  }
  /** The output, cut from a shared slab: a fresh ArrayBuffer per message costs more than a small message. */
  take(): Uint8Array {
    const n = this.pos
    if (n > 4096) return this.buf.slice(0, n)
    if (slabUsed + n > slab.byteLength) {
      slab = new ArrayBuffer(65536)
      slabUsed = 0
    }
    const out = new Uint8Array(slab, slabUsed, n)
    slabUsed = (slabUsed + n + 7) & ~7
    out.set(this.buf.subarray(0, n))
    return out
  }
  byte(b: number): void {
    this.grow(1)
    this.buf[this.pos++] = b
  }
  u32(v: number): void {
    this.grow(5)
    const buf = this.buf
    let p = this.pos
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80
      v >>>= 7
    }
    buf[p++] = v
    this.pos = p
  }
  /** A 64-bit varint of a safe integer's two's complement, or of a non-negative number. */
  i64(v: number): void {
    if (v >= 0 && v < 0x80000000) return this.u32(v)
    // Two's complement halves: ToUint32 and a floored division.
    this.halves(v >>> 0, Math.floor(v / 4294967296) >>> 0)
  }
  /** A varint of 64 bits given as halves. */
  halves(lo: number, hi: number): void {
    this.grow(10)
    const buf = this.buf
    let p = this.pos
    while (hi > 0 || lo > 0x7f) {
      buf[p++] = (lo & 0x7f) | 0x80
      lo = ((lo >>> 7) | (hi << 25)) >>> 0
      hi >>>= 7
    }
    buf[p++] = lo
    this.pos = p
  }
  /** sint64 of a safe integer: zigzag in halves. */
  s64(v: number): void {
    if (v >= -0x40000000 && v < 0x40000000) return this.u32(((v << 1) ^ (v >> 31)) >>> 0)
    const neg = v < 0
    const m = neg ? -v - 1 : v
    // zigzag(v) = 2|v| − 1 for negatives, 2v for positives.
    let lo = ((m >>> 0) * 2) >>> 0
    let hi = ((Math.floor(m / 4294967296) * 2) | ((m >>> 0) >= 0x80000000 ? 1 : 0)) >>> 0
    if (neg) lo = (lo | 1) >>> 0
    this.halves(lo, hi)
  }
  double(v: number): void {
    this.grow(8)
    this.view.setFloat64(this.pos, v, true)
    this.pos += 8
  }
  str(s: string): void {
    const n = s.length
    this.grow(n * 3 + 5)
    // Short ASCII strings: one byte of length, copied char by char.
    if (n < 128) {
      const start = this.pos + 1
      const buf = this.buf
      let p = start
      let i = 0
      for (; i < n; i++) {
        const c = s.charCodeAt(i)
        if (c >= 0x80) break
        buf[p++] = c
      }
      if (i === n) {
        buf[this.pos] = n
        this.pos = p
        return
      }
    }
    const mark = this.fork()
    const buf = this.buf
    let p = this.pos
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i)
      if (c < 0x80) buf[p++] = c
      else if (c < 0x800) {
        buf[p++] = 0xc0 | (c >> 6)
        buf[p++] = 0x80 | (c & 0x3f)
      } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
        c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00)
        buf[p++] = 0xf0 | (c >> 18)
        buf[p++] = 0x80 | ((c >> 12) & 0x3f)
        buf[p++] = 0x80 | ((c >> 6) & 0x3f)
        buf[p++] = 0x80 | (c & 0x3f)
      } else {
        buf[p++] = 0xe0 | (c >> 12)
        buf[p++] = 0x80 | ((c >> 6) & 0x3f)
        buf[p++] = 0x80 | (c & 0x3f)
      }
    }
    this.pos = p
    this.join(mark)
  }
  fork(): number {
    this.grow(1)
    return this.pos++
  }
  join(mark: number): void {
    const len = this.pos - mark - 1
    if (len < 0x80) {
      this.buf[mark] = len
      return
    }
    const size = len < 0x4000 ? 2 : len < 0x200000 ? 3 : len < 0x10000000 ? 4 : 5
    this.grow(size - 1)
    this.buf.copyWithin(mark + size, mark + 1, this.pos)
    this.pos += size - 1
    let p = mark
    let v = len
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80
      v >>>= 7
    }
    this.buf[p] = v
  }
}

// ---------------------------------------------------------------------------
// Input

const decoder = new TextDecoder()

class In {
  pos = 0
  view: DataView
  constructor(
    readonly buf: Uint8Array,
    public end = buf.length,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }
  u32(): number {
    const buf = this.buf
    let b = buf[this.pos++]!
    if (b < 0x80) return b
    let v = b & 0x7f
    b = buf[this.pos++]!
    v |= (b & 0x7f) << 7
    if (b < 0x80) return v
    b = buf[this.pos++]!
    v |= (b & 0x7f) << 14
    if (b < 0x80) return v
    b = buf[this.pos++]!
    v |= (b & 0x7f) << 21
    if (b < 0x80) return v
    b = buf[this.pos++]!
    v |= (b & 0x0f) << 28
    while (b >= 0x80) b = buf[this.pos++]!
    return v >>> 0
  }
  /** A varint as halves; returns lo, hi in this.hi. */
  hi = 0
  u64lo(): number {
    const buf = this.buf
    let lo = 0
    let hi = 0
    let b: number
    let shift = 0
    for (; shift < 28; shift += 7) {
      b = buf[this.pos++]!
      lo |= (b & 0x7f) << shift
      if (b < 0x80) {
        this.hi = 0
        return lo >>> 0
      }
    }
    b = buf[this.pos++]!
    lo |= (b & 0x0f) << 28
    hi = (b & 0x7f) >> 4
    if (b >= 0x80) {
      for (shift = 3; ; shift += 7) {
        b = buf[this.pos++]!
        if (shift < 32) hi |= (b & 0x7f) << shift
        if (b < 0x80) break
      }
    }
    this.hi = hi >>> 0
    return lo >>> 0
  }
  s64(): number {
    const lo = this.u64lo()
    const hi = this.hi
    const neg = lo & 1
    const ulo = ((lo >>> 1) | (hi << 31)) >>> 0
    const uhi = hi >>> 1
    const m = uhi * 4294967296 + ulo
    return neg ? -m - 1 : m
  }
  i64(): number {
    const lo = this.u64lo()
    const hi = this.hi
    if ((hi & 0x80000000) === 0) return hi * 4294967296 + lo
    const nlo = (~lo + 1) >>> 0
    const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0
    return -(nhi * 4294967296 + nlo)
  }
  double(): number {
    const v = this.view.getFloat64(this.pos, true)
    this.pos += 8
    return v
  }
  str(): string {
    const n = this.u32()
    const start = this.pos
    const end = start + n
    this.pos = end
    if (n < 32) {
      const buf = this.buf
      let s = ''
      for (let i = start; i < end; i++) {
        const c = buf[i]!
        if (c >= 0x80) return decoder.decode(buf.subarray(start, end))
        s += String.fromCharCode(c)
      }
      return s
    }
    return decoder.decode(this.buf.subarray(start, end))
  }
  skip(wt: number): void {
    if (wt === 0) this.u64lo()
    else if (wt === 1) this.pos += 8
    else if (wt === 2) this.pos += this.u32()
    else if (wt === 5) this.pos += 4
    else throw new Error(`wire type ${wt}`)
  }
}

const out = new Out()

// ---------------------------------------------------------------------------
// A

type Nested = { value: number; text: string }

function writeNested(o: Out, n: Nested): void {
  o.byte(0x08)
  o.u32(((n.value << 1) ^ (n.value >> 31)) >>> 0)
  o.byte(0x12)
  o.str(n.text)
}

export function encodeA(v: SomeMessageValue): Uint8Array {
  const o = out
  o.reset()
  o.byte(0x08)
  o.i64(v.first)
  o.byte(0x12)
  o.str(v.second)
  for (const s of v.third) {
    o.byte(0x1a)
    o.str(s)
  }
  o.byte(0x20)
  o.byte(v.fourth ? 1 : 0)
  o.byte(0x2a)
  let m = o.fork()
  writeNested(o, v.fifth)
  o.join(m)
  for (const n of v.sixth) {
    o.byte(0x32)
    m = o.fork()
    writeNested(o, n)
    o.join(m)
  }
  for (const x of v.seventh) {
    o.byte(0x38)
    o.u32(((x << 1) ^ (x >> 31)) >>> 0)
  }
  if (v.eighth.length > 0) {
    o.byte(0x42)
    m = o.fork()
    for (const x of v.eighth) o.u32(((x << 1) ^ (x >> 31)) >>> 0)
    o.join(m)
  }
  return o.take()
}

function readNested(r: In, end: number): Nested {
  let value = 0
  let text = ''
  while (r.pos < end) {
    const tag = r.u32()
    if (tag === 0x08) {
      const z = r.u32()
      value = (z >>> 1) ^ -(z & 1)
    } else if (tag === 0x12) text = r.str()
    else r.skip(tag & 7)
  }
  return { value, text }
}

const unzig = (z: number): number => (z >>> 1) ^ -(z & 1)

export function decodeA(bytes: Uint8Array): SomeMessageValue {
  const r = new In(bytes)
  let first = 0
  let second = ''
  const third: string[] = []
  let fourth = false
  let fifth: Nested = { value: 0, text: '' }
  const sixth: Nested[] = []
  const seventh: number[] = []
  const eighth: number[] = []
  while (r.pos < r.end) {
    const tag = r.u32()
    switch (tag) {
      case 0x08:
        first = r.i64()
        break
      case 0x12:
        second = r.str()
        break
      case 0x1a:
        third.push(r.str())
        break
      case 0x20:
        fourth = r.u32() !== 0
        break
      case 0x2a: {
        const end = r.u32() + r.pos
        fifth = readNested(r, end)
        break
      }
      case 0x32: {
        const end = r.u32() + r.pos
        sixth.push(readNested(r, end))
        break
      }
      case 0x38:
        seventh.push(unzig(r.u32()))
        break
      case 0x42: {
        const end = r.u32() + r.pos
        while (r.pos < end) eighth.push(unzig(r.u32()))
        break
      }
      default:
        r.skip(tag & 7)
    }
  }
  return { first, second, third, fourth, fifth, sixth, seventh, eighth }
}

// ---------------------------------------------------------------------------
// B

type Book = ReturnType<typeof addressBookValue>
type Person = Book['people'][number]
type Phone = Person['phones'][number]
const phoneTypes = ['MOBILE', 'HOME', 'WORK'] as const
const phoneNumbers: Record<string, number> = { MOBILE: 0, HOME: 1, WORK: 2 }

export function encodeB(v: Book): Uint8Array {
  const o = out
  o.reset()
  for (const p of v.people) {
    o.byte(0x0a)
    const m = o.fork()
    if (p.name !== '') {
      o.byte(0x0a)
      o.str(p.name)
    }
    if (p.id !== 0) {
      o.byte(0x10)
      o.i64(p.id)
    }
    if (p.email !== '') {
      o.byte(0x1a)
      o.str(p.email)
    }
    for (const ph of p.phones) {
      o.byte(0x22)
      const pm = o.fork()
      if (ph.number !== '') {
        o.byte(0x0a)
        o.str(ph.number)
      }
      const t = phoneNumbers[ph.type]!
      if (t !== 0) {
        o.byte(0x10)
        o.u32(t)
      }
      o.join(pm)
    }
    o.join(m)
  }
  return o.take()
}

export function decodeB(bytes: Uint8Array): Book {
  const r = new In(bytes)
  const people: Person[] = []
  while (r.pos < r.end) {
    const tag = r.u32()
    if (tag !== 0x0a) {
      r.skip(tag & 7)
      continue
    }
    const end = r.u32() + r.pos
    let name = ''
    let id = 0
    let email = ''
    const phones: Phone[] = []
    while (r.pos < end) {
      const t = r.u32()
      if (t === 0x0a) name = r.str()
      else if (t === 0x10) id = r.u32() | 0
      else if (t === 0x1a) email = r.str()
      else if (t === 0x22) {
        const pend = r.u32() + r.pos
        let number = ''
        let type = 0
        while (r.pos < pend) {
          const u = r.u32()
          if (u === 0x0a) number = r.str()
          else if (u === 0x10) type = r.u32()
          else r.skip(u & 7)
        }
        phones.push({ number, type: phoneTypes[type]! })
      } else r.skip(t & 7)
    }
    people.push({ name, id, email, phones })
  }
  return { people }
}

// ---------------------------------------------------------------------------
// C

type Vec = ReturnType<typeof vectorValue>

export function encodeC(v: Vec): Uint8Array {
  const o = out
  o.reset()
  if (v.values.length > 0) {
    o.byte(0x0a)
    o.u32(v.values.length * 8)
    o.grow(v.values.length * 8)
    const view = o.view
    let p = o.pos
    for (const x of v.values) {
      view.setFloat64(p, x, true)
      p += 8
    }
    o.pos = p
  }
  if (v.counts.length > 0) {
    o.byte(0x12)
    const m = o.fork()
    for (const x of v.counts) o.s64(x)
    o.join(m)
  }
  return o.take()
}

export function decodeC(bytes: Uint8Array): Vec {
  const r = new In(bytes)
  const values: number[] = []
  const counts: number[] = []
  while (r.pos < r.end) {
    const tag = r.u32()
    if (tag === 0x0a) {
      const end = r.u32() + r.pos
      const view = r.view
      for (let p = r.pos; p < end; p += 8) values.push(view.getFloat64(p, true))
      r.pos = end
    } else if (tag === 0x12) {
      const end = r.u32() + r.pos
      while (r.pos < end) counts.push(r.s64())
    } else r.skip(tag & 7)
  }
  return { values, counts }
}

// ---------------------------------------------------------------------------
// D

function writeElement(o: Out, e: XmlElement): void {
  o.byte(0xaa) // 21 << 3 | 2
  o.byte(0x01)
  o.str(e.name)
  for (const [k, v] of e.attributes) {
    o.byte(0xb2) // 22 << 3 | 2
    o.byte(0x01)
    const m = o.fork()
    o.byte(0xf2) // 30 << 3 | 2
    o.byte(0x01)
    o.str(k)
    if (typeof v === 'string') {
      o.byte(0x8a) // 33 << 3 | 2
      o.byte(0x02)
      o.str(v)
    } else if (Number.isInteger(v)) {
      o.byte(0xf8) // 31 << 3
      o.byte(0x01)
      o.s64(v)
    } else {
      o.byte(0x81) // 32 << 3 | 1
      o.byte(0x02)
      o.double(v)
    }
    o.join(m)
  }
  for (const c of e.contents) {
    o.byte(0xba) // 23 << 3 | 2
    o.byte(0x01)
    const m = o.fork()
    if (typeof c === 'string') {
      o.byte(0xda) // 43 << 3 | 2
      o.byte(0x02)
      o.str(c)
    } else {
      o.byte(0xc2) // 40 << 3 | 2
      o.byte(0x02)
      const em = o.fork()
      writeElement(o, c)
      o.join(em)
    }
    o.join(m)
  }
}

export function encodeD([roots]: readonly [XmlElement[]]): Uint8Array {
  const o = out
  o.reset()
  for (const e of roots) {
    o.byte(0xa2) // 20 << 3 | 2
    o.byte(0x01)
    const m = o.fork()
    writeElement(o, e)
    o.join(m)
  }
  return o.take()
}

function readElement(r: In, end: number): XmlElement {
  let name = ''
  const attributes: [string, number | string][] = []
  const contents: Content[] = []
  while (r.pos < end) {
    const tag = r.u32()
    if (tag === 0xaa) name = r.str()
    else if (tag === 0xb2) {
      const aend = r.u32() + r.pos
      let key = ''
      let value: number | string = 0
      while (r.pos < aend) {
        const t = r.u32()
        if (t === 0xf2) key = r.str()
        else if (t === 0xf8) value = r.s64()
        else if (t === 0x101) value = r.double()
        else if (t === 0x10a) value = r.str()
        else r.skip(t & 7)
      }
      attributes.push([key, value])
    } else if (tag === 0xba) {
      const cend = r.u32() + r.pos
      let c: Content = ''
      while (r.pos < cend) {
        const t = r.u32()
        if (t === 0x15a) c = r.str()
        else if (t === 0x142) {
          const eend = r.u32() + r.pos
          c = readElement(r, eend)
        } else r.skip(t & 7)
      }
      contents.push(c)
    } else r.skip(tag & 7)
  }
  return { name, attributes, contents }
}

export function decodeD(bytes: Uint8Array): readonly [XmlElement[]] {
  const r = new In(bytes)
  const roots: XmlElement[] = []
  while (r.pos < r.end) {
    const tag = r.u32()
    if (tag === 0xa2) {
      const end = r.u32() + r.pos
      roots.push(readElement(r, end))
    } else r.skip(tag & 7)
  }
  return [roots]
}
