/**
 * The byte layer on its own: varints of every length, zigzag, fixed values,
 * floats, tags, length prefixes written in place (fork/join), skipping.
 * Expected bytes come from the encoding rules, written out by hand.
 */
import test from 'ava'
import * as fc from 'fast-check'
import { ProtoError } from '../src/errors.js'
import {
  joinBigSigned,
  joinBigUnsigned,
  joinSigned,
  joinUnsigned,
  Reader,
  splitBigUnsigned,
  splitSigned,
  splitUnsigned,
  varint32Size,
  WireType,
  Writer,
  zigzagDecode,
  zigzagEncode,
} from '../src/wire.js'
import { concat, hex, toHex, utf8ishBytes, validUtf8Bytes, varint } from './helpers.js'

const written = (f: (w: Writer) => void): string => {
  const w = new Writer(1) // start tiny, so growth is exercised too
  f(w)
  return toHex(w.finish())
}

const varints: readonly [bigint, string][] = [
  [0n, '00'],
  [1n, '01'],
  [127n, '7f'],
  [128n, '80 01'],
  [300n, 'ac 02'],
  [16383n, 'ff 7f'],
  [16384n, '80 80 01'],
  [2n ** 21n, '80 80 80 01'],
  [2n ** 28n, '80 80 80 80 01'],
  [2n ** 32n - 1n, 'ff ff ff ff 0f'],
  [2n ** 32n, '80 80 80 80 10'],
  [2n ** 35n, '80 80 80 80 80 01'],
  [2n ** 42n, '80 80 80 80 80 80 01'],
  [2n ** 49n, '80 80 80 80 80 80 80 01'],
  [2n ** 56n, '80 80 80 80 80 80 80 80 01'],
  [2n ** 63n, '80 80 80 80 80 80 80 80 80 01'],
  [2n ** 64n - 1n, 'ff ff ff ff ff ff ff ff ff 01'],
]

for (const [v, bytes] of varints) {
  test(`varint ${v} is ${bytes}`, (t) => {
    const [lo, hi] = splitBigUnsigned(v)
    t.is(
      written((w) => w.varint64(lo, hi)),
      bytes,
    )
    const r = new Reader(hex(bytes))
    r.varint64()
    t.is(joinBigUnsigned(r.lo, r.hi), v)
    t.is(r.pos, r.end)
    if (v < 2n ** 32n) {
      t.is(
        written((w) => w.uint32(Number(v))),
        bytes,
      )
      t.is(varint32Size(Number(v)), bytes.split(' ').length)
    }
  })
}

test('a varint of 10 bytes keeps the low 64 bits; 11 bytes is malformed', (t) => {
  const r = new Reader(hex('ff ff ff ff ff ff ff ff ff 7f'))
  r.varint64()
  t.is(joinBigUnsigned(r.lo, r.hi), 2n ** 64n - 1n)
  const e = t.throws(() => new Reader(hex('80 80 80 80 80 80 80 80 80 80 01')).varint64(), { instanceOf: ProtoError })
  t.is(e?.kind, 'malformed-varint')
  t.is(e?.offset, 0)
})

test('padded varints read as their value', (t) => {
  for (const bytes of ['81 00', '81 80 00', '81 80 80 80 80 80 80 80 80 00']) {
    const r = new Reader(hex(bytes))
    r.varint64()
    t.is(joinBigUnsigned(r.lo, r.hi), 1n, bytes)
  }
})

test('zigzag maps 0, −1, 1, −2, … to 0, 1, 2, 3, … over all 64 bits', (t) => {
  const cases: [bigint, bigint][] = [
    [0n, 0n],
    [-1n, 1n],
    [1n, 2n],
    [-2n, 3n],
    [2147483647n, 4294967294n],
    [-2147483648n, 4294967295n],
    [2n ** 63n - 1n, 2n ** 64n - 2n],
    [-(2n ** 63n), 2n ** 64n - 1n],
  ]
  for (const [v, z] of cases) {
    const [lo, hi] = splitBigUnsigned(v)
    const [zl, zh] = zigzagEncode(lo, hi)
    t.is(joinBigUnsigned(zl, zh), z, String(v))
    const [bl, bh] = zigzagDecode(zl, zh)
    t.is(joinBigSigned(bl, bh), v, String(v))
  }
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
      const [lo, hi] = splitBigUnsigned(v)
      const [zl, zh] = zigzagEncode(lo, hi)
      const [bl, bh] = zigzagDecode(zl, zh)
      return joinBigSigned(bl, bh) === v && joinBigUnsigned(zl, zh) === (v >= 0n ? 2n * v : -2n * v - 1n)
    }),
  )
})

