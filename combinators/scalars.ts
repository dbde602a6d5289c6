/**
 * The scalar host types of SWI-Prolog's `protobuf_message/2`, with their
 * .proto aliases and a `bigint` twin for every 64-bit type.
 *
 * Each is callable: `unsigned(1)` is a field with tag 1 (a hole),
 * `unsigned(1, 100)` a constant. Values are range-checked exactly on encode
 * and on decode; a `number` 64-bit type never loses precision silently, and
 * its error names the `bigint` twin that holds the whole range.
 *
 * @module
 */
import { fcOf, type FastCheckModule } from '../src/arb.js'
import { type Arb, type Gen, type HostType, type Problem, problem, raise, show } from '../src/core.js'
import { deepEqual } from '../src/equal.js'
import { defineHostType } from './host.js'
import type { Vectorable } from './vectors.js'
import * as snippets from '../src/snippets.js'
import { decodeUtf8Escaped, encodeEscaped, encodeEscapedInto, isEscapedText, isWellFormed } from '../src/utf8.js'
import {
  joinBigSigned,
  joinBigUnsigned,
  joinSigned,
  joinUnsigned,
  type Reader,
  splitBigUnsigned,
  WireType,
  type Writer,
  zigzagDecode,
  zigzagEncode,
} from '../src/wire.js'
import { ProtoError } from '../src/errors.js'

interface ScalarSpec<A> {
  readonly name: string
  /** A string type that reads bytes that are not UTF-8 (proto2's `string`): false. */
  readonly utf8?: false
  readonly wireType: WireType
  readonly packable: boolean
  readonly zero: A
  check(v: unknown): Problem | undefined
  /** `check(v) === undefined`, without building the problem: `oneof` asks it of every alternative. */
  guard?(v: unknown): boolean
  /** Write a value that passed `check`. */
  put(w: Writer, v: A): void
  /** Read a value; `at` is where it starts, for errors. */
  get(r: Reader, at: number): A
  arbitrary(fc: FastCheckModule): Arb<A>
  equals?(a: A, b: A): boolean
  /** Whether no value but `v` equals `v`, for an `equals` that is not `Object.is` (src/core.ts). */
  equalsOnlyItself?(v: A): boolean
  /** For the compiler: `guard` as source, an expression of `x`. */
  is?(x: string, g: Gen): string
  /** For the compiler: statements writing the commonest values inline, and running `other` for the rest (src/snippets.ts). */
  enc?(x: string, other: string, g: Gen): string
  /** For the compiler: statements reading the commonest values inline into `out`, and running `other` for the rest (src/snippets.ts). */
  dec?(out: string, other: string, g: Gen): string
  /** For the compiler: statements reading a packed run in one loop (src/snippets.ts). */
  decRun?(g: Gen, arr: string, end: string, other: string): string
}

function scalar<A>(spec: ScalarSpec<A>): HostType<A> {
  const { check, put, get, is, enc, dec, decRun } = spec
  // Arbitraries are made on first use: fast-check's are costly to build, and most programs never ask.
  let arbitrary: Arb<A> | undefined
  return defineHostType<A>({
    name: spec.name,
    wireType: spec.wireType,
    packable: spec.packable,
    zero: spec.zero,
    check,
    ...(spec.guard === undefined ? {} : { guard: spec.guard }),
    write(w, v) {
      const p = check(v)
      if (p !== undefined) raise(p)
      put(w, v)
    },
    read: (r) => get(r, r.pos),
    equals: spec.equals ?? Object.is,
    ...(spec.equalsOnlyItself === undefined ? {} : { equalsOnlyItself: spec.equalsOnlyItself }),
    arbitrary: (ctx) => (arbitrary ??= spec.arbitrary(fcOf(ctx))),
    shape: () => {
      const proto = PROTO_TYPES[spec.name] ?? spec.name
      return proto === 'string' ? { kind: 'scalar', proto, utf8: spec.utf8 ?? true } : { kind: 'scalar', proto }
    },
    emit: {
      write(g, x) {
        const other = `if (${g.ref(check)}(${x}) !== undefined) ${g.bail} ${g.ref(put)}(w, ${x});`
        return enc === undefined ? other : enc(x, other, g)
      },
      read(g, out) {
        const other = `${out} = ${g.ref(get)}(r, r.pos);`
        return dec === undefined ? other : dec(out, other, g)
      },
      ...(is === undefined ? {} : { is: (g: Gen, x: string) => is(x, g) }),
      ...(decRun === undefined ? {} : { readRun: decRun }),
    },
  })
}

