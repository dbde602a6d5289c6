/**
 * Every host type at its edges, with exact bytes (field 1), and the range
 * checks at its borders.
 */
import test from 'ava'
import * as S from '../combinators/scalars.js'
import { type HostType, packed, protobuf, repeated, setCodeGeneration } from '../src/index.js'
import { decodeError, dec, encodeError, hex, roundTrip, toHex, enc } from './helpers.js'

type Name = keyof typeof S

/** [host type, value, bytes of protobuf([type(1)]) with that value], computed by an independent encoder. */
const table: [Name, unknown, string][] = [
  ['integer', 0, '08 00'],
  ['integer', 1, '08 02'],
  ['integer', -1, '08 01'],
  ['integer', 63, '08 7e'],
  ['integer', -64, '08 7f'],
  ['integer', 64, '08 80 01'],
  ['integer', 127, '08 fe 01'],
  ['integer', 128, '08 80 02'],
  ['integer', 2 ** 31, '08 80 80 80 80 10'],
  ['integer', -(2 ** 31), '08 ff ff ff ff 0f'],
  ['integer', 2 ** 32, '08 80 80 80 80 20'],
  ['integer', Number.MAX_SAFE_INTEGER, '08 fe ff ff ff ff ff ff 1f'],
  ['integer', Number.MIN_SAFE_INTEGER, '08 fd ff ff ff ff ff ff 1f'],
  ['sint32', 0, '08 00'],
  ['sint32', 1, '08 02'],
  ['sint32', -1, '08 01'],
  ['sint32', 2 ** 31 - 1, '08 fe ff ff ff 0f'],
  ['sint32', -(2 ** 31), '08 ff ff ff ff 0f'],
  ['unsigned', 0, '08 00'],
  ['unsigned', 1, '08 01'],
  ['unsigned', 127, '08 7f'],
  ['unsigned', 128, '08 80 01'],
  ['unsigned', 2 ** 31, '08 80 80 80 80 08'],
  ['unsigned', 2 ** 32, '08 80 80 80 80 10'],
  ['unsigned', Number.MAX_SAFE_INTEGER, '08 ff ff ff ff ff ff ff 0f'],
  ['uint32', 0, '08 00'],
  ['uint32', 128, '08 80 01'],
  ['uint32', 2 ** 32 - 1, '08 ff ff ff ff 0f'],
  ['signed64', 0, '08 00'],
  ['signed64', 1, '08 01'],
  ['signed64', -1, '08 ff ff ff ff ff ff ff ff ff 01'],
  ['signed64', 127, '08 7f'],
  ['signed64', 128, '08 80 01'],
  ['signed64', 2 ** 31, '08 80 80 80 80 08'],
  ['signed64', -(2 ** 31), '08 80 80 80 80 f8 ff ff ff ff 01'],
  ['signed64', 2 ** 32, '08 80 80 80 80 10'],
  ['signed64', Number.MAX_SAFE_INTEGER, '08 ff ff ff ff ff ff ff 0f'],
  ['signed64', Number.MIN_SAFE_INTEGER, '08 81 80 80 80 80 80 80 f0 ff 01'],
  ['signed32', 0, '08 00'],
  ['signed32', 1, '08 01'],
  ['signed32', -1, '08 ff ff ff ff ff ff ff ff ff 01'],
  ['signed32', 127, '08 7f'],
  ['signed32', 128, '08 80 01'],
  ['signed32', 2 ** 31 - 1, '08 ff ff ff ff 07'],
  ['signed32', -(2 ** 31), '08 80 80 80 80 f8 ff ff ff ff 01'],
  ['integer64', 0, '09 00 00 00 00 00 00 00 00'],
  ['integer64', 1, '09 01 00 00 00 00 00 00 00'],
  ['integer64', -1, '09 ff ff ff ff ff ff ff ff'],
  ['integer64', 2 ** 32, '09 00 00 00 00 01 00 00 00'],
  ['integer64', Number.MAX_SAFE_INTEGER, '09 ff ff ff ff ff ff 1f 00'],
  ['integer64', Number.MIN_SAFE_INTEGER, '09 01 00 00 00 00 00 e0 ff'],
  ['integer32', 0, '0d 00 00 00 00'],
  ['integer32', -1, '0d ff ff ff ff'],
  ['integer32', 2 ** 31 - 1, '0d ff ff ff 7f'],
  ['integer32', -(2 ** 31), '0d 00 00 00 80'],
  ['unsigned64', 0, '09 00 00 00 00 00 00 00 00'],
  ['unsigned64', 2 ** 32, '09 00 00 00 00 01 00 00 00'],
  ['unsigned64', Number.MAX_SAFE_INTEGER, '09 ff ff ff ff ff ff 1f 00'],
  ['unsigned32', 0, '0d 00 00 00 00'],
  ['unsigned32', 2 ** 32 - 1, '0d ff ff ff ff'],
  ['integerBig', 0n, '08 00'],
  ['signed64Big', 0n, '08 00'],
  ['integer64Big', 0n, '09 00 00 00 00 00 00 00 00'],
  ['integerBig', -1n, '08 01'],
  ['signed64Big', -1n, '08 ff ff ff ff ff ff ff ff ff 01'],
  ['integer64Big', -1n, '09 ff ff ff ff ff ff ff ff'],
  ['integerBig', 2n ** 53n, '08 80 80 80 80 80 80 80 20'],
  ['signed64Big', 2n ** 53n, '08 80 80 80 80 80 80 80 10'],
  ['integer64Big', 2n ** 53n, '09 00 00 00 00 00 00 20 00'],
  ['integerBig', 2n ** 63n - 1n, '08 fe ff ff ff ff ff ff ff ff 01'],
  ['signed64Big', 2n ** 63n - 1n, '08 ff ff ff ff ff ff ff ff 7f'],
  ['integer64Big', 2n ** 63n - 1n, '09 ff ff ff ff ff ff ff 7f'],
  ['integerBig', -(2n ** 63n), '08 ff ff ff ff ff ff ff ff ff 01'],
  ['signed64Big', -(2n ** 63n), '08 80 80 80 80 80 80 80 80 80 01'],
  ['integer64Big', -(2n ** 63n), '09 00 00 00 00 00 00 00 80'],
  ['unsignedBig', 0n, '08 00'],
  ['unsigned64Big', 0n, '09 00 00 00 00 00 00 00 00'],
  ['unsignedBig', 2n ** 53n, '08 80 80 80 80 80 80 80 10'],
  ['unsigned64Big', 2n ** 53n, '09 00 00 00 00 00 00 20 00'],
  ['unsignedBig', 2n ** 64n - 1n, '08 ff ff ff ff ff ff ff ff ff 01'],
  ['unsigned64Big', 2n ** 64n - 1n, '09 ff ff ff ff ff ff ff ff'],
  ['double', 0, '09 00 00 00 00 00 00 00 00'],
  ['double', -0, '09 00 00 00 00 00 00 00 80'],
  ['double', 1.5, '09 00 00 00 00 00 00 f8 3f'],
  ['double', Infinity, '09 00 00 00 00 00 00 f0 7f'],
  ['double', -Infinity, '09 00 00 00 00 00 00 f0 ff'],
  ['double', NaN, '09 00 00 00 00 00 00 f8 7f'],
  ['double', Number.MIN_VALUE, '09 01 00 00 00 00 00 00 00'],
  ['double', Number.MAX_VALUE, '09 ff ff ff ff ff ff ef 7f'],
  ['float', 0, '0d 00 00 00 00'],
  ['float', -0, '0d 00 00 00 80'],
  ['float', 1.5, '0d 00 00 c0 3f'],
  ['float', Infinity, '0d 00 00 80 7f'],
  ['float', -Infinity, '0d 00 00 80 ff'],
  ['float', NaN, '0d 00 00 c0 7f'],
  ['float', 3.4028234663852886e38, '0d ff ff 7f 7f'],
  ['float', 1.401298464324817e-45, '0d 01 00 00 00'],
  ['boolean', true, '08 01'],
  ['boolean', false, '08 00'],
  ['atom', '', '0a 00'],
  ['string', '', '0a 00'],
  ['atom', 'a', '0a 01 61'],
  ['string', 'a', '0a 01 61'],
  ['atom', 'é', '0a 02 c3 a9'],
  ['string', 'é', '0a 02 c3 a9'],
  ['atom', '日本', '0a 06 e6 97 a5 e6 9c ac'],
  ['string', '日本', '0a 06 e6 97 a5 e6 9c ac'],
  ['atom', '😀', '0a 04 f0 9f 98 80'],
  ['string', '😀', '0a 04 f0 9f 98 80'],
  ['atom', '\u{10FFFF}', '0a 04 f4 8f bf bf'],
  ['string', '\u{10FFFF}', '0a 04 f4 8f bf bf'],
  ['atom', '\uFEFFx', '0a 04 ef bb bf 78'],
  ['string', '\uFEFFx', '0a 04 ef bb bf 78'],
  ['atom', '\0', '0a 01 00'],
  ['string', '\0', '0a 01 00'],
]