test('numbers split into halves and join back exactly, or not at all beyond 2^53', (t) => {
  t.deepEqual(splitUnsigned(2 ** 53 - 1), [0xffffffff, 0x1fffff])
  t.deepEqual(splitSigned(-1), [0xffffffff, 0xffffffff])
  t.deepEqual(splitSigned(-(2 ** 53 - 1)), [1, 0xffe00000])
  t.is(joinUnsigned(0, 0x200000), NaN)
  t.is(joinSigned(0, 0xffe00000), NaN) // −2^53
  fc.assert(
    fc.property(fc.maxSafeInteger(), (v) => {
      const [lo, hi] = splitSigned(v)
      return joinSigned(lo, hi) === v && joinBigSigned(lo, hi) === BigInt(v)
    }),
  )
})

test('fixed values are little-endian; floats keep −0, infinities and NaN', (t) => {
  t.is(
    written((w) => w.fixed32(0x12345678)),
    '78 56 34 12',
  )
  t.is(
    written((w) => w.fixed64(0x9abcdef0, 0x12345678)),
    'f0 de bc 9a 78 56 34 12',
  )
  t.is(
    written((w) => w.double(1)),
    '00 00 00 00 00 00 f0 3f',
  )
  t.is(
    written((w) => w.double(-0)),
    '00 00 00 00 00 00 00 80',
  )
  t.is(
    written((w) => w.float(Number.NEGATIVE_INFINITY)),
    '00 00 80 ff',
  )
  const r = new Reader(hex('00 00 00 80  00 00 c0 7f  00 00 00 00 00 00 f0 7f'))
  t.true(Object.is(r.float(), -0))
  t.true(Number.isNaN(r.float()))
  t.is(r.double(), Number.POSITIVE_INFINITY)
  const e = t.throws(() => new Reader(hex('00 00 00')).fixed32(), { instanceOf: ProtoError })
  t.is(e?.kind, 'truncated')
})

test('tags: field number and wire type, 1 to 5 bytes', (t) => {
  const cases: [number, WireType, string][] = [
    [1, WireType.VARINT, '08'],
    [15, WireType.LEN, '7a'],
    [16, WireType.VARINT, '80 01'],
    [2047, WireType.I32, 'fd 7f'],
    [2048, WireType.I64, '81 80 01'],
    [2 ** 29 - 1, WireType.EGROUP, 'fc ff ff ff 0f'],
  ]
  for (const [n, wt, bytes] of cases) {
    t.is(
      written((w) => w.tag(n, wt)),
      bytes,
    )
    const tag = new Reader(hex(bytes)).tag()
    t.is(tag >>> 3, n)
    t.is(tag & 7, wt)
  }
  for (const [bytes, kind] of [
    ['00', 'invalid-tag'],
    ['07', 'invalid-tag'], // field 0 is checked before the wire type
    ['0e', 'invalid-wire-type'],
    ['0f', 'invalid-wire-type'],
    ['80 80 80 80 10', 'invalid-tag'],
    ['80 80 80 80 80 01', 'invalid-tag'],
    ['80', 'truncated'],
  ] as const) {
    const e = t.throws(() => new Reader(hex(bytes)).tag(), { instanceOf: ProtoError })
    t.is(e?.kind, kind, bytes)
  }
})

test('fork/join writes a length prefix of whatever size in place', (t) => {
  for (const n of [0, 1, 127, 128, 16383, 16384, 2_097_152]) {
    const w = new Writer(4)
    w.byte(0xaa)
    const mark = w.fork()
    for (let i = 0; i < n; i++) w.byte(i & 0xff)
    w.join(mark)
    w.byte(0xbb)
    const out = w.finish()
    const r = new Reader(out, 1)
    const end = r.length()
    t.is(end - r.pos, n)
    t.is(r.pos, 1 + varint32Size(n))
    t.is(out[end], 0xbb)
    t.is(out.length, n + 2 + varint32Size(n))
    if (n > 0) t.is(out[end - 1], (n - 1) & 0xff)
  }
  // Nested forks, the inner one growing past one byte.
  const w = new Writer(1)
  const outer = w.fork()
  const inner = w.fork()
  for (let i = 0; i < 200; i++) w.byte(1)
  w.join(inner)
  w.join(outer)
  t.is(toHex(w.finish().subarray(0, 4)), 'ca 01 c8 01')
})

// A tree of payloads: raw bytes, a string, or length-delimited children.
type Payload = { raw: number } | { text: string } | { kids: Payload[] }
const payload: fc.Arbitrary<Payload> = fc.letrec<{ p: Payload }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    // Lengths at the edges of one, two and three-byte prefixes, and between.
    fc.record({ raw: fc.oneof(fc.constantFrom(0, 1, 126, 127, 128, 129, 16382, 16383, 16384), fc.nat(300)) }),
    // Whole code points, no lone surrogates: what Writer.string is given.
    fc.record({ text: fc.string({ unit: 'binary', maxLength: 100 }) }),
    fc.record({ kids: fc.array(tie('p'), { maxLength: 5 }) }),
  ),
})).p