/** The .proto type of each scalar, by its name. */
const PROTO_TYPES: Readonly<Record<string, string>> = {
  integer: 'sint64', sint32: 'sint32', unsigned: 'uint64', uint32: 'uint32', signed64: 'int64', signed32: 'int32',
  integer64: 'sfixed64', integer32: 'sfixed32', unsigned64: 'fixed64', unsigned32: 'fixed32',
  integerBig: 'sint64', unsignedBig: 'uint64', signed64Big: 'int64', integer64Big: 'sfixed64', unsigned64Big: 'fixed64',
  double: 'double', float: 'float', boolean: 'bool', atom: 'string', string: 'string', utf8Codes: 'string', codes: 'bytes',
}

const expected = (what: string, v: unknown): Problem => problem('invalid-value', `expected ${what}, got ${show(v)}`)

// ---------------------------------------------------------------------------
// Integers as numbers

const INT32_MIN = -0x80000000
const INT32_MAX = 0x7fffffff
const UINT32_MAX = 0xffffffff

function checkRange(min: number, max: number, range: string, twin?: string) {
  return (v: unknown): Problem | undefined => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return expected('an integer', v)
    if (v < min || v > max) {
      return problem(
        'out-of-range',
        twin === undefined
          ? `${show(v)} is outside ${range}`
          : `${show(v)} is beyond ±(2^53−1), where a number is exact; use ${twin} for ${range}`,
      )
    }
    return undefined
  }
}

const rangeGuard =
  (min: number, max: number) =>
  (v: unknown): boolean =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max

/** `rangeGuard` as source, for the compiler to inline. */
const rangeIs = snippets.rangeIs

const checkSafe = (twin: string, range: string) => checkRange(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, range, twin)
const checkSafeNat = (twin: string, range: string) => {
  const inRange = checkRange(0, Number.MAX_SAFE_INTEGER, range, twin)
  return (v: unknown): Problem | undefined =>
    typeof v === 'number' && Number.isInteger(v) && v < 0 ? problem('out-of-range', `${show(v)} is negative`) : inRange(v)
}

function unsafe(at: number, twin: string): never {
  throw new ProtoError('out-of-range', `value beyond ±(2^53−1), where a number is exact; use ${twin}`, at)
}

const TWO_32 = 4294967296

// The hot paths below work on 32-bit halves in locals: no arrays, so that
// a value costs no allocation.

function zigzag64(w: Writer, v: number): void {
  if (v >= INT32_MIN && v <= INT32_MAX) w.uint32(((v << 1) ^ (v >> 31)) >>> 0)
  else {
    // zigzag(v) = 2m + sign, m = v or −v − 1: exact in halves, where 2m + 1 may not be as a double.
    const sign = v < 0 ? 1 : 0
    const m = sign === 1 ? -v - 1 : v
    const lo = m >>> 0
    w.varint64(((lo << 1) | sign) >>> 0, ((Math.floor(m / TWO_32) << 1) | (lo >>> 31)) >>> 0)
  }
}

function putSigned64(w: Writer, v: number): void {
  if (v >= 0 && v <= INT32_MAX) w.uint32(v)
  // Two's complement halves of a safe integer: ToUint32 and a floored division.
  else w.varint64(v >>> 0, Math.floor(v / TWO_32) >>> 0)
}

/**
 * Zigzag halves to a safe integer, or NaN beyond ±(2^53−1). It names
 * nothing but its arguments: the compiler copies its source.
 */
function unzigzag(lo: number, hi: number): number {
  if (hi === 0) return (lo >>> 1) ^ -(lo & 1)
  const mlo = ((lo >>> 1) | (hi << 31)) >>> 0
  const mhi = hi >>> 1
  if (mhi > 0x1fffff) return Number.NaN
  const m = mhi * 4294967296 + mlo
  if ((lo & 1) === 0) return m
  return m === 9007199254740991 ? Number.NaN : -m - 1
}

/** A joined 64-bit value, or the out-of-range error for one beyond ±(2^53−1). */
const safeOr = (v: number, at: number, twin: string): number => (v === v ? v : unsafe(at, twin))