for (const [name, value, bytes] of table) {
  const shown = typeof value === 'bigint' ? `${value}n` : Object.is(value, -0) ? '-0' : JSON.stringify(value)
  test(`${name} ${shown} is ${bytes}`, (t) => {
    const type = S[name] as HostType<unknown>
    roundTrip(t, protobuf([type(1)]), [value] as const, bytes)
  })
}

test('utf8Codes: code points to UTF-8 and back, astral and empty included', (t) => {
  roundTrip(t, protobuf([S.utf8Codes(1)]), [[104, 233, 128512]], '0a 07 68 c3 a9 f0 9f 98 80')
  roundTrip(t, protobuf([S.utf8Codes(1)]), [[]], '0a 00')
  roundTrip(t, protobuf([S.utf8Codes(1)]), [[0x10ffff, 0]], '0a 05 f4 8f bf bf 00')
})

test('codes: bytes, empty and all values', (t) => {
  roundTrip(t, protobuf([S.codes(1)]), [new Uint8Array()], '0a 00')
  roundTrip(t, protobuf([S.codes(1)]), [new Uint8Array([0, 127, 128, 255])], '0a 04 00 7f 80 ff')
})

test('strings longer than the short-string path, ASCII and not', (t) => {
  const ascii = 'x'.repeat(300)
  roundTrip(t, protobuf([S.string(1)]), [ascii], '0a ac 02 ' + '78 '.repeat(300))
  const mixed = 'é😀日'.repeat(40)
  const bytes = enc(protobuf([S.string(1)]), [mixed])
  t.is(bytes.length, 3 + 40 * 9)
  t.is(dec(protobuf([S.string(1)]), bytes)[0], mixed)
})