const utf8 = new TextEncoder()
const pattern = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31) & 0xff)

/** The bytes of a payload, each child measured before its prefix is written: no fork or join. */
function expected(p: Payload): Uint8Array {
  if ('raw' in p) return pattern(p.raw)
  if ('text' in p) {
    const b = utf8.encode(p.text)
    return concat(varint(b.length), b)
  }
  const kids = p.kids.map(expected)
  return concat(...kids.flatMap((b) => [varint(b.length), b]))
}

function write(w: Writer, p: Payload): void {
  if ('raw' in p) w.raw(pattern(p.raw))
  else if ('text' in p) w.string(p.text)
  else
    for (const k of p.kids) {
      const mark = w.fork()
      write(w, k)
      w.join(mark)
    }
}

test('nested payloads of any lengths get the bytes of measuring each first, also in a writer used again', (t) => {
  const reused = new Writer(1)
  fc.assert(
    fc.property(payload, fc.boolean(), (p, abandon) => {
      // A writer left in the middle of payloads (as an encode that failed leaves it) and reset.
      if (abandon) {
        const m = reused.fork()
        reused.raw(pattern(200))
        reused.join(m)
        reused.fork()
      }
      reused.reset()
      write(reused, p)
      const fresh = new Writer(1)
      write(fresh, p)
      const want = toHex(expected(p))
      return toHex(reused.finish()) === want && toHex(fresh.finish()) === want
    }),
    { numRuns: 300 },
  )
  t.pass()
})

test('a length prefix beyond what is left, or of 2^31 and more, is refused before anything is read', (t) => {
  for (const [bytes, kind] of [
    ['05 01 02', 'truncated'],
    ['80 80 80 80 08', 'invalid-length'], // 2^31
    ['ff ff ff ff 0f', 'invalid-length'], // 2^32 − 1: would wrap as an int32
    ['80 80 80 80 80 80 80 80 80 01', 'invalid-length'], // 2^63
  ] as const) {
    const e = t.throws(() => new Reader(hex(bytes)).length(), { instanceOf: ProtoError })
    t.is(e?.kind, kind, bytes)
  }
})

test('skip passes over a field of every wire type, groups nested included', (t) => {
  const fields = [
    '08 96 01',
    '11 01 02 03 04 05 06 07 08',
    '1a 03 61 62 63',
    '25 01 02 03 04',
    '2b 08 01 33 0a 00 34 2c', // group 5 holding field 1 and group 6
  ]
  const bytes = hex(fields.join(' ') + ' 38 01')
  const r = new Reader(bytes)
  for (const f of fields) {
    const at = r.pos
    r.skip(r.tag(), at, 10)
    t.is(toHex(bytes.subarray(at, r.pos)), f)
  }
  t.is(r.tag(), (7 << 3) | 0)
})

test('the reader reads a Node Buffer slice without aliasing its pool', (t) => {
  const pool = Buffer.from(hex('ff ff 0a 02 68 69 ff'))
  const slice = pool.subarray(2, 6)
  const r = new Reader(slice)
  r.tag()
  const b = r.bytes()
  t.is(toHex(b), '68 69')
  pool[4] = 0
  t.is(toHex(b), '68 69')
})

// UTF-8: decoding validates exactly as a fatal TextDecoder does (RFC 3629),
// whichever path a string takes (ASCII, short, long) and wherever it starts.
const fatal = new TextDecoder('utf-8', { fatal: true })
const utf8Outcome = (f: () => string): string => {
  try {
    return `ok ${f()}`
  } catch (e) {
    return e instanceof ProtoError ? 'invalid' : e instanceof TypeError ? 'invalid' : `other ${String(e)}`
  }
}
const utf8ish = utf8ishBytes(300)
const validText = validUtf8Bytes(200)

test('a string reads as a fatal TextDecoder reads it, valid or not, at any offset', (t) => {
  fc.assert(
    fc.property(fc.oneof(utf8ish, validText), fc.nat(3), (bytes, pad) => {
      const buf = new Uint8Array(pad + bytes.length)
      buf.set(bytes, pad)
      const w = new Writer()
      w.bytes(buf.subarray(pad))
      const r = new Reader(w.finish())
      t.is(utf8Outcome(() => r.string()), utf8Outcome(() => fatal.decode(buf.subarray(pad))))
    }),
    { numRuns: 3000 },
  )
})