/** Source of the value of a zigzag varint of up to 28 bits, `n`. */
const zigzag28 = (n: string): string => `(${n} >>> 1) ^ -(${n} & 1)`
const asIs = (n: string): string => n

const safeInts = (fc: FastCheckModule) => fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer(), fc.maxSafeInteger())
const safeNats = (fc: FastCheckModule) => fc.oneof(fc.nat(300), fc.nat(), fc.maxSafeNat())

/** `sint64`: zigzag varint, a safe integer. */
export const integer: HostType<number> & Vectorable<Float64Array> = scalar({
  name: 'integer',
  wireType: WireType.VARINT,
  packable: true,
  zero: 0,
  check: checkSafe('integerBig', 'sint64'),
  guard: rangeGuard(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  is: rangeIs(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  put: zigzag64,
  get(r, at) {
    r.varint64()
    return safeOr(unzigzag(r.lo, r.hi), at, 'integerBig')
  },
  enc: snippets.zigzag64,
  dec: snippets.readVarint64(unzigzag, zigzag28),
  decRun: snippets.readVarintRun(unzigzag, zigzag28),
  arbitrary: safeInts,
})

/** `sint32`: zigzag varint, 32-bit range. */
export const sint32: HostType<number> & Vectorable<Int32Array> = scalar({
  name: 'sint32',
  wireType: WireType.VARINT,
  packable: true,
  zero: 0,
  check: checkRange(INT32_MIN, INT32_MAX, 'the 32-bit range'),
  guard: rangeGuard(INT32_MIN, INT32_MAX),
  is: rangeIs(INT32_MIN, INT32_MAX),
  put: (w, v) => w.uint32(((v << 1) ^ (v >> 31)) >>> 0),
  get(r) {
    const n = r.uint32()
    return (n >>> 1) ^ -(n & 1)
  },
  enc: snippets.zigzag32,
  dec: snippets.readZigzag,
  arbitrary: (fc) => fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer()),
})

/** `uint64`: varint, a safe non-negative integer. */
export const unsigned: HostType<number> & Vectorable<Float64Array> = scalar({
  name: 'unsigned',
  wireType: WireType.VARINT,
  packable: true,
  zero: 0,
  check: checkSafeNat('unsignedBig', 'uint64'),
  guard: rangeGuard(0, Number.MAX_SAFE_INTEGER),
  is: rangeIs(0, Number.MAX_SAFE_INTEGER),
  put(w, v) {
    if (v <= INT32_MAX) w.uint32(v)
    else w.varint64(v >>> 0, Math.floor(v / TWO_32))
  },
  get(r, at) {
    r.varint64()
    return safeOr(joinUnsigned(r.lo, r.hi), at, 'unsignedBig')
  },
  enc: snippets.natural64,
  dec: snippets.readVarint64(joinUnsigned, asIs),
  decRun: snippets.readVarintRun(joinUnsigned, asIs),
  arbitrary: safeNats,
})

/** `uint32`: varint, 0 … 2^32−1. */
export const uint32: HostType<number> & Vectorable<Uint32Array> = scalar({
  name: 'uint32',
  wireType: WireType.VARINT,
  packable: true,
  zero: 0,
  check: checkRange(0, UINT32_MAX, '0 … 2^32−1'),
  guard: rangeGuard(0, UINT32_MAX),
  is: rangeIs(0, UINT32_MAX),
  put: (w, v) => w.uint32(v),
  get: (r) => r.uint32(),
  enc: snippets.natural32,
  dec: snippets.readNatural,
  arbitrary: (fc) => fc.oneof(fc.nat(300), fc.nat({ max: UINT32_MAX })),
})

/** `int64`: two's complement varint (negatives take 10 bytes), a safe integer. */
export const signed64: HostType<number> & Vectorable<Float64Array> = scalar({
  name: 'signed64',
  wireType: WireType.VARINT,
  packable: true,
  zero: 0,
  check: checkSafe('signed64Big', 'int64'),
  guard: rangeGuard(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  is: rangeIs(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  put: putSigned64,
  get(r, at) {
    r.varint64()
    return safeOr(joinSigned(r.lo, r.hi), at, 'signed64Big')
  },
  enc: snippets.signed64,
  dec: snippets.readVarint64(joinSigned, asIs),
  decRun: snippets.readVarintRun(joinSigned, asIs),
  arbitrary: safeInts,
})

/**
 * `int32`: written as `int64` (negatives take 10 bytes, as in C++ and
 * Python); read as the low 32 bits, so a 5-byte −1 is −1.
 */
export const signed32: HostType<number> & Vectorable<Int32Array> = scalar({
  name: 'signed32',
  wireType: WireType.VARINT,
  packable: true,
  zero: 0,
  check: checkRange(INT32_MIN, INT32_MAX, 'the 32-bit range'),
  guard: rangeGuard(INT32_MIN, INT32_MAX),
  is: rangeIs(INT32_MIN, INT32_MAX),
  put: (w, v) => (v >= 0 ? w.uint32(v) : w.varint64(v >>> 0, 0xffffffff)),
  get: (r) => r.uint32() | 0,
  enc: snippets.smallNatural,
  dec: snippets.readNatural,
  arbitrary: (fc) => fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer()),
})

/** `sfixed64`: 8 bytes, two's complement, a safe integer. */
export const integer64: HostType<number> & Vectorable<Float64Array> = scalar({
  name: 'integer64',
  wireType: WireType.I64,
  packable: true,
  zero: 0,
  check: checkSafe('integer64Big', 'sfixed64'),
  guard: rangeGuard(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  is: rangeIs(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  put: (w, v) => w.fixed64(v >>> 0, Math.floor(v / TWO_32) >>> 0),
  get(r, at) {
    r.fixed64()
    return safeOr(joinSigned(r.lo, r.hi), at, 'integer64Big')
  },
  arbitrary: safeInts,
})

/** `sfixed32`: 4 bytes, two's complement. */
export const integer32: HostType<number> & Vectorable<Int32Array> = scalar({
  name: 'integer32',
  wireType: WireType.I32,
  packable: true,
  zero: 0,
  check: checkRange(INT32_MIN, INT32_MAX, 'the 32-bit range'),
  guard: rangeGuard(INT32_MIN, INT32_MAX),
  is: rangeIs(INT32_MIN, INT32_MAX),
  put: (w, v) => w.fixed32(v),
  get: (r) => r.fixed32() | 0,
  dec: snippets.readFixed('getInt32', 4),
  decRun: snippets.readRun('getInt32', 4),
  arbitrary: (fc) => fc.integer(),
})

/** `fixed64`: 8 bytes, unsigned, a safe integer. */
export const unsigned64: HostType<number> & Vectorable<Float64Array> = scalar({
  name: 'unsigned64',
  wireType: WireType.I64,
  packable: true,
  zero: 0,
  check: checkSafeNat('unsigned64Big', 'fixed64'),
  guard: rangeGuard(0, Number.MAX_SAFE_INTEGER),
  is: rangeIs(0, Number.MAX_SAFE_INTEGER),
  put: (w, v) => w.fixed64(v >>> 0, Math.floor(v / TWO_32)),
  get(r, at) {
    r.fixed64()
    return safeOr(joinUnsigned(r.lo, r.hi), at, 'unsigned64Big')
  },
  arbitrary: safeNats,
})

/** `fixed32`: 4 bytes, unsigned. */
export const unsigned32: HostType<number> & Vectorable<Uint32Array> = scalar({
  name: 'unsigned32',
  wireType: WireType.I32,
  packable: true,
  zero: 0,
  check: checkRange(0, UINT32_MAX, '0 … 2^32−1'),
  guard: rangeGuard(0, UINT32_MAX),
  is: rangeIs(0, UINT32_MAX),
  put: (w, v) => w.fixed32(v),
  get: (r) => r.fixed32(),
  dec: snippets.readFixed('getUint32', 4),
  decRun: snippets.readRun('getUint32', 4),
  arbitrary: (fc) => fc.nat({ max: UINT32_MAX }),
})

// ---------------------------------------------------------------------------
// Integers as bigints: the whole 64-bit range

const I64_MIN = -(1n << 63n)
const I64_MAX = (1n << 63n) - 1n
const U64_MAX = (1n << 64n) - 1n

function checkBig(min: bigint, max: bigint, range: string) {
  return (v: unknown): Problem | undefined => {
    if (typeof v !== 'bigint') return expected('a bigint', v)
    if (v < min || v > max) return problem('out-of-range', `${show(v)} is outside ${range}`)
    return undefined
  }
}

const bigSigned = (fc: FastCheckModule) => fc.oneof(fc.bigInt({ min: -300n, max: 300n }), fc.bigInt({ min: I64_MIN, max: I64_MAX }))
const bigUnsigned = (fc: FastCheckModule) => fc.oneof(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 0n, max: U64_MAX }))

/**
 * A 64-bit type as a bigint: its wire form (varint or 8 bytes), whether it
 * is signed, and, for `sint64`, zigzag. The five twins differ in nothing
 * else.
 */
function bigTwin(name: string, wire: 'varint' | 'fixed', signed: boolean, zigzag = false): HostType<bigint> {
  const [min, max, range] = signed ? [I64_MIN, I64_MAX, '−2^63 … 2^63−1'] : [0n, U64_MAX, '0 … 2^64−1']
  const join = signed ? joinBigSigned : joinBigUnsigned
  return scalar({
    name,
    wireType: wire === 'varint' ? WireType.VARINT : WireType.I64,
    packable: true,
    zero: 0n,
    check: checkBig(min, max, range),
    guard: (v) => typeof v === 'bigint' && v >= min && v <= max,
    put(w, v) {
      let [lo, hi] = splitBigUnsigned(v)
      if (zigzag) [lo, hi] = zigzagEncode(lo, hi)
      if (wire === 'varint') w.varint64(lo, hi)
      else w.fixed64(lo, hi)
    },
    get(r) {
      if (wire === 'varint') r.varint64()
      else r.fixed64()
      if (!zigzag) return join(r.lo, r.hi)
      const [lo, hi] = zigzagDecode(r.lo, r.hi)
      return join(lo, hi)
    },
    arbitrary: signed ? bigSigned : bigUnsigned,
  })
}

/** `sint64` as a bigint: the whole range −2^63 … 2^63−1. */
export const integerBig: HostType<bigint> & Vectorable<BigInt64Array> = bigTwin('integerBig', 'varint', true, true)
/** `uint64` as a bigint: 0 … 2^64−1. */
export const unsignedBig: HostType<bigint> & Vectorable<BigUint64Array> = bigTwin('unsignedBig', 'varint', false)
/** `int64` as a bigint: −2^63 … 2^63−1, two's complement varint. */
export const signed64Big: HostType<bigint> & Vectorable<BigInt64Array> = bigTwin('signed64Big', 'varint', true)
/** `sfixed64` as a bigint. */
export const integer64Big: HostType<bigint> & Vectorable<BigInt64Array> = bigTwin('integer64Big', 'fixed', true)
/** `fixed64` as a bigint. */
export const unsigned64Big: HostType<bigint> & Vectorable<BigUint64Array> = bigTwin('unsigned64Big', 'fixed', false)

// ---------------------------------------------------------------------------
// Floating point: −0, ±Infinity and NaN are kept

const checkNumber = (v: unknown): Problem | undefined => (typeof v === 'number' ? undefined : expected('a number', v))

/** `double`: 8 bytes, IEEE 754. */
export const double: HostType<number> & Vectorable<Float64Array> = scalar({
  name: 'double',
  wireType: WireType.I64,
  packable: true,
  zero: 0,
  check: checkNumber,
  guard: (v) => typeof v === 'number',
  is: (x) => `typeof ${x} === 'number'`,
  put: (w, v) => w.double(v),
  get: (r) => r.double(),
  enc: snippets.double,
  dec: snippets.readFixed('getFloat64', 8),
  decRun: snippets.readRun('getFloat64', 8),
  arbitrary: (fc) => fc.double(),
})

/**
 * `float`: 4 bytes, IEEE 754; any number is rounded to the nearest float32,
 * as SWI-Prolog and Google's runtimes write it: beyond the float32 range, a
 * value past the midpoint above the largest float32 becomes ±Infinity, one
 * below it the largest float32. Constants compare after rounding.
 */
export const float: HostType<number> & Vectorable<Float32Array> = scalar({
  name: 'float',
  wireType: WireType.I32,
  packable: true,
  zero: 0,
  check: checkNumber,
  guard: (v) => typeof v === 'number',
  is: (x) => `typeof ${x} === 'number'`,
  put: (w, v) => w.float(v),
  get: (r) => r.float(),
  dec: snippets.readFixed('getFloat32', 4),
  decRun: snippets.readRun('getFloat32', 4),
  arbitrary: (fc) => fc.float(),
  equals: (a, b) => Object.is(Math.fround(a), Math.fround(b)),
})

// ---------------------------------------------------------------------------
// Booleans, strings, bytes

/** `bool`: varint 0 or 1; any non-zero varint reads as true. */
export const boolean: HostType<boolean> = scalar({
  name: 'boolean',
  wireType: WireType.VARINT,
  packable: true,
  zero: false,
  check: (v) => (typeof v === 'boolean' ? undefined : expected('a boolean', v)),
  guard: (v) => typeof v === 'boolean',
  is: (x) => `typeof ${x} === 'boolean'`,
  put: (w, v) => w.byte(v ? 1 : 0),
  get(r) {
    r.varint64()
    return (r.lo | r.hi) !== 0
  },
  enc: snippets.bool,
  dec: snippets.readBool,
  arbitrary: (fc) => fc.boolean(),
})

function checkString(v: unknown): Problem | undefined {
  if (typeof v !== 'string') return expected('a string', v)
  if (!isWellFormed(v)) return problem('invalid-utf8', 'the string has a lone surrogate, which UTF-8 cannot encode')
  return undefined
}

const strings = (fc: FastCheckModule) => fc.oneof(fc.string(), fc.string({ unit: 'binary' }))

function textType(name: string): HostType<string> {
  return scalar({
    name,
    wireType: WireType.LEN,
    packable: false,
    zero: '',
    check: checkString,
    guard: (v) => typeof v === 'string' && isWellFormed(v),
    is: (x, g) => `(typeof ${x} === 'string' && ${g.ref(isWellFormed)}(${x}))`,
    put: (w, v) => w.string(v),
    get: (r) => r.string(),
    enc: snippets.shortString,
    dec: snippets.readShortString,
    arbitrary: strings,
  })
}

/** `string`, as SWI-Prolog's `atom`: length-delimited UTF-8, validated both ways. */
export const atom: HostType<string> = textType('atom')

/** `string`: length-delimited UTF-8, validated both ways. */
export const string: HostType<string> = textType('string')

function checkEscapedText(v: unknown): Problem | undefined {
  if (typeof v !== 'string') return expected('a string', v)
  if (!isEscapedText(v)) return problem('invalid-utf8', 'the string has a lone surrogate that is not an escaped byte (U+DC80 … U+DCFF), which has no byte form')
  return undefined
}

/** Well-formed text as `string` writes it; a string with escapes, by the escaping encoder, its length patched after. */
function putEscapedText(w: Writer, v: string): void {
  if (isWellFormed(v)) {
    w.string(v)
    return
  }
  const mark = w.fork()
  w.ensure(3 * v.length)
  w.pos = encodeEscapedInto(v, w.buf, w.pos)
  w.join(mark)
}

function getEscapedText(r: Reader): string {
  const end = r.length()
  const s = decodeUtf8Escaped(r.buf, r.pos, end)
  r.pos = end
  return s
}

/**
 * Whether two strings write the same bytes. Two different well-formed
 * strings never do; escapes may: U+DCC3 U+DCA9 writes C3 A9, which is 'é'.
 */
function sameBytes(a: string, b: string): boolean {
  if (a === b) return true
  // Only '' writes no bytes: a value against the zero, as `defaulted` asks at each encode, is decided here.
  if (a.length === 0 || b.length === 0) return false
  if (isWellFormed(a) && isWellFormed(b)) return false
  if (!isEscapedText(a) || !isEscapedText(b)) return false
  const [x, y] = [encodeEscaped(a), encodeEscaped(b)]
  return x.length === y.length && x.every((c, i) => c === y[i])
}

/**
 * Text and escaped bytes: the strings that bytes decode to (well-formed
 * text among them), not any string with escapes, whose escapes may spell
 * UTF-8 and read back as text.
 */
const escapedTexts = (fc: FastCheckModule) => {
  const piece = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 4 }).map((s) => Array.from(encodeEscaped(s))),
    fc.integer({ min: 0x80, max: 0xff }).map((b) => [b]),
    fc.constantFrom([0xc0, 0x80], [0xe0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f], [0xe2, 0x82]),
  )
  const escaped = fc.array(piece, { maxLength: 8 }).map((ps) => {
    const b = Uint8Array.from(ps.flat())
    return decodeUtf8Escaped(b, 0, b.length)
  })
  return fc.oneof(strings(fc), escaped)
}