test('decoded bytes are a copy, never a view of the input', (t) => {
  const input = hex('0a 02 01 02')
  const [b] = dec(protobuf([S.codes(1)]), input)
  input[2] = 99
  t.deepEqual(b, new Uint8Array([1, 2]))
  const fromBuffer = dec(protobuf([S.codes(1)]), Buffer.from([10, 1, 7]))[0]
  t.is(fromBuffer.constructor, Uint8Array)
})

test('the .proto names are the same objects', (t) => {
  t.is(S.sint64, S.integer)
  t.is(S.uint64, S.unsigned)
  t.is(S.int64, S.signed64)
  t.is(S.int32, S.signed32)
  t.is(S.sfixed64, S.integer64)
  t.is(S.sfixed32, S.integer32)
  t.is(S.fixed64, S.unsigned64)
  t.is(S.fixed32, S.unsigned32)
  t.is(S.bool, S.boolean)
  t.is(S.bytes, S.codes)
  t.is(S.uint64Big, S.unsignedBig)
})

// ---------------------------------------------------------------------------
// Ranges

const outOfRange: [Name, unknown][] = [
  ['integer', 2 ** 53],
  ['integer', -(2 ** 53)],
  ['unsigned', 2 ** 64],
  ['unsigned', -1],
  ['uint32', 2 ** 32],
  ['uint32', -1],
  ['sint32', 2 ** 31],
  ['sint32', -(2 ** 31) - 1],
  ['signed32', 2 ** 32],
  ['signed32', 2 ** 31],
  ['signed32', -(2 ** 31) - 1],
  ['signed64', 2 ** 63],
  ['integer32', 2 ** 31],
  ['unsigned32', 2 ** 32],
  ['unsigned32', -1],
  ['integer64', Number.MAX_SAFE_INTEGER + 1],
  ['unsigned64', -1],
  ['integerBig', 2n ** 63n],
  ['integerBig', -(2n ** 63n) - 1n],
  ['unsignedBig', 2n ** 64n],
  ['unsignedBig', -1n],
  ['signed64Big', 2n ** 63n],
  ['integer64Big', -(2n ** 63n) - 1n],
  ['unsigned64Big', 2n ** 64n],
]