/**
 * `string` as proto2 has it (and editions with `utf8_validation = NONE`),
 * which Google's runtimes do not validate: any bytes, held losslessly. Valid
 * UTF-8 reads as text, as `string` reads it; each byte that is not part of
 * a well-formed UTF-8 sequence reads as the lone surrogate U+DC00 + the byte
 * (U+DC80 … U+DCFF; Python's "surrogateescape"). Encode writes such an
 * escape as its byte, and text as UTF-8; any other lone surrogate is an
 * `invalid-utf8` error. So bytes read and written back are the same bytes.
 *
 * ```ts
 * encode(protobuf([unvalidatedString(1)]), ['a\udcffb']) // right(0a 03 61 ff 62), which decodes to ['a\udcffb']
 * ```
 */
export const unvalidatedString: HostType<string> = scalar({
  name: 'string',
  utf8: false,
  wireType: WireType.LEN,
  packable: false,
  zero: '',
  check: checkEscapedText,
  guard: (v) => typeof v === 'string' && isEscapedText(v),
  is: (x, g) => `(typeof ${x} === 'string' && ${g.ref(isEscapedText)}(${x}))`,
  put: putEscapedText,
  get: getEscapedText,
  enc: snippets.escapedString,
  dec: snippets.readShortString,
  arbitrary: escapedTexts,
  equals: sameBytes,
  // ASCII is written as itself, and escapes and other text only as bytes of 0x80 and over.
  equalsOnlyItself: (v) => /^[\0-\x7f]*$/.test(v),
})

/** UTF-8 text as a list of code points. */
export const utf8Codes: HostType<number[]> = scalar<number[]>({
  name: 'utf8Codes',
  wireType: WireType.LEN,
  packable: false,
  zero: [],
  check(v) {
    if (!Array.isArray(v)) return expected('an array of code points', v)
    for (const c of v) {
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 0x10ffff) {
        return problem('out-of-range', `${show(c)} is not a code point`)
      }
      if (c >= 0xd800 && c <= 0xdfff) return problem('invalid-utf8', `${show(c)} is a surrogate, which UTF-8 cannot encode`)
    }
    return undefined
  },
  put(w, v) {
    let s = ''
    // fromCodePoint takes its code points as arguments: bounded chunks.
    for (let i = 0; i < v.length; i += 4096) s += String.fromCodePoint(...v.slice(i, i + 4096))
    w.string(s)
  },
  get: (r) => Array.from(r.string(), (c) => c.codePointAt(0)!),
  arbitrary: (fc) => strings(fc).map((s) => Array.from(s, (c) => c.codePointAt(0)!)),
  equals: deepEqual,
})

/** `bytes`: length-delimited, as a `Uint8Array`. */
export const codes: HostType<Uint8Array> = scalar<Uint8Array>({
  name: 'codes',
  wireType: WireType.LEN,
  packable: false,
  zero: new Uint8Array(0),
  check: (v) => (v instanceof Uint8Array ? undefined : expected('a Uint8Array', v)),
  guard: (v) => v instanceof Uint8Array,
  put: (w, v) => w.bytes(v),
  get: (r) => r.bytes(),
  arbitrary: (fc) => fc.uint8Array(),
  equals: deepEqual,
})