for (const [name, value] of outOfRange) {
  test(`${name} rejects ${typeof value === 'bigint' ? `${value}n` : value} as out of range`, (t) => {
    encodeError(t, protobuf([(S[name] as HostType<unknown>)(1)]), [value], { kind: 'out-of-range', path: `${S[name].typeName}(1)` })
  })
}

test('a number beyond 2^53 names the bigint twin', (t) => {
  const e = encodeError(t, protobuf([S.unsigned(1)]), [2 ** 60], { kind: 'out-of-range' })
  t.regex(e.message, /unsignedBig/)
  const d = decodeError(t, protobuf([S.unsigned(1)]), '08 80 80 80 80 80 80 80 10', { kind: 'out-of-range', path: 'unsigned(1)', offset: 1 })
  t.regex(d.message, /unsignedBig/)
  decodeError(t, protobuf([S.integer(1)]), '08 80 80 80 80 80 80 80 20', { kind: 'out-of-range', offset: 1 })
  t.regex(decodeError(t, protobuf([S.signed64(1)]), '08 80 80 80 80 80 80 80 f0 ff 01', { kind: 'out-of-range' }).message, /signed64Big/)
  t.regex(decodeError(t, protobuf([S.integer64(1)]), '09 00 00 00 00 00 00 20 00', { kind: 'out-of-range' }).message, /integer64Big/)
  t.regex(decodeError(t, protobuf([S.unsigned64(1)]), '09 00 00 00 00 00 00 20 00', { kind: 'out-of-range' }).message, /unsigned64Big/)
})

test('wrong JavaScript types are invalid values', (t) => {
  encodeError(t, protobuf([S.integer(1)]), [1.5], { kind: 'invalid-value' })
  encodeError(t, protobuf([S.integer(1)]), ['1'], { kind: 'invalid-value' })
  encodeError(t, protobuf([S.integerBig(1)]), [1], { kind: 'invalid-value' })
  encodeError(t, protobuf([S.double(1)]), [1n], { kind: 'invalid-value' })
  encodeError(t, protobuf([S.boolean(1)]), [1], { kind: 'invalid-value' })
  encodeError(t, protobuf([S.atom(1)]), [Symbol('x')], { kind: 'invalid-value' })
  encodeError(t, protobuf([S.codes(1)]), [[1, 2]], { kind: 'invalid-value' })
  encodeError(t, protobuf([S.utf8Codes(1)]), ['abc'], { kind: 'invalid-value' })
  encodeError(t, protobuf([S.utf8Codes(1)]), [[0x110000]], { kind: 'out-of-range' })
  encodeError(t, protobuf([S.utf8Codes(1)]), [[0xd800]], { kind: 'invalid-utf8' })
})

test('a lone surrogate cannot be written as UTF-8', (t) => {
  encodeError(t, protobuf([S.string(1)]), ['a\ud800b'], { kind: 'invalid-utf8', path: 'string(1)' })
  encodeError(t, protobuf([S.atom(1)]), ['\udc00'], { kind: 'invalid-utf8' })
})

// ---------------------------------------------------------------------------
// Decoding what other writers write