// ---------------------------------------------------------------------------
// The .proto names

/** .proto `sint64`: the same object as `integer`. */
export const sint64 = integer
/** .proto `uint64`: the same object as `unsigned`. */
export const uint64 = unsigned
/** .proto `int64`: the same object as `signed64`. */
export const int64 = signed64
/** .proto `int32`: the same object as `signed32`. */
export const int32 = signed32
/** .proto `sfixed64`: the same object as `integer64`. */
export const sfixed64 = integer64
/** .proto `sfixed32`: the same object as `integer32`. */
export const sfixed32 = integer32
/** .proto `fixed64`: the same object as `unsigned64`. */
export const fixed64 = unsigned64
/** .proto `fixed32`: the same object as `unsigned32`. */
export const fixed32 = unsigned32
/** .proto `bool`: the same object as `boolean`. */
export const bool = boolean
/** .proto `bytes`: the same object as `codes`. */
export const bytes = codes
/** .proto `sint64` as a bigint. */
export const sint64Big = integerBig
/** .proto `uint64` as a bigint. */
export const uint64Big = unsignedBig
/** .proto `int64` as a bigint. */
export const int64Big = signed64Big
/** .proto `sfixed64` as a bigint. */
export const sfixed64Big = integer64Big
/** .proto `fixed64` as a bigint. */
export const fixed64Big = unsigned64Big