test('int32 −1 written in 5 bytes (truncated to 32 bits by some writers) reads as −1', (t) => {
  t.deepEqual(dec(protobuf([S.signed32(1)]), hex('08 ff ff ff ff 0f')), [-1])
})

test('int32 and uint32 keep the low 32 bits of a wider varint, as Google runtimes do', (t) => {
  t.deepEqual(dec(protobuf([S.signed32(1)]), hex('08 80 80 80 80 10')), [0])
  t.deepEqual(dec(protobuf([S.uint32(1)]), hex('08 81 80 80 80 10')), [1])
})

test('a boolean is true for any non-zero varint', (t) => {
  t.deepEqual(dec(protobuf([S.boolean(1)]), hex('08 02')), [true])
  t.deepEqual(dec(protobuf([S.boolean(1)]), hex('08 80 80 80 80 80 80 80 80 80 01')), [true])
  t.deepEqual(dec(protobuf([S.boolean(1)]), hex('08 80 00')), [false])
})

test('padded varints up to 10 bytes decode', (t) => {
  t.deepEqual(dec(protobuf([S.unsigned(1)]), hex('08 81 80 80 80 80 80 80 80 80 00')), [1])
  t.deepEqual(dec(protobuf([S.unsigned(1)]), hex('88 80 80 80 00 05')), [5])
})

test('a float constant matches the wire after rounding to f32', (t) => {
  const bytes = enc(protobuf([S.float(1)]), [0.1])
  t.is(toHex(bytes), '0d cd cc cc 3d')
  t.notThrows(() => dec(protobuf([S.float(1, 0.1)]), bytes))
  t.is(dec(protobuf([S.float(1)]), bytes)[0], Math.fround(0.1))
})

/** Run `f` with code generation on, then off (restored after). */
function bothWays(f: (on: boolean) => void): void {
  for (const on of [true, false]) {
    setCodeGeneration(on)
    try {
      f(on)
    } finally {
      setCodeGeneration(true)
    }
  }
}

test('float: finite values beyond the f32 range round as IEEE does, for holes and constants', (t) => {
  const largest = 3.4028234663852886e38
  // The midpoint between the largest float32 and 2^128: from it on, ±Infinity.
  const midpoint = largest + 2 ** 103
  const cases: [number, number, string][] = [
    [1e39, Infinity, '0d 00 00 80 7f'],
    [-1e39, -Infinity, '0d 00 00 80 ff'],
    [Number.MAX_VALUE, Infinity, '0d 00 00 80 7f'],
    [midpoint, Infinity, '0d 00 00 80 7f'],
    [-midpoint, -Infinity, '0d 00 00 80 ff'],
    [3.4028235e38, largest, '0d ff ff 7f 7f'],
    [midpoint - 2 ** 80, largest, '0d ff ff 7f 7f'],
    [-(midpoint - 2 ** 80), -largest, '0d ff ff 7f ff'],
  ]
  bothWays((on) => {
    const m = `code generation ${on ? 'on' : 'off'}`
    for (const [v, back, bytes] of cases) {
      t.is(toHex(enc(protobuf([S.float(1)]), [v])), bytes, `${v} ${m}`)
      t.deepEqual(dec(protobuf([S.float(1)]), hex(bytes)), [back], `${v} ${m}`)
      t.is(toHex(enc(protobuf([S.float(1, v)]))), bytes, `constant ${v} ${m}`)
      t.deepEqual(dec(protobuf([S.float(1, v)]), hex(bytes)), [], `constant ${v} ${m}`)
      t.is(toHex(enc(protobuf([repeated(1, S.float, [v])]))), bytes, `list constant ${v} ${m}`)
      t.deepEqual(dec(protobuf([repeated(1, S.float, [v])]), hex(bytes)), [], `list constant ${v} ${m}`)
      t.is(toHex(enc(protobuf([packed(1, S.float)]), [[v]])).slice(6), bytes.slice(3), `packed ${v} ${m}`)
    }
    t.true(S.float.codec.is(1e39))
  })
})
